"""The service's URLs plus the benchmark's floor (/bench/floor/): served only under bench.settings."""

from django.urls import include, path

from bench.floor import floor

urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("config.urls")),
]
