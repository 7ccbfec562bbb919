"""python manage.py rebuild_term_stats: recount the stems of every passage (after the stemming changed)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from factcheck.models import Passage
from factcheck.services.terms import term_stats_rebuild


class Command(BaseCommand):
    help = (
        "Recount how many passages hold each content stem (TermStat) with the engine's stemming, "
        "replacing the stored counts in one transaction. Run it after the stemming changed. Reads every passage; "
        "sources split meanwhile wait for it, then add their counts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The bar shows on a terminal only; the total is an estimate read before the recount starts.
        with tqdm(
            total=Passage.objects.count(), desc="Counting", unit="passage", disable=None, file=sys.stderr
        ) as progress:
            counted = term_stats_rebuild(progress=progress.update)
        self.stdout.write(f"{counted} passage(s) counted")
