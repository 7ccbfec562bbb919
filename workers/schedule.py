"""The beat schedule, in one place. Run it with `celery -A config beat`.

Kept free of Django settings so the Celery app can load it at import time; the
tasks themselves read their thresholds from settings.
"""

from factcheck import task_names

REAPER_INTERVAL_SECONDS = 60.0
PREPARE_MONTHS_INTERVAL_SECONDS = 3600.0

BEAT_SCHEDULE = {
    "requeue-stalled-sources": {
        "task": task_names.REQUEUE_STALLED_SOURCES,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-checks": {
        "task": task_names.REQUEUE_STALLED_CHECKS,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-source-fetches": {
        "task": task_names.REQUEUE_STALLED_FETCHES,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "requeue-stalled-webhooks": {
        "task": task_names.REQUEUE_STALLED_WEBHOOKS,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "poll-due-feeds": {
        "task": task_names.POLL_DUE_FEEDS,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "send-claims-digest": {
        "task": task_names.SEND_CLAIMS_DIGEST,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "import-claimreview-sources": {
        "task": task_names.IMPORT_CLAIMREVIEW_SOURCES,
        "schedule": REAPER_INTERVAL_SECONDS,
    },
    "prepare-passage-months": {
        "task": task_names.PREPARE_PASSAGE_MONTHS,
        "schedule": PREPARE_MONTHS_INTERVAL_SECONDS,
    },
}
