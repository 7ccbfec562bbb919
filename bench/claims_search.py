#!/usr/bin/env python
"""claims:search and the "already fact-checked" lookup as other desks' imported fact-checks grow.

    .venv/bin/python bench/claims_search.py [--reviews 1000,100000] [--queries 60] [--database NAME]

For each size it (re)creates ``--database`` (default ``factcheck_bench_claims_search``), migrates it and
bulk-creates that many imported reviews (claims written from a vocabulary of places, counted things,
events, sources and numbers, as fact-checks of a region's news read), plus 200 published verdicts of ours
and the term statistics of 20,000 passages written the same way (what picks a text's rarest words). Then it
times, in this process:

- **search**: ``GET /api/v1/claims:search?query=…&pageSize=10`` through Django's test client (a reader's
  token, DRF, the parameters, the UNION of ours and theirs, the page), one- and two-word queries;
- **match**: ``review_matches_for_claims`` for one new claim (the lookup each check adds: the reviews
  sharing its rarest words, read through their GIN index, then compared in full).

It prints p50 / p95 per size, and the growth of each p50 from the smallest size to the largest: the
ratio against the same run's baseline (the smallest size) is the figure, not the milliseconds. The
database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import corpus  # noqa: E402
from bench.pipeline import bench_environment, machine_note, markdown_table, migrate, use_environment  # noqa: E402

DATABASE = "factcheck_bench_claims_search"
OUR_VERDICTS = 200
SEED = 18

# A vocabulary sized like a region's news over years (4,000 places, 60 counted things, 24 events, 300
# sources): with a few hundred words in all, every review would share three words with 1% of the others.
_SYLLABLES = [
    "dra",
    "kor",
    "ost",
    "vel",
    "mar",
    "lis",
    "ben",
    "tor",
    "sel",
    "nov",
    "pra",
    "gul",
    "zem",
    "hal",
    "rud",
    "kes",
    "bor",
    "vin",
    "tam",
    "oru",
]
_ENDINGS = ["vno", "ava", "rel", "ika", "stad", "grad", "mont", "holm", "port", "ness"]
PLACES = [f"{a.title()}{b}{c}" for a in _SYLLABLES for b in _SYLLABLES for c in _ENDINGS]
COUNTED = [
    "people",
    "soldiers",
    "homes",
    "schools",
    "ships",
    "workers",
    "patients",
    "villages",
    "flights",
    "trees",
    "nurses",
    "doctors",
    "bridges",
    "trains",
    "buses",
    "farms",
    "cattle",
    "miners",
    "teachers",
    "pupils",
    "tourists",
    "migrants",
    "prisoners",
    "journalists",
    "protesters",
    "voters",
    "ballots",
    "jobs",
    "shops",
    "factories",
    "tonnes",
    "barrels",
    "vaccines",
    "beds",
    "ambulances",
    "firefighters",
    "police",
    "judges",
    "lawyers",
    "students",
    "refugees",
    "wells",
    "roads",
    "dams",
    "mines",
    "ports",
    "airports",
    "hospitals",
    "clinics",
    "pharmacies",
    "churches",
    "mosques",
    "museums",
    "libraries",
    "stadiums",
    "hotels",
    "boats",
    "trucks",
    "tractors",
    "drones",
]
EVENTS = [
    "were killed in",
    "were evacuated from",
    "were destroyed in",
    "were built in",
    "arrived in",
    "left",
    "were closed in",
    "were counted in",
    "were rescued in",
    "were lost in",
    "were injured in",
    "were hired in",
    "were sold in",
    "were bought for",
    "were flooded in",
    "were burned in",
    "were repaired in",
    "were seized in",
    "were stranded in",
    "were vaccinated in",
    "were arrested in",
    "were freed in",
    "were opened in",
    "were found in",
]
SOURCES = [
    f"the {kind} of {place}"
    for kind in ("mayor", "governor", "ministry", "police", "council", "hospital")
    for place in PLACES[::80]
]
WHEN = ["on Monday", "last week", "in March", "since the flood", "this year", "overnight", "in 2024", "by Friday"]


def claim_text(rng: random.Random) -> str:
    number = rng.choice([rng.randint(2, 99), rng.randint(100, 9_999), rng.randint(10_000, 500_000)])
    what = f"{number:,} {rng.choice(COUNTED)} {rng.choice(EVENTS)} {rng.choice(PLACES)} {rng.choice(WHEN)}"
    return f"{what}, {rng.choice(SOURCES)} said."


def build(reviews: int) -> float:
    """Bulk-create the imported reviews and our published verdicts; returns the seconds it took."""
    import datetime as dt

    from django.utils import timezone

    from factcheck.models import Claim, ImportedReview, RatingLabel, Verdict

    started = time.perf_counter()
    rng = random.Random(SEED)  # noqa: S311 - made-up text, reproducible
    now = timezone.now()
    batch = []
    for number in range(reviews):
        batch.append(
            ImportedReview(
                url=f"https://desk{number % 50}.example/checks/{number}",
                publisher_name=f"Desk {number % 50}",
                publisher_site=f"desk{number % 50}.example",
                title=f"Fact-check {number}",
                claim_text=claim_text(rng),
                textual_rating=rng.choice(["False", "Mostly false", "Half true", "True"]),
                review_date=now - dt.timedelta(hours=number % 5000),
                language_code="en",
                imported_from="bench",
            )
        )
        if len(batch) == 5000:
            ImportedReview.objects.bulk_create(batch)
            batch = []
    ImportedReview.objects.bulk_create(batch)
    rating = RatingLabel.objects.filter(is_active=True).first()
    claims = Claim.objects.bulk_create(Claim(text=claim_text(rng), status="published") for _ in range(OUR_VERDICTS))
    Verdict.objects.bulk_create(
        Verdict(
            claim=claim, rating=rating, summary="Checked.", status="published", published_at=now, slug=f"v{claim.pk}"
        )
        for claim in claims
    )
    # The corpus's term statistics, which pick a text's rarest words: a desk's passages tell the same
    # words of the same region's news (without them every word is as rare as any other).
    from factcheck.services.terms import term_stats_add

    term_stats_add(passage_texts=[claim_text(rng) for _ in range(20_000)])
    from django.db import connection

    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would soon gather them
        cursor.execute("ANALYZE factcheck_importedreview")
    return time.perf_counter() - started


def reader_token() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from knox.models import AuthToken

    user = get_user_model().objects.create_user("bench-reader")
    user.groups.add(Group.objects.get(name="reader"))
    return AuthToken.objects.create(user)[1]


def timed(calls: list[str], what: Callable[[str], None]) -> list[float]:
    times = []
    for call in calls:
        started = time.perf_counter()
        what(call)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(queries: int) -> dict[str, list[float]]:
    from django.test import Client

    from factcheck.services.review_matches import Statement, review_matches_for_claims

    rng = random.Random(SEED + 1)  # noqa: S311 - made-up queries, reproducible
    client = Client(HTTP_AUTHORIZATION=f"Token {reader_token()}")
    words = [
        f"{rng.choice(PLACES)}" if i % 2 else f"{rng.choice(COUNTED)} {rng.choice(PLACES)}" for i in range(queries)
    ]

    def search(query: str) -> None:
        answer = client.get("/api/v1/claims:search", {"query": query, "pageSize": "10"})
        assert answer.status_code == 200, answer.content[:300]

    def match(text: str) -> None:
        review_matches_for_claims([Statement(0, text, "")])

    search(words[0])  # warm-up: the first request loads what every later one shares
    match(claim_text(rng))
    return {
        "search": timed(words, search),
        "match": timed([claim_text(rng) for _ in range(queries)], match),
    }


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", default="1000,100000", help="sizes, smallest first (e.g. 1k,100k)")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args(argv)
    if "bench" not in args.database:
        raise SystemExit("the database's name must contain 'bench'")
    sizes = [corpus.parse_size(size) for size in args.reviews.split(",")]
    env = bench_environment(database=args.database, ALLOWED_HOSTS="testserver", API_THROTTLE_READER="1000000/s")
    use_environment(env)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["API_THROTTLE_READER"] = "1000000/s"
    print(f"claims:search: {args.reviews} imported reviews -> {args.database}; {machine_note()}", flush=True)
    import django

    rows, p50s = [], {}
    try:
        for size in sizes:
            from django.db import connections

            connections.close_all()
            corpus.recreate_database(args.database, None, force=False)
            migrate(env)
            django.setup()
            seconds = build(size)
            found = measure(args.queries)
            for name, times in found.items():
                p50s[(name, size)] = statistics.median(times)
                rows.append([name, f"{size:,}", f"{p(times, 0.5):.1f}", f"{p(times, 0.95):.1f}", f"{seconds:.0f}"])
            from django.contrib.auth import get_user_model

            get_user_model().objects.filter(username="bench-reader").delete()
    finally:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(corpus.database_url("postgres", None), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    print()
    print(markdown_table(["what", "imported reviews", "p50 (ms)", "p95 (ms)", "built in (s)"], rows))
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        for name in ("search", "match"):
            growth = p50s[(name, last)] / max(p50s[(name, first)], 1e-6)
            print(f"{name}: p50 at {last:,} / at {first:,} = {growth:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
