"""python manage.py predict_stance STANCES.csv BODIES.csv --out PRED.csv

FNC-1's task through the engine the service uses: each (Headline, Body ID) row of STANCES.csv
gets the stance of that body towards that headline (agree, disagree, discuss or unrelated), the
body split into passages as an ingested source is, term statistics counted over the given
bodies, the passages judged by the rules and decided by the shipped model, and the article's
stance aggregated from its passages (factcheck.crosscheck.articles). The rows come out in the
same order with the same columns, ``Stance`` filled in (added when absent). No database is used.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.crosscheck.articles import fnc_stances
from factcheck.crosscheck.learned import ModelFileError, shipped_model

STANCE_COLUMNS = ("Headline", "Body ID")
BODY_COLUMNS = ("Body ID", "articleBody")
STANCE = "Stance"


def read_table(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file, or a CommandError that says what is missing."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            missing = [column for column in required if column not in header]
            if missing:
                raise CommandError(
                    f"{path}: missing column(s) {', '.join(missing)} (has: {', '.join(header) or 'none'})"
                )
            return header, list(reader)
    except (UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"{path}: not a readable UTF-8 CSV file ({error})") from None


class Command(BaseCommand):
    help = "Predict FNC-1 stances (agree/disagree/discuss/unrelated) for headline/body pairs, without a database."
    requires_system_checks: list[str] = []  # nothing here reads the database or the app's settings

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("stances", type=Path, metavar="STANCES.csv", help="Headline, Body ID[, Stance]")
        parser.add_argument("bodies", type=Path, metavar="BODIES.csv", help="Body ID, articleBody")
        parser.add_argument("--out", type=Path, required=True, metavar="PRED.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        header, rows = read_table(options["stances"], STANCE_COLUMNS)
        _, body_rows = read_table(options["bodies"], BODY_COLUMNS)
        bodies = {row["Body ID"]: row["articleBody"] or "" for row in body_rows}
        unknown = sorted({row["Body ID"] for row in rows} - bodies.keys())
        if unknown:
            raise CommandError(
                f"{options['stances']}: Body ID(s) not in {options['bodies']}: {', '.join(unknown[:10])}"
            )
        try:
            model = shipped_model()
        except (OSError, ModelFileError) as error:
            raise CommandError(f"the stance model cannot be read: {error}") from None
        started = time.perf_counter()
        labels = fnc_stances([(row["Headline"] or "", row["Body ID"]) for row in rows], bodies, model)
        seconds = time.perf_counter() - started
        columns = header if STANCE in header else [*header, STANCE]
        with options["out"].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row, label in zip(rows, labels, strict=True):
                writer.writerow({**row, STANCE: label})
        rate = len(rows) / seconds if seconds else float("inf")
        self.stdout.write(f"{len(rows):,} pairs over {len(bodies):,} bodies in {seconds:.1f} s ({rate:,.0f} pairs/s)")
        self.stdout.write(f"Wrote {options['out']}")
