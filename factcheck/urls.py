"""Public pages (no sign-in): published fact-checks."""

from django.urls import path

from factcheck import views

urlpatterns = [
    path("fact-checks/<slug:slug>/", views.fact_check_page, name="fact-check"),
]
