"""python manage.py ingest PATH... [--outlet NAME | --outlet-from-filename] [--url URL] [--published YYYY-MM-DD]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from factcheck.documents import FORMAT_BY_SUFFIX, DocumentError, read_document
from factcheck.services.ingest import IngestRefused, IngestResult, Outcome, source_ingest

# What an undated file means, said once per file: nothing is made up in its place.
UNDATED = (
    "its claims stay undated and are checked against the whole archive; give the date with --published "
    "YYYY-MM-DD, a 'published:' line in the front matter, or the page's own metadata"
)


def parse_day(value: str) -> dt.date:
    """An argparse type: its error becomes a usage message (exit status 2), not a traceback."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a real date as YYYY-MM-DD, got {value!r}") from None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the supported files inside folders (recursively, sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file() and child.suffix.lower() in FORMAT_BY_SUFFIX and not child.name.startswith(".")
                )
            )
        else:
            files.append(path)
    return files


class Command(BaseCommand):
    help = "Ingest article files (.txt, .md, .html) or folders of them as sources; splitting runs as a Celery task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        outlet = parser.add_mutually_exclusive_group()
        outlet.add_argument("--outlet", default="", help="Outlet name for every file (overrides file metadata).")
        outlet.add_argument(
            "--outlet-from-filename",
            action="store_true",
            help="Give each file its own outlet, named after the file (without its suffix).",
        )
        parser.add_argument("--url", default="", help="The article's URL (only with a single file).")
        parser.add_argument("--published", type=parse_day, metavar="YYYY-MM-DD", help="Publication date.")

    def handle(self, *args: Any, **options: Any) -> None:
        files = expand_paths(options["paths"])
        if not files:
            raise CommandError("no .txt, .md or .html files found in the paths given")
        if options["url"] and len(files) > 1:
            raise CommandError("--url names one article: give it with a single file")
        counts = self.ingest_files(files, options)
        self.stdout.write(self.summary(counts))
        if counts["skipped"] or counts["conflict"]:
            conflicts = f" and {counts['conflict']} not stored" if counts["conflict"] else ""
            raise CommandError(
                f"{counts['skipped']} file(s) skipped{conflicts}, see the messages above; the rest were ingested"
            )

    def ingest_files(self, files: list[Path], options: dict[str, Any]) -> Counter[str]:
        counts: Counter[str] = Counter()
        # The bar shows only for several files on a terminal; messages print above it.
        progress = tqdm(files, desc="Ingesting", unit="file", disable=len(files) < 2 or None, file=sys.stderr)
        for path in progress:
            try:
                result = self.ingest_file(path, options)
            except (DocumentError, IngestRefused) as error:
                counts["skipped"] += 1
                self.say(self.stderr, self.style.ERROR(f"skipped {path}: {error}"))
                continue
            counts[result.outcome.value] += 1
            if result.outcome is Outcome.DUPLICATE:
                self.say(self.stdout, f"unchanged {path}: {result.detail}")
            elif result.outcome is Outcome.CONFLICT:
                self.say(self.stderr, self.style.WARNING(f"not stored {path}: {result.detail}"))
            else:
                if result.source is not None and result.source.published_at is None:
                    counts["undated"] += 1
                    self.say(self.stderr, self.style.WARNING(f"no publication date in {path}: {UNDATED}"))
                if options["verbosity"] > 1:
                    self.say(self.stdout, f"ingested {path}: {result.detail}")
        return counts

    @staticmethod
    def say(stream: OutputWrapper, message: str) -> None:
        with tqdm.external_write_mode(file=sys.stderr):
            stream.write(message)

    def ingest_file(self, path: Path, options: dict[str, Any]) -> IngestResult:
        document = read_document(path, max_bytes=settings.FACTCHECK_MAX_SOURCE_BYTES)
        outlet = path.stem if options["outlet_from_filename"] else options["outlet"]
        return source_ingest(
            document=document,
            outlet_name=outlet,
            url=options["url"],
            published_at=options["published"],
            file_name=str(path),
        )

    def summary(self, counts: Counter[str]) -> str:
        splitting = (
            "passages split in-process"
            if settings.CELERY_TASK_ALWAYS_EAGER
            else "passage splitting queued for the workers"
        )
        conflicts = f", {counts['conflict']} not stored (conflict with a stored source)" if counts["conflict"] else ""
        undated = (
            f"; {counts['undated']} with no publication date (their claims left undated)" if counts["undated"] else ""
        )
        return (
            f"{counts['created']} ingested, {counts['duplicate']} already present (unchanged){conflicts}, "
            f"{counts['skipped']} skipped{undated}; {splitting}."
        )
