"""Settings for the API benchmark: the service's own settings, unchanged, plus a bench-only URLconf
that adds the floor view (bench/floor.py). Select with ``DJANGO_SETTINGS_MODULE=bench.settings``;
``BENCH_ROOT_URLCONF`` names another URLconf (``config.urls`` serves the app exactly as deployed)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = os.environ.get("BENCH_ROOT_URLCONF", "bench.urls")
