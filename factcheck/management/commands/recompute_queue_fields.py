"""python manage.py recompute_queue_fields: repair the claims' stored appearance counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from factcheck.services.queue import claims_queue_fields_recompute


class Command(BaseCommand):
    help = (
        "Recount every claim's appearances where the stored count is wrong (after a bulk load or a "
        "write that bypassed the services); the priority follows in the database. Reads every claim."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        repaired = claims_queue_fields_recompute()
        self.stdout.write(f"{repaired} claim(s) repaired")
