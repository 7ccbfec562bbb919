"""The REST API, under /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from factcheck.api.claims_search import claims_search
from factcheck.api.views import (
    ClaimViewSet,
    FeedViewSet,
    SourceFetchViewSet,
    SourceViewSet,
    StanceCorrectionViewSet,
    VerdictViewSet,
    api_not_found,
)

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("verdicts", VerdictViewSet, basename="verdict")
router.register("sources", SourceViewSet, basename="source")
router.register("source-fetches", SourceFetchViewSet, basename="source-fetch")
router.register("feeds", FeedViewSet, basename="feed")
router.register("stance-corrections", StanceCorrectionViewSet, basename="stance-correction")

urlpatterns = [
    # Google's path, colon and all (Django routes it as it is).
    path("claims:search", claims_search, name="claims-search"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs work under a CSP without inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page: any path, a %0A in it
    # included (".*" stops at a newline, and such a path fell through to the HTML 404).
    re_path(r"^[\s\S]*$", api_not_found),
]
