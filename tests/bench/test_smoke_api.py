"""The benchmark scripts run at their smallest size: each exits 0 and prints its table.

No timing is asserted (the numbers belong in bench/README.md, not in a test). Each run is
bounded by a subprocess timeout and uses databases and queues of its own (``*_smoke``), never
the tests' queue or a full-size benchmark's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

BENCH = REPO_ROOT / "bench"


def run(script: str, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def table_rows(output: str, header: str) -> list[list[str]]:
    """The rows of the markdown table whose header line starts with ``header``."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


API_ARGS = [
    "--verdicts",
    "20",
    "--duration",
    "1",
    "--warmup",
    "0",
    "--connections",
    "2",
    "--threads",
    "1",
    "--gunicorn-workers",
    "1",
    "--database",
    "factcheck_bench_api_smoke",
]


def test_the_api_benchmark_runs_with_the_python_load_generator() -> None:
    # In two rounds: the endpoints take turns, and each row sums its slices.
    done = run("api_throughput.py", *API_ARGS, "--loadgen", "python", "--rounds", "2")

    rows = table_rows(done.stdout, "| endpoint |")
    assert [row[0] for row in rows] == [
        "verdict list (page of 50)",
        "verdict detail",
        "ClaimReview",
        "floor, list size",
        "floor, detail size",
    ]
    assert all(int(row[6]) > 0 for row in rows), "every endpoint answered some requests"
    assert all(row[7] == "0" for row in rows), "no errors, nothing throttled"
    assert "of the floor's requests/s" in done.stdout


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_the_api_benchmark_runs_with_wrk() -> None:
    done = run("api_throughput.py", *API_ARGS, "--loadgen", "wrk")

    rows = table_rows(done.stdout, "| endpoint |")
    assert len(rows) == 5
    assert "load: wrk" in done.stdout


@pytest.mark.worker
def test_the_pipeline_benchmark_runs_with_one_worker() -> None:
    done = run(
        "pipeline.py",
        *["--articles", "3", "--workers", "1", "--timeout", "180", "--growth-batches", "2", "--growth-batch", "2"],
        *["--database", "factcheck_bench_pipeline_smoke", "--queue", "factcheck-bench-smoke"],
    )

    rows = table_rows(done.stdout, "| workers |")
    assert rows[0][:2] == ["1", "3"]
    assert "articles/s per worker process" in done.stdout
    growth = table_rows(done.stdout, "| batch |")
    assert growth[0][:2] == ["1", "0"]
    assert len(growth) == 2
    assert "batch 2 / batch 1" in done.stdout


@pytest.mark.worker
def test_the_pipeline_benchmark_times_ingestion_alone_with_two_workers() -> None:
    done = run(
        "pipeline.py",
        *["--articles", "4", "--workers", "1,2", "--ingest-only", "--timeout", "180"],
        *["--database", "factcheck_bench_pipeline_smoke", "--queue", "factcheck-bench-smoke"],
    )

    rows = table_rows(done.stdout, "| workers |")
    assert [row[:2] for row in rows] == [["1", "4"], ["2", "4"]]
    assert [row[9] for row in rows] == ["0", "0"], "no check ran"
    assert "2 worker processes / 1:" in done.stdout


@pytest.mark.worker
@pytest.mark.skipif(not (BENCH / "corpus.py").exists(), reason="bench/corpus.py builds the memory benchmark's corpus")
def test_the_memory_benchmark_runs_on_a_small_corpus_of_its_own() -> None:
    done = run(
        "memory.py",
        *["--corpus", "factcheck_bench_smoke_absent", "--generate", "1000", "--claims", "3", "--timeout", "120"],
        *["--run-database", "factcheck_bench_memory_smoke", "--queue", "factcheck-bench-memory-smoke"],
    )

    rows = table_rows(done.stdout, "| process |")
    assert [row[0] for row in rows] == ["worker (main process)", "pool process (runs the checks)", "both"]
    assert "our own corpus of 1,000 passages" in done.stdout
    assert "3 checks succeeded, 0 failed" in done.stdout
