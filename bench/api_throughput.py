#!/usr/bin/env python
"""API throughput: gunicorn serving the app, a load generator on loopback, a reader's token.

    .venv/bin/python bench/api_throughput.py [--verdicts 500] [--duration 10] [--connections 16]
        [--gunicorn-workers 3] [--worker-class uvicorn|sync|gthread] [--loadgen auto|wrk|python]

It creates (or reuses) the bench database ``factcheck_bench_api`` holding N published verdicts
with their claims, appearances in several outlets' articles, check runs and cited evidence;
creates a reader with ``manage.py create_api_client``; starts gunicorn as the service is served
(``gunicorn -c config/gunicorn.conf.py``: uvicorn workers; ``--worker-class sync`` compares WSGI) (DEBUG off,
a SECRET_KEY, ``DJANGO_SETTINGS_MODULE=bench.settings``: the service's settings plus the floor's
route; the reader's throttle raised to 1,000,000/s so that it cannot cap the run) on 127.0.0.1;
then loads, one after another, each for ``--duration`` seconds after a ``--warmup``:

- the published verdict list (a page of 50), one verdict's detail, its ClaimReview (reader token);
- the floor: a bare Django view (bench/floor.py) returning JSON of the same size as the list, and
  of the same size as the detail, through the same gunicorn and middleware, no database.

With ``--rounds N`` each endpoint's ``--duration`` is cut into N slices and the endpoints take
turns, slice by slice (the warm-up only before the first), so that an endpoint and its floor are
measured under the same load from other work on a shared machine: requests are summed, p50 is
the median of the slices' and p99 the highest.

Load comes from wrk (Debian's package, installed with apt-get if missing and we are root) or,
without it, a bounded Python generator (threads, keep-alive connections). Only 127.0.0.1 is
targeted; every run is bounded in time and connections. Prints a table: requests/s, p50/p99
latency and the ratio to the floor; the target is a verdict list at >= 50% of the floor.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.pipeline import (  # noqa: E402
    VAR,
    bench_environment,
    create_database,
    database_exists,
    drop_database,
    machine_note,
    markdown_table,
    migrate,
    use_environment,
)

HOST = "127.0.0.1"
READER_THROTTLE = "1000000/s"
MAX_CONNECTIONS = 256
MAX_DURATION = 120.0


# =============================================================================================
# The bench database
# =============================================================================================


def seed(verdict_count: int, *, seed_value: int = 11) -> None:
    """Published verdicts with what a reader's requests touch: claim, rating, author and editor,
    cited evidence from a check run, and the claim's appearances in several outlets' articles."""
    import datetime as dt
    import hashlib

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
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
    from factcheck.services.queue import claims_appearance_count_refresh

    rng = random.Random(seed_value)  # noqa: S311 - test data, not secrets
    passages_per_source = 10
    appearances_per_claim = 3
    sources_needed = max(1, -(-verdict_count * appearances_per_claim // passages_per_source))
    now = timezone.now()
    words = (
        "officials said the ministry confirmed that at least people were killed injured evacuated "
        "in the region on Tuesday according to figures released by the agency which reported"
    ).split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + f" {rng.randint(2, 9000):,}."

    with transaction.atomic():
        users = get_user_model().objects
        author, _ = users.get_or_create(username="bench-reviewer")
        author.groups.add(Group.objects.get(name="reviewer"))
        editor, _ = users.get_or_create(username="bench-editor")
        editor.groups.add(Group.objects.get(name="editor"))
        outlets = [Outlet.objects.create(name=f"Bench Outlet {i}", domain=f"outlet{i}.example") for i in range(6)]
        sources = Source.objects.bulk_create(
            Source(
                outlet=outlets[i % len(outlets)],
                url=f"https://outlet{i % len(outlets)}.example/news/{i}",
                title=f"Report {i}: " + sentence(6),
                author="Bench Reporter",
                published_at=now - dt.timedelta(hours=i),
                text=f"Article {i}. " + " ".join(sentence(14) for _ in range(passages_per_source)),
                content_hash=hashlib.sha256(f"bench-source-{i}".encode()).hexdigest(),
                split_at=now,
                claims_extracted_at=now,
            )
            for i in range(sources_needed)
        )
        passages = Passage.objects.bulk_create(
            Passage(
                source=source,
                position=position,
                text=sentence(14),
                start_offset=position * 100,
                end_offset=position * 100 + 90,
                check_worthiness=0.7,
            )
            for source in sources
            for position in range(passages_per_source)
        )
        claims = Claim.objects.bulk_create(
            Claim(
                text=f"Claim {i}: " + sentence(16),
                claimant=f"{rng.choice(['Minister', 'Governor'])} {rng.choice(['Lind', 'Velin', 'Holm'])}",
                claim_date=(now - dt.timedelta(days=i % 60)).date(),
                origin_source=passages[i * appearances_per_claim].source,
                origin_passage=passages[i * appearances_per_claim],
                check_worthiness=round(rng.uniform(0.4, 1.0), 3),
                status="published",
                assessment=rng.choice(["corroborated", "conflicting", "single_source"]),
                confidence=round(rng.uniform(0.3, 0.95), 3),
            )
            for i in range(verdict_count)
        )
        ClaimAppearance.objects.bulk_create(
            ClaimAppearance(
                claim=claim,
                passage=passages[i * appearances_per_claim + k],
                source=passages[i * appearances_per_claim + k].source,
                appeared_at=passages[i * appearances_per_claim + k].source.published_at,
                match_kind="origin" if k == 0 else "automatic",
            )
            for i, claim in enumerate(claims)
            for k in range(appearances_per_claim)
        )
        # bulk_create bypasses the services: recount as they would.
        claims_appearance_count_refresh(claim_ids=[claim.pk for claim in claims])
        runs = CheckRun.objects.bulk_create(
            CheckRun(
                claim=claim,
                status="succeeded",
                trigger="extraction",
                started_at=now,
                finished_at=now,
                assessment=claim.assessment,
                confidence=claim.confidence,
                explanation="2 outlets support.",
            )
            for claim in claims
        )
        evidence = Evidence.objects.bulk_create(
            Evidence(
                run=run,
                passage=passages[(i * appearances_per_claim + k + 1) % len(passages)],
                stance="supports",
                reason="figure_agrees",
                score=0.8,
            )
            for i, run in enumerate(runs)
            for k in range(2)
        )
        ratings = list(RatingLabel.objects.filter(is_active=True))
        verdicts = Verdict.objects.bulk_create(
            Verdict(
                claim=claim,
                rating=rng.choice(ratings),
                summary=" ".join(sentence(18) for _ in range(3)),
                status="published",
                is_current=True,
                author=author,
                approved_by=editor,
                published_at=now - dt.timedelta(minutes=i),
                slug=f"bench-fact-check-{i}",
                version=2,
            )
            for i, claim in enumerate(claims)
        )
        Through: Any = Verdict.cited_evidence.through
        Through.objects.bulk_create(
            Through(verdict_id=verdict.pk, evidence_id=evidence[2 * i + k].pk)
            for i, verdict in enumerate(verdicts)
            for k in range(2)
        )


def _unapplied_migrations(connection: Any) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_database(name: str, env: dict, verdicts: int, *, reseed: bool) -> None:
    """Create, migrate and seed the bench database unless it already holds exactly ``verdicts``
    published verdicts (then it is reused as it is)."""
    if database_exists(name) and not reseed:
        import django
        from django.db import connections

        django.setup()
        from factcheck.models import Verdict

        try:
            if _unapplied_migrations(connections["default"]):
                raise LookupError("made by an older version: re-made")
            if Verdict.objects.filter(status="published").count() == verdicts:
                print(f"reusing {name} ({verdicts} published verdicts)", flush=True)
                return
        except Exception:  # noqa: S110 - an unmigrated or foreign database is simply re-made
            pass
        connections.close_all()
    print(f"creating {name} with {verdicts} published verdicts", flush=True)
    drop_database(name)
    create_database(name)
    migrate(env)
    import django

    django.setup()
    seed(verdicts)


def reader_token() -> str:
    """A reader's token from `manage.py create_api_client`. The client's earlier tokens are revoked
    first: knox reads every token of the user on each request, so they would pile up run after run."""
    from io import StringIO

    from django.core.management import call_command
    from knox.models import AuthToken

    AuthToken.objects.filter(user__username="bench-reader").delete()
    out = StringIO()
    call_command("create_api_client", "bench-reader", "--role", "reader", stdout=out)
    return out.getvalue().strip().splitlines()[-1].strip()


# =============================================================================================
# gunicorn
# =============================================================================================


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


DOCUMENTED_WORKERS = "uvicorn"


class Gunicorn:
    def __init__(self, env: dict, port: int, *, workers: int, worker_class: str, threads: int, log: Path) -> None:
        self.port = port
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        # As the service is served (config/gunicorn.conf.py: uvicorn workers, config.asgi), or, for
        # comparison, gunicorn's own WSGI workers overriding the config's app and worker class.
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        if worker_class != DOCUMENTED_WORKERS:
            command += ["--worker-class", worker_class, "--threads", str(threads), "config.wsgi"]
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )

    def wait_until_up(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited early; see {self.log}")
            try:
                status, _, _ = get(self.port, "/bench/floor/?bytes=10", {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f}s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


# =============================================================================================
# Load generators
# =============================================================================================


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad: int  # non-2xx responses and socket errors
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk(mode: str) -> str | None:
    """wrk's path; installs Debian's package when missing and we are root. None: use Python."""
    if mode == "python":
        return None
    found = shutil.which("wrk")
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "install", "-y", "-qq", "wrk"], ["apt-get", "update", "-qq"]):
            subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
            found = shutil.which("wrk")
            if found:
                break
        if not found:  # the package list may have been stale: update, then install again
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True, timeout=300)
            found = shutil.which("wrk")
    if found is None and mode == "wrk":
        raise SystemExit("wrk is not installed and could not be installed; use --loadgen python")
    return found


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    requests = int(re.search(r"(\d+) requests in ([0-9.]+)(us|ms|s|m)", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    bad = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        bad += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        # gunicorn's sync workers close every connection after the response; wrk counts a close
        # it sees as a read "error", so only connect, write and timeout errors count as failures.
        bad += int(match.group(1)) + int(match.group(3)) + int(match.group(4))
    return LoadResult(
        requests=requests, seconds=requests / rps if rps else 0.0, p50_ms=p50, p99_ms=p99, bad=bad, tool="wrk"
    )


def run_wrk(
    wrk: str, port: int, path: str, headers: dict[str, str], *, seconds: float, connections: int, threads: int
) -> LoadResult:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout)


def run_python(port: int, path: str, headers: dict[str, str], *, seconds: float, connections: int) -> LoadResult:
    """A bounded closed-loop generator: ``connections`` threads, each one keep-alive connection
    (re-opened when the server closes it), requests until the deadline. The GIL and the two cores
    it shares with the server make it slower than wrk: compare its numbers with each other only."""
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    bad = [0] * connections

    def loop(index: int) -> None:
        connection: http.client.HTTPConnection | None = None
        mine = latencies[index]
        while time.monotonic() < deadline and len(mine) < 2_000_000:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if not 200 <= response.status < 300:
                    bad[index] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                bad[index] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    every = sorted(latency for mine in latencies for latency in mine)
    if not every:
        return LoadResult(0, elapsed, 0.0, 0.0, sum(bad), "python")
    return LoadResult(
        requests=len(every),
        seconds=elapsed,
        p50_ms=1000 * every[len(every) // 2],
        p99_ms=1000 * every[min(len(every) - 1, int(0.99 * len(every)))],
        bad=sum(bad),
        tool="python",
    )


# =============================================================================================
# The benchmark
# =============================================================================================


def combined(slices: list[LoadResult]) -> LoadResult:
    """One endpoint's slices as one result: requests and time summed, the median p50, the highest p99."""
    p50s = sorted(result.p50_ms for result in slices)
    return LoadResult(
        requests=sum(result.requests for result in slices),
        seconds=sum(result.seconds for result in slices),
        p50_ms=p50s[len(p50s) // 2],
        p99_ms=max(result.p99_ms for result in slices),
        bad=sum(result.bad for result in slices),
        tool=slices[0].tool,
    )


@dataclass
class Target:
    name: str
    path: str
    authenticated: bool
    size: int = 0
    floor: str = ""  # the name of the floor it is compared with


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verdicts", type=int, default=500, help="published verdicts in the database (default 500)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per endpoint (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="endpoints take turns in this many slices of --duration (default 1)"
    )
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--gunicorn-workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument(
        "--worker-class",
        default=DOCUMENTED_WORKERS,
        choices=[DOCUMENTED_WORKERS, "sync", "gthread"],
        help="uvicorn: as served (config/gunicorn.conf.py, the default); sync, gthread: WSGI, for comparison",
    )
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--loadgen", default="auto", choices=["auto", "wrk", "python"])
    parser.add_argument("--database", default="factcheck_bench_api")
    parser.add_argument("--reseed", action="store_true", help="re-create the database even if it fits")
    parser.add_argument("--target", type=float, default=0.5, help="verdict list / floor requests/s (default 0.5)")
    args = parser.parse_args(argv)
    if not args.database.startswith("factcheck_bench"):
        parser.error("the database name must start with factcheck_bench")
    if not 0 < args.duration <= MAX_DURATION or not 0 <= args.warmup <= MAX_DURATION:
        parser.error(f"durations are bounded: 0 < --duration <= {MAX_DURATION:g}")
    if not 1 <= args.connections <= MAX_CONNECTIONS:
        parser.error(f"1 <= --connections <= {MAX_CONNECTIONS}")
    if args.verdicts < 1:
        parser.error("--verdicts must be at least 1")
    if not 1 <= args.rounds <= 20:
        parser.error("1 <= --rounds <= 20")

    env = bench_environment(
        database=args.database,
        DJANGO_SETTINGS_MODULE="bench.settings",
        API_THROTTLE_READER=READER_THROTTLE,
        LOG_LEVEL="WARNING",
        CELERY_BROKER_URL="",  # reads enqueue nothing; no broker needed
    )
    use_environment(env)
    os.environ["API_THROTTLE_READER"] = READER_THROTTLE
    print(f"machine: {machine_note()}", flush=True)
    ensure_database(args.database, env, args.verdicts, reseed=args.reseed)

    from django.db import connections

    from factcheck.models import Verdict

    token = reader_token()
    verdict = Verdict.objects.filter(status="published").order_by("-published_at", "-id").first()
    assert verdict is not None
    connections.close_all()

    wrk = ensure_wrk(args.loadgen)
    port = free_port()
    server = Gunicorn(
        env,
        port,
        workers=args.gunicorn_workers,
        worker_class=args.worker_class,
        threads=args.gunicorn_threads,
        log=VAR / f"{args.database}-gunicorn.log",
    )
    auth = {"Authorization": f"Token {token}"}
    results: list[tuple[Target, LoadResult]] = []
    try:
        server.wait_until_up()
        targets = [
            Target("verdict list (page of 50)", "/api/v1/verdicts/?page_size=50", True, floor="floor, list size"),
            Target("verdict detail", f"/api/v1/verdicts/{verdict.pk}/", True, floor="floor, detail size"),
            Target("ClaimReview", f"/api/v1/verdicts/{verdict.pk}/claimreview/", True, floor="floor, detail size"),
        ]
        for target in targets:
            status, body, _ = get(port, target.path, auth)
            if status != 200:
                raise SystemExit(f"{target.path} answered {status}: {body[:300]!r}")
            target.size = len(body)
        targets += [
            Target("floor, list size", f"/bench/floor/?bytes={targets[0].size}", False, targets[0].size),
            Target("floor, detail size", f"/bench/floor/?bytes={targets[1].size}", False, targets[1].size),
        ]
        tool = "wrk" if wrk else "python (threads)"
        print(
            f"gunicorn: {args.gunicorn_workers} {args.worker_class} worker(s) x {args.gunicorn_threads} thread(s); "
            f"load: {tool}, {args.connections} connections, {args.warmup:g}s warm-up + {args.duration:g}s each"
            + (f", in {args.rounds} rounds" if args.rounds > 1 else ""),
            flush=True,
        )
        slices: dict[str, list[LoadResult]] = {target.name: [] for target in targets}
        for turn, target in ((turn, target) for turn in range(args.rounds) for target in targets):
            headers = auth if target.authenticated else {}

            def load(seconds: float, target: Target = target, headers: dict[str, str] = headers) -> LoadResult:
                if wrk:
                    return run_wrk(
                        wrk,
                        port,
                        target.path,
                        headers,
                        seconds=seconds,
                        connections=args.connections,
                        threads=args.threads,
                    )
                return run_python(port, target.path, headers, seconds=seconds, connections=args.connections)

            if args.warmup and turn == 0:
                load(args.warmup)
            slices[target.name].append(load(args.duration / args.rounds))
            if turn == args.rounds - 1:
                result = combined(slices[target.name])
                print(
                    f"  {target.name}: {result.rps:.0f} requests/s, "
                    f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms",
                    flush=True,
                )
                results.append((target, result))
    finally:
        server.stop()

    by_name = {target.name: result for target, result in results}
    rows = []
    for target, result in results:
        floor = by_name.get(target.floor)
        ratio = f"{result.rps / floor.rps:.0%}" if floor and floor.rps else "-"
        rows.append(
            [
                target.name,
                f"{target.size:,}",
                f"{result.rps:.0f}",
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                ratio,
                result.requests,
                result.bad,
            ]
        )
    print()
    print(
        markdown_table(
            ["endpoint", "bytes", "requests/s", "p50 (ms)", "p99 (ms)", "vs floor", "requests", "errors/non-2xx"],
            rows,
        )
    )
    listing, list_floor = by_name["verdict list (page of 50)"], by_name["floor, list size"]
    list_ratio = listing.rps / list_floor.rps if list_floor.rps else 0.0
    print()
    print(
        f"verdict list at {list_ratio:.0%} of the floor's requests/s: "
        f"{'meets' if list_ratio >= args.target else 'misses'} the target of {args.target:.0%}"
    )
    failures = sum(result.bad for _, result in results)
    if failures:
        print(f"{failures} requests failed or were not 2xx (throttled?): see {VAR}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
