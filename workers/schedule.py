"""The beat schedule, in one place. Run it with `celery -A config beat`.

Kept free of Django settings so the Celery app can load it at import time; the
tasks themselves read their thresholds from settings.
"""

REAPER_INTERVAL_SECONDS = 60.0

BEAT_SCHEDULE = {
    "requeue-stalled-sources": {
        "task": "factcheck.requeue_stalled_sources",
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-checks": {
        "task": "factcheck.requeue_stalled_checks",
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-source-fetches": {
        "task": "factcheck.requeue_stalled_source_fetches",
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-webhooks": {
        "task": "factcheck.requeue_stalled_webhooks",
        "schedule": REAPER_INTERVAL_SECONDS,
    },
}
