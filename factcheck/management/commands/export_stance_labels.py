"""python manage.py export_stance_labels [--out FILE] [--since YYYY-MM-DD]

The reviewers' stance corrections as labels for the stance model, in the file that
``python -m training.stance --desk-labels FILE`` reads (factcheck/crosscheck/desk_labels.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from factcheck.crosscheck.desk_labels import write_desk_labels
from factcheck.services.corrections import desk_labels


class Command(BaseCommand):
    help = "Export the reviewers' stance corrections as training labels (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="the CSV file to write (default: standard output)")
        parser.add_argument("--since", help="only corrections made on or after this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                day = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"--since takes a day as YYYY-MM-DD, not {options['since']!r}") from None
            since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        out: Path | None = options["out"]
        if out is None:
            count = write_desk_labels(desk_labels(since=since), self.stdout)  # type: ignore[arg-type]
        else:
            with out.open("w", newline="", encoding="utf-8") as handle:
                count = write_desk_labels(desk_labels(since=since), handle)
        where = out or "standard output"
        self.stderr.write(
            f"{count} label(s) written to {where}; train with: python -m training.stance --desk-labels FILE"
        )
