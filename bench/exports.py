#!/usr/bin/env python
"""Peak memory of exporting N verdicts: streamed (what the API and the admin do) against a baseline
that builds the same file in memory.

    .venv/bin/python bench/exports.py [--verdicts 100000] [--format csv|json] [--database NAME] [--keep] [--reuse]

It (re)creates ``--database`` (default ``factcheck_bench_exports``), migrates it (the default rating
scale comes with the migrations) and bulk-creates ``--verdicts`` published verdicts, each on its own
claim with two appearances (two passages of the 1,000 sources) and two cited pieces of evidence, as
the export reads them. Then, each in a fresh process (so that each peak is its own):

- **streamed**: ``GET /api/v1/verdicts/export/?format=...`` through Django's test client (the whole
  server side: authentication, DRF, the filters, factcheck/exports.py), the body read chunk by chunk
  and thrown away, as a client's socket would take it;
- **baseline**: the same rows and the same writer, but the queryset evaluated as a list and the file
  joined into one bytes object before it is sent (what a non-streaming export does: an HttpResponse
  of the whole file, or django-import-export's dataset).

For each it reports the resident memory after start-up and a warm-up export of 10 rows (idle), the
kernel's peak (``VmHWM``), the growth (peak - idle), the time and rows/s, and for the streamed run
the RSS at each tenth of the rows (flat, if streaming works). The database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import corpus  # noqa: E402
from bench.memory import status_kib  # noqa: E402
from bench.pipeline import bench_environment, machine_note, markdown_table, migrate, use_environment  # noqa: E402

DATABASE = "factcheck_bench_exports"
SOURCES = 1000
USERNAME = "bench-exports"


# --- Building the rows ----------------------------------------------------------------------------


def build(verdicts: int) -> float:
    """Bulk-create the verdicts and what they read; returns the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from factcheck.models import (
        CheckRun,
        Claim,
        ClaimAppearance,
        Evidence,
        Outlet,
        Passage,
        RatingLabel,
        Source,
        Verdict,
    )

    started = time.perf_counter()
    now = timezone.now()
    outlet = Outlet.objects.create(name="Bench Outlet", domain="bench.example")
    sources = Source.objects.bulk_create(
        Source(outlet=outlet, url=f"https://bench.example/{n}", text=f"Article {n}.", content_hash=f"{n:064x}")
        for n in range(SOURCES)
    )
    labels = list(RatingLabel.objects.filter(is_active=True).order_by("pk"))
    batch = 5000
    for first in range(0, verdicts, batch):
        numbers = range(first, min(first + batch, verdicts))
        claims = Claim.objects.bulk_create(
            Claim(
                text=f"Claim {n}: {n % 97} people were hurt in the fire at the {n % 13}th street depot.",
                claimant=f"Official {n % 50}",
                claim_date=now.date(),
                status=Claim.Status.PUBLISHED,
                appearance_count=2,
            )
            for n in numbers
        )
        # Two passages per claim (a passage states one claim), in two of the sources.
        passages = Passage.objects.bulk_create(
            Passage(
                source=sources[(n * 7 + side) % SOURCES],
                position=2 * n + side,
                text=f"Passage {side} of claim {n}.",
                start_offset=0,
                end_offset=20,
            )
            for n in numbers
            for side in (0, 1)
        )
        ClaimAppearance.objects.bulk_create(
            ClaimAppearance(claim=claim, passage=passage, source=passage.source, appeared_at=now)
            for i, claim in enumerate(claims)
            for passage in passages[2 * i : 2 * i + 2]
        )
        runs = CheckRun.objects.bulk_create(CheckRun(claim=claim, status="succeeded") for claim in claims)
        evidence = Evidence.objects.bulk_create(
            Evidence(run=run, passage=passage, stance="conflicts", reason="denial")
            for i, run in enumerate(runs)
            for passage in passages[2 * i : 2 * i + 2]
        )
        rows = Verdict.objects.bulk_create(
            Verdict(
                claim=claim,
                rating=labels[n % len(labels)],
                summary=f"Verdict {n}: two outlets and the fire service say otherwise.",
                status=Verdict.Status.PUBLISHED,
                published_at=now,
                slug=f"bench-claim-{n}",
            )
            for n, claim in zip(numbers, claims, strict=True)
        )
        Verdict.cited_evidence.through._default_manager.bulk_create(
            Verdict.cited_evidence.through(verdict_id=verdict.pk, evidence_id=evidence[2 * i + offset].pk)
            for i, verdict in enumerate(rows)
            for offset in (0, 1)
        )
        print(f"  {first + len(numbers):,} verdicts", flush=True)
    get_user_model().objects.create_superuser(USERNAME, f"{USERNAME}@example.org", None)
    from django.db import connection

    with connection.cursor() as cursor:  # autocommit: VACUUM runs outside a transaction
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


