"""The Celery app. Start a worker with `celery -A config worker`, beat with `celery -A config beat`."""

import os

from celery import Celery

from workers.schedule import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.imports = ("workers.tasks",)
app.conf.beat_schedule = BEAT_SCHEDULE
