"""The benchmark scripts run end to end at their smallest size (no timing is asserted).

bench/corpus.py makes a throwaway database of 300 passages with the project's migrations,
bench/check_latency.py checks 5 of its planted claims against it (and 2 with the naive
baseline); both must exit 0 and print their markdown table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.conftest import REPO_ROOT


def _server_url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{database}"))


@pytest.fixture
def bench_database() -> Iterator[str]:
    name = f"test_factcheck_bench_smoke_{os.getpid()}"
    yield name
    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def test_the_corpus_and_latency_scripts_run_at_the_smallest_size(bench_database: str) -> None:
    corpus = _run(
        "bench/corpus.py", "--passages", "300", "--claims", "5", "--database", bench_database, "--results", ""
    )
    assert "| sources / events / distinct stems |" in corpus.stdout  # the summary table was printed
    with psycopg.connect(_server_url(bench_database)) as conn:
        assert conn.execute("SELECT count(*) FROM factcheck_passage").fetchone() == (300,)
        assert conn.execute("SELECT count(*) FROM bench_claim").fetchone() == (5,)
        assert conn.execute("SELECT passages FROM factcheck_termstat WHERE term = ''").fetchone() == (300,)

    latency = _run(
        "bench/check_latency.py",
        "--database",
        bench_database,
        "--claims",
        "5",
        "--baseline-claims",
        "2",
        "--explain",
        "1",
        "--readme",
        "",
        "--results",
        "",
    )
    assert "| passages | window | claims | p50 ms |" in latency.stdout
    assert "| 300 | ±30 d | 5 |" in latency.stdout  # a window: the claims are dated
    assert "EXPLAIN (ANALYZE, BUFFERS)" in latency.stdout


def test_the_claim_queue_script_runs_at_a_small_size_and_keeps_the_stored_counts(bench_database: str) -> None:
    queue = _run(
        "bench/claim_queue.py", "--claims", "400", "--requests", "1", "--database", bench_database, "--label", "smoke",
        "--keep",
    )  # fmt: skip
    assert "| API list, page of 20 |" in queue.stdout
    assert "recompute stored queue fields" in queue.stdout  # the bulk load went through the service
    with psycopg.connect(_server_url(bench_database)) as conn:
        stale = conn.execute(
            "SELECT count(*) FROM factcheck_claim c WHERE c.appearance_count <> "
            "(SELECT count(*) FROM factcheck_claimappearance a WHERE a.claim_id = c.id)"
        ).fetchone()
        assert stale == (0,)
        assert conn.execute("SELECT count(*) FROM factcheck_claim").fetchone() == (400,)


@pytest.fixture
def feeds_database() -> Iterator[str]:
    """The feed benchmark's database (its names start with factcheck_bench), and its template, dropped after."""
    name = f"factcheck_bench_feeds_smoke_{os.getpid()}"
    yield name
    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        for database in (name, f"{name}_template"):
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.mark.worker
def test_the_feed_farm_benchmark_runs_at_the_smallest_size(feeds_database: str) -> None:
    feeds = _run("bench/feeds.py", "--outlets", "3", "--entries", "2", "--database", feeds_database)
    assert "| 1: new | 3 | 4 |" in feeds.stdout  # the failing feed ingests nothing; the others theirs
    assert "(2 conditional, 0 articles)" in feeds.stdout


def test_the_export_benchmark_runs_at_a_small_size(bench_database: str) -> None:
    exports = _run("bench/exports.py", "--verdicts", "300", "--database", bench_database)
    assert "| stream | csv | 300 |" in exports.stdout  # the streamed export's row of the table
    assert "| baseline | csv | 300 |" in exports.stdout
    assert "streamed RSS (MiB) at each tenth of the rows: " in exports.stdout


def test_the_claims_search_benchmark_runs_at_a_small_size(bench_database: str) -> None:
    done = _run("bench/claims_search.py", "--reviews", "50,200", "--queries", "3", "--database", bench_database)
    assert "| search | 200 |" in done.stdout
    assert "| match | 200 |" in done.stdout
    assert "match: p50 at 200 / at 50 = " in done.stdout
