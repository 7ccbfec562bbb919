#!/usr/bin/env python
"""The claim queue at scale: what one claim-list request costs with N claims.

    .venv/bin/python bench/claim_queue.py [--claims 300k] [--requests 15] [--label after] [--keep]

It (re)creates the database ``factcheck_bench_queue``, migrates it, loads passages with
bench/corpus.py's generator and COPY (``--claims`` x 1.25 passages, 200 outlets), turns them into
``--claims`` claims in one INSERT ... SELECT (every passage a claim's origin appearance; the
extra quarter are further appearances of claims spread over the queue; statuses, assessments,
confidences and "new evidence" flags spread as a desk would have them, some claims archived or
merged), fills the stored queue fields through the service when the schema has them, then
VACUUM ANALYZE. It then times, in process (Django's test client, a logged-in superuser: the
request's whole server side, no network), ``--requests`` requests of each case after two
warm-up requests, and counts their queries:

- the API claim list, a page of 20 (``GET /api/v1/claims/?page_size=20``);
- the API claim list filtered and ordered (``status=needs_review&ordering=-appearance_count``);
- the API claim list, page 40 of the queue (a page that exists, in a small one);
- the admin changelist of claims, and the admin queue overview.

Prints a table (p50, p95, queries per request) and writes it as JSON to var/bench/. The database
is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import psycopg  # noqa: E402

from bench import corpus  # noqa: E402
from bench.pipeline import VAR, bench_environment, machine_note, markdown_table, migrate, use_environment  # noqa: E402

DATABASE = "factcheck_bench_queue"


def cases(claims: int) -> list[tuple[str, str]]:
    deep = max(1, min(40, claims // 40))  # page 40, or a page that exists in a small queue
    return [
        ("API list, page of 20", "/api/v1/claims/?page_size=20"),
        ("API list, filtered + ordered", "/api/v1/claims/?page_size=20&status=needs_review&ordering=-appearance_count"),
        (f"API list, page {deep}", f"/api/v1/claims/?page_size=20&page={deep}"),
        ("admin changelist", "/admin/factcheck/claim/"),
        ("admin queue overview", "/admin/factcheck/claim/queue/"),
    ]


# Status by claim id modulo 20: most claims wait for review, as on a busy desk.
STATUS_SQL = """CASE
    WHEN p.id %% 20 < 12 THEN 'needs_review' WHEN p.id %% 20 < 14 THEN 'new' WHEN p.id %% 20 = 14 THEN 'checking'
    WHEN p.id %% 20 = 15 THEN 'in_review' WHEN p.id %% 20 = 16 THEN 'rated' WHEN p.id %% 20 = 17 THEN 'published'
    ELSE 'archived' END"""
ASSESSMENT_SQL = """CASE WHEN p.id %% 20 BETWEEN 12 AND 13 THEN ''
    ELSE (ARRAY['corroborated','conflicting','contradicted','single_source','unverified'])[1 + (p.id * 7) %% 5] END"""


def insert_claims(conn: psycopg.Connection, claims: int) -> None:
    """Claims 1..N from passages 1..N (each its origin appearance); passages N+1.. are further
    appearances of claims spread over the queue; every 40th claim is merged into its predecessor."""
    conn.execute(
        "INSERT INTO factcheck_claim (id, text, claimant, claim_date, origin_source_id, origin_passage_id, "  # noqa: S608
        "check_worthiness, worthiness_reasons, status, assessment, confidence, has_new_evidence, version, "
        "created_at, updated_at, merged_into_id) "
        f"SELECT p.id, p.text, p.speaker, NULL, p.source_id, p.id, COALESCE(p.check_worthiness, 0), '[]', "
        f"{STATUS_SQL}, {ASSESSMENT_SQL}, ((p.id * 37) %% 100) / 100.0, p.id %% 97 = 0, 1, "
        "timestamp '2026-01-01' + p.id * interval '7 seconds', now(), "
        "CASE WHEN p.id %% 40 = 19 THEN p.id - 1 END "
        "FROM factcheck_passage p WHERE p.id <= %s",
        [claims],
    )
    conn.execute(
        "INSERT INTO factcheck_claimappearance (claim_id, passage_id, source_id, appeared_at, match_score, match_kind) "
        "SELECT CASE WHEN p.id <= %s THEN p.id ELSE 1 + (p.id * 7919) %% %s END, p.id, p.source_id, "
        "s.published_at, 1.0, CASE WHEN p.id <= %s THEN 'origin' ELSE 'automatic' END "
        "FROM factcheck_passage p JOIN factcheck_source s ON s.id = p.source_id",
        [claims, claims, claims],
    )
    conn.execute("SELECT setval(pg_get_serial_sequence('factcheck_claim', 'id'), %s)", [claims])
    conn.commit()


def has_stored_queue_fields(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'factcheck_claim' "
        "AND column_name = 'appearance_count'"
    ).fetchone()
    return row is not None


def build(args: argparse.Namespace, env: dict) -> dict[str, float]:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    corpus.recreate_database(args.database, None, force=False)
    migrate(env)
    seconds["create + migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    _, data = corpus.generate(7, int(args.claims * 1.25), 200)
    seconds["generate"] = time.perf_counter() - started
    with psycopg.connect(corpus.database_url(args.database)) as conn:
        started = time.perf_counter()
        corpus.load(conn, data, corpus.Phases(), keep_indexes=False)
        seconds["COPY passages"] = time.perf_counter() - started
        started = time.perf_counter()
        insert_claims(conn, args.claims)
        seconds["insert claims"] = time.perf_counter() - started
        stored = has_stored_queue_fields(conn)
    if stored:
        # The bulk path keeps the stored queue fields current through the service, as every path must.
        from factcheck.services.queue import claims_queue_fields_recompute

        started = time.perf_counter()
        claims_queue_fields_recompute()
        seconds["recompute stored queue fields"] = time.perf_counter() - started
    with psycopg.connect(corpus.database_url(args.database), autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        seconds["VACUUM ANALYZE"] = time.perf_counter() - started
    return seconds


def measure(claims: int, requests: int) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = get_user_model().objects.get_or_create(
        username="bench-queue", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    rows = []
    for label, url in cases(claims):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
        times = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        count = response.json().get("count") if url.startswith("/api/") else None
        rows.append(
            {
                "case": label,
                "url": url,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, round(0.95 * len(times)) - 1)], 1),
                "queries": len(queries.captured_queries),
                "count": count,
            }
        )
        print(f"  {label:<32} p50 {rows[-1]['p50_ms']:8.1f} ms  ({len(queries)} queries)", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=corpus.parse_size, default=300_000)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per case")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--label", default="run", help="names the JSON written to var/bench/")
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it)")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database, build nothing")
    args = parser.parse_args(argv)
    if "bench" not in args.database:
        raise SystemExit("the database's name must contain 'bench'")
    env = bench_environment(database=args.database, API_THROTTLE_ADMIN="1000000/s", ALLOWED_HOSTS="testserver")
    use_environment(env)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["API_THROTTLE_ADMIN"] = "1000000/s"
    import django

    django.setup()
    note = machine_note()
    print(f"claim queue: {args.claims:,} claims -> {args.database}; {note}", flush=True)
    seconds = {} if args.reuse else build(args, env)
    for phase, value in seconds.items():
        print(f"  {phase:<32} {value:8.1f} s", flush=True)
    rows = measure(args.claims, args.requests)
    print()
    print(
        markdown_table(
            ["case", "p50 (ms)", "p95 (ms)", "queries", "count"],
            [[r["case"], r["p50_ms"], r["p95_ms"], r["queries"], r["count"]] for r in rows],
        )
    )
    VAR.mkdir(parents=True, exist_ok=True)
    record = {"claims": args.claims, "machine": note, "load_after": os.getloadavg(), "build": seconds, "cases": rows}
    (VAR / f"claim_queue-{args.label}.json").write_text(json.dumps(record, indent=1))
    if not args.keep:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(corpus.database_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
