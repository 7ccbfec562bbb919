#!/usr/bin/env python
"""Peak resident memory of a worker process while it checks claims against a large corpus.

    .venv/bin/python bench/memory.py [--corpus factcheck_bench] [--claims 200] [--generate 100000]

The corpus is the one bench/corpus.py builds (``--database factcheck_bench --passages 1000000``).
If it exists it is copied (``CREATE DATABASE ... TEMPLATE``) to ``factcheck_bench_memory`` so
that the checks' writes never touch it; if it does not, bench/corpus.py builds a corpus of
``--generate`` passages there instead, and the report says so. Then one real worker
(`celery -A config worker`, prefork, concurrency 1, queues ``factcheck-bench-memory*``) checks
``--claims`` claims (the corpus's planted ``bench_claim`` rows, else passages' text) submitted
through ``claim_submit`` + ``claim_check_request``, while this script samples the resident
memory of the worker's processes every 50 ms (psutil if installed, else /proc) and reads the
kernel's peak (``VmHWM``) at the end. Bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.pipeline import (  # noqa: E402
    DEFAULT_BROKER,
    VAR,
    Worker,
    bench_environment,
    create_database,
    database_exists,
    database_url,
    drop_database,
    machine_note,
    markdown_table,
    purge_queues,
    use_environment,
    wait_until_ready,
)

QUEUE = "factcheck-bench-memory"
RUN_DATABASE = "factcheck_bench_memory"  # the default of --run-database


# --- Memory readings ---------------------------------------------------------------------------


def status_kib(pid: int, field_name: str) -> int | None:
    """A ``VmRSS``/``VmHWM`` line of /proc/<pid>/status, in KiB (None once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def rss_kib(pid: int) -> int | None:
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss // 1024)
    except ImportError:
        return status_kib(pid, "VmRSS")
    except Exception:
        return None


@dataclass
class Sampler:
    """Samples the resident memory of some processes every ``interval`` seconds in a thread."""

    pids: dict[str, int]
    interval: float = 0.05
    peaks: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[int]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for name, pid in self.pids.items():
                value = rss_kib(pid)
                if value is None:
                    continue
                total += value
                self.samples.setdefault(name, []).append(value)
                self.peaks[name] = max(self.peaks.get(name, 0), value)
            self.samples.setdefault("total", []).append(total)
            self.peaks["total"] = max(self.peaks.get("total", 0), total)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


# --- Corpus ------------------------------------------------------------------------------------


def passage_count(database: str) -> int:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as conn:
        try:
            return conn.execute("SELECT count(*) FROM factcheck_passage").fetchone()[0]  # type: ignore[index]
        except psycopg.Error:
            return 0


def clone(source: str, target: str, *, timeout: float) -> bool:
    """Copy a database; False if it stayed in use for ``timeout`` s (PostgreSQL copies only
    databases nobody is connected to)."""
    import psycopg

    drop_database(target)
    deadline = time.monotonic() + timeout
    while True:
        try:
            create_database(target, template=source)
            return True
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                return False
            time.sleep(2)


def prepare_corpus(corpus: str, generate: int, run_database: str, clone_wait: float) -> str:
    """The database to check against, and a sentence saying what it is."""
    why = f"{corpus} did not exist"
    if database_exists(corpus) and passage_count(corpus) > 0:
        print(f"copying {corpus} to {run_database} (the checks write runs and evidence)", flush=True)
        started = time.monotonic()
        if clone(corpus, run_database, timeout=clone_wait):
            return f"a copy of {corpus}, made in {time.monotonic() - started:.0f}s"
        why = f"{corpus} was in use (another benchmark reading it) for {clone_wait:.0f}s, so it could not be copied"
    script = REPO_ROOT / "bench" / "corpus.py"
    if not script.exists():
        raise SystemExit(f"{why} and bench/corpus.py, which builds corpora, is missing")
    print(f"{why}: building a corpus of {generate:,} passages with bench/corpus.py", flush=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(script), "--passages", str(generate), "--database", run_database, "--results", ""],
        cwd=REPO_ROOT,
        check=True,
        timeout=3600,
        stdout=(VAR / f"{run_database}-corpus.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    seconds = time.monotonic() - started
    return f"our own corpus of {generate:,} passages (bench/corpus.py, {seconds:.0f}s): {why}"


def claims_to_check(count: int, seed: int = 5) -> list[tuple[str, str]]:
    """(text, claimant): the corpus's planted benchmark claims, else check-worthy passages' text."""
    from django.db import connection

    from factcheck.models import Passage

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_claim') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT text, claimant FROM bench_claim ORDER BY id LIMIT %s", [count])
            rows = [(text, claimant) for text, claimant in cursor.fetchall()]
            if len(rows) >= count:
                return rows
    rng = random.Random(seed)  # noqa: S311 - a sample, not a secret
    top = Passage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked: list[tuple[str, str]] = []
    tries = 0
    while len(picked) < count and tries < 50 * count:
        tries += 1
        passage = (
            Passage.objects.filter(pk__gte=rng.randint(1, max(1, top)), check_worthiness__gte=0.5)
            .order_by("pk")
            .values_list("text", "speaker")
            .first()
        )
        if passage and passage[0] not in {text for text, _ in picked}:
            picked.append(passage)
    return picked


# --- The benchmark -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="factcheck_bench", help="the corpus database (default factcheck_bench)")
    parser.add_argument("--generate", type=int, default=100_000, help="passages to build when the corpus is missing")
    parser.add_argument("--claims", type=int, default=200, help="claims to check (default 200)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds the checks may take (default 1800)")
    parser.add_argument("--broker", default=DEFAULT_BROKER)
    parser.add_argument("--run-database", default=RUN_DATABASE, help="the copy the checks write to")
    parser.add_argument("--queue", default=QUEUE)
    parser.add_argument("--clone-wait", type=float, default=120, help="seconds to wait for the corpus to be free")
    parser.add_argument("--keep", action="store_true", help="keep the run database afterwards")
    args = parser.parse_args(argv)
    if not args.corpus.startswith("factcheck_bench") or args.corpus == args.run_database:
        parser.error("the corpus is a factcheck_bench* database other than --run-database")
    if not args.run_database.startswith("factcheck_bench"):
        parser.error("--run-database must start with factcheck_bench")

    VAR.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine_note()}", flush=True)
    what = prepare_corpus(args.corpus, args.generate, args.run_database, args.clone_wait)
    env = bench_environment(database=args.run_database, broker=args.broker, queue=args.queue, LOG_LEVEL="WARNING")
    use_environment(env)
    import django

    django.setup()
    from django.db import connections
    from django.db.models import Count

    from factcheck.models import CheckRun, Passage
    from factcheck.services.checks import claim_check_request
    from factcheck.services.claims import claim_submit

    passages = Passage.objects.count()
    claims = claims_to_check(args.claims)
    print(f"corpus: {what}; {passages:,} passages; checking {len(claims)} claims", flush=True)
    purge_queues()
    worker = Worker(env, "bench-memory", VAR / f"{args.run_database}-worker.log")
    sampler: Sampler | None = None
    timed_out = False
    try:
        worker.start()
        wait_until_ready([worker])
        child = worker.pool_pids()[0]
        time.sleep(1.0)
        idle = {
            "worker (main process)": rss_kib(worker.pid) or 0,
            "pool process (runs the checks)": rss_kib(child) or 0,
        }
        sampler = Sampler({"worker (main process)": worker.pid, "pool process (runs the checks)": child})
        sampler.start()
        started = time.monotonic()
        for text, claimant in claims:
            claim = claim_submit(text=text, claimant=claimant or None)
            claim_check_request(claim_id=claim.pk)
        deadline = started + args.timeout
        checkpoints: list[tuple[int, int]] = []
        while time.monotonic() < deadline:
            counts = dict(CheckRun.objects.values_list("status").annotate(n=Count("pk")).order_by())
            done = counts.get("succeeded", 0) + counts.get("failed", 0)
            current = rss_kib(child) or 0
            if not checkpoints or done >= checkpoints[-1][0] + max(1, len(claims) // 8):
                checkpoints.append((done, current))
                print(f"  {done}/{len(claims)} checks done, pool process {current / 1024:.0f} MiB", flush=True)
            if done >= len(claims) and not counts.get("queued") and not counts.get("running"):
                break
            if not worker.alive():
                raise SystemExit(f"the worker died; see {worker.log_path}")
            time.sleep(0.2)
        else:
            timed_out = True
        elapsed = time.monotonic() - started
        sampler.stop()
        hwm = {
            "worker (main process)": status_kib(worker.pid, "VmHWM"),
            "pool process (runs the checks)": status_kib(child, "VmHWM"),
        }
        failed = CheckRun.objects.filter(status="failed").count()
        succeeded = CheckRun.objects.filter(status="succeeded").count()
        durations = [
            (finished - began).total_seconds()
            for began, finished in CheckRun.objects.filter(status="succeeded").values_list("started_at", "finished_at")
            if began is not None and finished is not None
        ]
    finally:
        if sampler is not None:
            sampler.stop()
        worker.stop()
        purge_queues()
        connections.close_all()
        if not args.keep:
            drop_database(args.run_database)

    rows = []
    for name in ("worker (main process)", "pool process (runs the checks)"):
        peak_sampled = sampler.peaks.get(name, 0) if sampler else 0
        rows.append(
            [
                name,
                f"{idle[name] / 1024:.0f}",
                f"{peak_sampled / 1024:.0f}",
                f"{(hwm[name] or 0) / 1024:.0f}",
                f"{(peak_sampled - idle[name]) / 1024:+.0f}",
            ]
        )
    total_peak = sampler.peaks.get("total", 0) if sampler else 0
    rows.append(
        [
            "both",
            f"{sum(idle.values()) / 1024:.0f}",
            f"{total_peak / 1024:.0f}",
            "-",
            f"{(total_peak - sum(idle.values())) / 1024:+.0f}",
        ]
    )
    print()
    print(f"corpus: {what}; {passages:,} passages")
    print(
        f"{succeeded} checks succeeded, {failed} failed in {elapsed:.1f}s "
        f"({succeeded / elapsed if elapsed else 0:.1f} checks/s); "
        f"check time mean {1000 * statistics.mean(durations) if durations else 0:.0f} ms, "
        f"max {1000 * max(durations) if durations else 0:.0f} ms"
    )
    print()
    print(markdown_table(["process", "idle RSS (MiB)", "peak RSS sampled (MiB)", "VmHWM (MiB)", "growth (MiB)"], rows))
    print()
    print(
        "pool process RSS as checks completed: "
        + ", ".join(f"{done}: {kib / 1024:.0f} MiB" for done, kib in checkpoints)
    )
    return 1 if timed_out or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
