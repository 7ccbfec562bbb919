from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("factcheck.api.urls")),
    # Public pages for readers: one per published fact-check (factcheck/urls.py).
    path("", include("factcheck.urls")),
]