# --- One measured export (in a child process) ---------------------------------------------------------


def rss_kib() -> int:
    return status_kib(os.getpid(), "VmRSS") or 0


def child(mode: str, file_format: str, expected: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from factcheck import exports, selectors

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    url = f"/api/v1/verdicts/export/?format={file_format}"

    def stream(path: str) -> tuple[int, list[int]]:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        size, marks = 0, []
        step = max(1, expected // 10)
        lines = 0
        for chunk in response:  # as the server sends it, chunk by chunk
            size += len(chunk)
            before, lines = lines, lines + chunk.count(b"\n")
            if lines // step > before // step:
                marks.append(rss_kib())
        response.close()
        return size, marks

    stream(url + "&published_before=2000-01-01T00:00:00Z")  # warm-up: every module imported, no rows
    idle = rss_kib()
    started = time.perf_counter()
    if mode == "stream":
        size, marks = stream(url)
    else:
        queryset = exports.VERDICTS.load(selectors.verdicts_for_api(public_only=False))
        loaded = list(queryset)  # every row at once, as a non-streaming export holds them
        exports.VERDICTS.attach(loaded)  # type: ignore[misc]
        rows = [[column.value(obj) for column in exports.VERDICTS.columns] for obj in loaded]
        body = b"".join(exports.WRITERS[file_format](exports.VERDICTS, rows))  # the whole file
        size, marks = len(body), []
    seconds = time.perf_counter() - started
    return {
        "mode": mode,
        "idle_kib": idle,
        "peak_kib": status_kib(os.getpid(), "VmHWM") or 0,
        "seconds": seconds,
        "bytes": size,
        "marks_kib": marks,
    }


def run_child(env: dict, mode: str, file_format: str, verdicts: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--format", file_format, "--verdicts", str(verdicts)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the {mode} export failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verdicts", type=corpus.parse_size, default=100_000)
    parser.add_argument("--format", choices=["csv", "json"], default="csv")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it)")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database, build nothing")
    parser.add_argument("--child", choices=["stream", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.format, args.verdicts)))
        return 0
    if "bench" not in args.database:
        raise SystemExit("the database's name must contain 'bench'")
    env = bench_environment(database=args.database, ALLOWED_HOSTS="testserver", API_THROTTLE_ADMIN="1000000/s")
    use_environment(env)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    note = machine_note()
    print(f"exports: {args.verdicts:,} verdicts -> {args.database}; {note}", flush=True)
    try:
        if not args.reuse:
            corpus.recreate_database(args.database, None, force=False)
            migrate(env)
            import django

            django.setup()
            print(f"  built in {build(args.verdicts):.1f} s", flush=True)
            from django.db import connections

            connections.close_all()
        results = [run_child(env, mode, args.format, args.verdicts) for mode in ("stream", "baseline")]
    finally:
        if not args.keep:
            import psycopg

            with psycopg.connect(corpus.database_url("postgres", None), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    table = []
    for result in results:
        growth = result["peak_kib"] - result["idle_kib"]
        table.append(
            [
                result["mode"],
                args.format,
                f"{args.verdicts:,}",
                f"{result['idle_kib'] / 1024:.0f}",
                f"{result['peak_kib'] / 1024:.0f}",
                f"{growth / 1024:+.0f}",
                f"{result['seconds']:.1f}",
                f"{args.verdicts / result['seconds']:,.0f}",
                f"{result['bytes'] / 1024 / 1024:.1f}",
            ]
        )
    stream, baseline = results
    print()
    headers = ["export", "format", "rows", "idle RSS (MiB)", "peak RSS (MiB)", "growth (MiB)", "s", "rows/s"]
    print(markdown_table([*headers, "file (MiB)"], table))
    ratio = (baseline["peak_kib"] - baseline["idle_kib"]) / max(1, stream["peak_kib"] - stream["idle_kib"])
    print()
    peaks = baseline["peak_kib"] / max(1, stream["peak_kib"])
    print(f"peak RSS, baseline / streamed: {peaks:.2f}x; growth over idle, baseline / streamed: {ratio:.1f}x")
    marks = ", ".join(f"{kib / 1024:.0f}" for kib in stream["marks_kib"])
    print(f"streamed RSS (MiB) at each tenth of the rows: {marks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
