"""python manage.py import_claimreviews URL|FILE...

Import other desks' fact-checks: each location is a page carrying ClaimReview markup (JSON-LD or
microdata) or a JSON feed of ClaimReviews, fetched through the one outbound client, or such a file.
Prints, per location, how many reviews were imported, updated, unchanged and refused (each refusal
with its reason). Exits with status 1 when a location could not be read at all (unreachable, a
refused address, an unreadable file); the other locations are imported all the same.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.services.imported_reviews import reviews_import


class Command(BaseCommand):
    help = "Import ClaimReviews (other desks' fact-checks) from pages, JSON feeds or files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("locations", nargs="+", metavar="URL|FILE", help="Pages, JSON feeds or files to read.")

    def handle(self, *args: Any, **options: Any) -> None:
        locations: list[str] = options["locations"]
        failed = 0
        for number, location in enumerate(locations, start=1):
            self.stderr.write(f"[{number}/{len(locations)}] reading {location}")
            report = reviews_import(location=location)
            if report.failed:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{location}: failed: {report.error}"))
                continue
            self.stdout.write(
                f"{location}: imported {report.imported}, updated {report.updated}, "
                f"unchanged {report.unchanged}, refused {len(report.refused)}; "
                f"{report.matched} of our claims may be covered by them (see each claim's review page)"
            )
            for refusal in report.refused:
                self.stdout.write(f"    refused {refusal.where}: {refusal.reason}")
        if failed:
            raise CommandError(f"{failed} of {len(locations)} location{'s' if len(locations) > 1 else ''} failed")
