#!/usr/bin/env python
"""Pipeline throughput: articles ingested per second and claims checked per second, end to
end through Redis and real `celery -A config worker` processes.

    .venv/bin/python bench/pipeline.py [--articles 200] [--workers 1,2] [--size 5120] [--profile]

For each worker count it starts from the same empty, migrated bench database
(``factcheck_bench_pipeline``, re-created from a template each phase), starts that many worker
processes (concurrency 1 each, each consuming every queue) on queues of its own (``factcheck-bench``
and its ``-ingest``, ``-checks``, ``-webhooks`` queues on Redis database 14; never a test run's
``factcheck-tests-*``), feeds N synthetic newswire articles of ~5 KB (several outlets, figures,
quotations, some wire copies) through ``factcheck.services.ingest.source_ingest``
and polls the database until every source is split and extracted and every check run has
finished. Rates come from the database's own timestamps:

- articles/s: N / (last ``claims_extracted_at`` - first ``ingested_at``): split and extraction;
- checks/s: succeeded runs / (last ``finished_at`` - first ``started_at``);
- per-task service times from the workers' logs (``Task ... succeeded in Xs``).

``--ingest-only`` starts the workers on the ingest queue alone (``-Q``): splitting and extraction
are timed without checks interleaved (the checks they request are queued, then purged).

``--growth-batches B`` adds a phase in this process, without workers or checks: B batches of
``--growth-batch`` articles, each split then extracted by calling the services, timed per batch, so
that the cost of an article as the claim store fills shows apart from the queue (the 10th batch
against the 1st).

``--profile`` records the (single) worker of the first phase with py-spy (if installed) or,
without it, profiles split + extraction in this process with cProfile, and prints the top
functions. Logs and profiles go to ``var/bench/``. Every wait is bounded (``--timeout``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

VAR = REPO_ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
BENCH_QUEUE = "factcheck-bench"
TESTS_QUEUE_PREFIX = "factcheck-tests"  # config/settings.py: each test run adds its own suffix
WORKER_START_TIMEOUT = 60.0

# =============================================================================================
# Synthetic newswire articles (pure Python, deterministic for a seed)
# =============================================================================================

OUTLETS = [
    ("Northgate Wire", "northgatewire.example"),
    ("Harbour Herald", "harbourherald.example"),
    ("Valley Courier", "valleycourier.example"),
    ("Capital Ledger", "capitalledger.example"),
    ("Eastbridge Times", "eastbridgetimes.example"),
    ("Meridian Post", "meridianpost.example"),
    ("Coastline Daily", "coastlinedaily.example"),
    ("Summit Gazette", "summitgazette.example"),
]
WIRE = "Northgate Wire"
COUNTRIES = ["Arvenia", "Tolmark", "Seravin", "Ostrelia", "Dunmore", "Kaleth"]
TOWNS = [
    "Karsk",
    "Velmora",
    "Dunhallow",
    "Peltry",
    "Marrow Falls",
    "Ileth",
    "Brannock",
    "Quellin",
    "Sarn",
    "Tavistrand",
    "Orlick",
    "Haverly",
    "Corrin Bay",
    "Mossgate",
    "Elvan",
    "Rudd",
    "Parrow",
    "Istel",
]
FIRST = [
    "Mara",
    "Teodor",
    "Lina",
    "Oskar",
    "Ilse",
    "Radu",
    "Petra",
    "Anton",
    "Vesna",
    "Milos",
    "Hana",
    "Tomas",
    "Irena",
    "Dario",
    "Greta",
    "Stefan",
    "Ana",
    "Luka",
    "Nadia",
    "Emil",
]
LAST = [
    "Velin",
    "Malesh",
    "Korrin",
    "Dravic",
    "Halden",
    "Ostrov",
    "Lind",
    "Sarkis",
    "Benn",
    "Marek",
    "Tovar",
    "Quist",
    "Renner",
    "Aldous",
    "Vasko",
    "Pellan",
    "Strand",
    "Ivers",
    "Holm",
    "Zerec",
]
ROLES = [
    "the town's mayor",
    "the regional governor",
    "Interior Minister",
    "a spokesperson for the fire service",
    "the head of the local hospital",
    "Finance Minister",
    "the leader of the dockworkers' union",
    "a senior police officer",
    "Defence Minister",
    "the chief executive of the port authority",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["March", "April", "May", "June"]

KINDS = [
    # (headline, what happened, who or what was affected, cause)
    ("Floods kill {dead} in {town}", "flash floods swept through", "homes", "days of heavy rain"),
    (
        "Mine collapse in {town} kills {dead}",
        "a shaft collapsed at the state coal mine near",
        "miners",
        "a gas explosion",
    ),
    (
        "Fire at {town} chemical plant kills {dead}",
        "a fire broke out at a chemical plant in",
        "workers",
        "a leaking storage tank",
    ),
    ("Bridge collapse in {town} kills {dead}", "a road bridge collapsed in", "commuters", "corroded steel cables"),
    (
        "Storm leaves {dead} dead in {town}",
        "a storm with winds of up to 140 km/h hit",
        "households",
        "a tropical depression",
    ),
]

QUOTES = [
    "We have lost everything, and we need help now, not promises",
    "Nobody warned us that the water was coming this fast",
    "The rescue teams are working around the clock and we will not stop until everyone is found",
    "This tragedy could have been prevented if the inspections had been done on time",
    "The government will pay for every house that has to be rebuilt",
    "We asked for new equipment three years ago and nothing happened",
    "I saw the whole street disappear in less than a minute",
    "There is no evidence that the company broke any safety rule",
]


@dataclass(frozen=True)
class Event:
    index: int
    town: str
    country: str
    kind: tuple[str, str, str, str]
    dead: int
    injured: int
    displaced: int
    cost: int  # millions
    counted: int
    weekday: str
    month: str
    day: int
    people: tuple[tuple[str, str], ...]  # (name, role)
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    outlet: str
    url: str
    title: str
    published: dt.date
    text: str


def _events(rng: random.Random, count: int) -> list[Event]:
    events = []
    for index in range(count):
        people = tuple((f"{rng.choice(FIRST)} {rng.choice(LAST)}", role) for role in rng.sample(ROLES, 3))
        events.append(
            Event(
                index=index,
                town=rng.choice(TOWNS),
                country=rng.choice(COUNTRIES),
                kind=rng.choice(KINDS),
                dead=rng.randint(3, 90),
                injured=rng.randint(10, 400),
                displaced=rng.randint(2, 60) * 100,
                cost=rng.randint(5, 900),
                counted=rng.randint(12, 3000),
                weekday=rng.choice(WEEKDAYS),
                month=rng.choice(MONTHS),
                day=rng.randint(1, 28),
                people=people,
                quotes=tuple(rng.sample(QUOTES, 3)),
            )
        )
    return events


def _figure(rng: random.Random, value: int, *, conflicting: bool) -> tuple[str, int]:
    """How an outlet writes a figure: as is, hedged, or (for a conflicting outlet) another number."""
    if conflicting:
        value = max(1, round(value * rng.choice([0.5, 0.7, 1.4, 2.0])))
    hedge = rng.choice(["", "", "at least ", "about ", "more than "])
    return f"{hedge}{value:,}", value


def _background(rng: random.Random, event: Event, serial: int) -> list[str]:
    """Sentences of background, each with its own figures and names: makes every article distinct."""

    def name() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def day() -> str:
        return rng.choice(WEEKDAYS)

    return [
        f"Local authorities said {rng.randint(2, 60)} schools in the {event.town} district would stay closed "
        f"until {day()}, and that {rng.randint(100, 5000):,} pupils would be taught in temporary rooms.",
        f"Emergency crews had cleared {rng.randint(3, 90)} kilometres of road by late evening, {name()}, "
        f"a duty officer, told reporters, but {rng.randint(2, 30)} villages remained cut off.",
        f"The {event.country} Red Cross said it had sent {rng.randint(5, 80)} trucks carrying food, blankets and "
        f"{rng.randint(1, 40) * 1000:,} litres of drinking water to the area.",
        f"Shares in the operator fell {rng.randint(2, 19)}.{rng.randint(0, 9)} percent in early trading, "
        f"their lowest level since {rng.randint(2009, 2023)}, according to exchange data.",
        f"{event.town}, a town of about {rng.randint(8, 250) * 1000:,} people, lies {rng.randint(20, 400)} km from "
        f"the capital and depends largely on farming, fishing and seasonal tourism.",
        f"The opposition leader, {name()}, called for an independent inquiry and said the government had cut the "
        f"regional emergency budget by {rng.randint(5, 40)} percent since {rng.randint(2015, 2023)}.",
        f"Meteorologists said {rng.randint(40, 300)} millimetres of rain had fallen in {rng.randint(12, 72)} hours, "
        f"more than the area usually receives in {rng.choice(['a month', 'two months', 'a season'])}.",
        f"A spokesperson for the ministry did not respond to a request for comment on case "
        f"{serial}-{rng.randint(100, 999)}.",
        f"It was the deadliest disaster in the region since {rng.randint(1950, 2015)}, when {rng.randint(20, 300)} "
        f"people died, according to official records.",
        f"Volunteers from {rng.randint(3, 25)} neighbouring towns joined the search, and the army sent "
        f"{rng.randint(2, 12)} helicopters and {rng.randint(50, 900)} soldiers, {name()} said.",
        f"President {name()} declared {rng.randint(1, 7)} days of national mourning and cut short a visit to "
        f"{rng.choice(COUNTRIES)}.",
        f"The European Investment Bank said it was ready to lend up to {rng.randint(20, 500)} million euros "
        f"for reconstruction, a spokesperson said on {day()}.",
        f"Insurers estimated that only {rng.randint(5, 60)} percent of the damaged buildings were covered, "
        f"according to the national insurance association.",
        f"{name()}, who runs a bakery on the main square, said she had lost stock worth {rng.randint(2, 90) * 1000:,} "
        f'euros. "We will open again, but not this month," she said.',
        f"The regional hospital said {rng.randint(2, 40)} of the injured were in a serious condition and "
        f"{rng.randint(1, 12)} had been flown to the capital.",
        f"Police said they had arrested {rng.randint(2, 15)} people suspected of looting empty houses on "
        f"the outskirts of {event.town}.",
        f"Power was restored to {rng.randint(10, 95)} percent of households by {day()} morning, the grid "
        f"operator said, but {rng.randint(100, 9000):,} homes still had no running water.",
        f"Parliament will debate an emergency aid package of {rng.randint(10, 300)} million euros on "
        f"{day()}, the speaker's office said.",
        f"The area was hit by a similar disaster in {rng.randint(1990, 2020)}, when damage reached "
        f"{rng.randint(10, 400)} million euros and {rng.randint(100, 9000):,} people were evacuated.",
        f"Neighbouring {rng.choice(COUNTRIES)} offered to send {rng.randint(20, 300)} rescuers and "
        f"{rng.randint(2, 20)} search dogs, its foreign ministry said.",
        f"Train services between {event.town} and {rng.choice(TOWNS)} were suspended and {rng.randint(3, 40)} "
        f"flights were cancelled at the regional airport.",
        f"Environmental groups said the disaster showed the need for {rng.randint(2, 10)} times more spending "
        f"on flood defences and early warning systems.",
        f"Prosecutors opened an investigation into possible negligence, {name()}, the regional prosecutor, "
        f"said, adding that {rng.randint(2, 30)} witnesses had been questioned.",
        f"Prices of bread and fuel rose by {rng.randint(3, 30)} percent in local shops within two days, "
        f"residents said.",
    ]


def _article_text(rng: random.Random, event: Event, outlet: str, serial: int, size: int) -> tuple[str, str]:
    headline_tpl, happened, counted_what, cause = event.kind
    conflicting = rng.random() < 0.25
    dead, _ = _figure(rng, event.dead, conflicting=conflicting)
    injured, _ = _figure(rng, event.injured, conflicting=conflicting and rng.random() < 0.5)
    displaced, _ = _figure(rng, event.displaced, conflicting=False)
    (p1, r1), (p2, r2), (p3, r3) = event.people
    title = headline_tpl.format(dead=dead.split()[-1], town=event.town)
    paragraphs = [
        f"{event.town.upper()}, {event.month} {event.day} ({outlet}) - {dead.capitalize()} people were killed and "
        f"{injured} injured when {happened} {event.town} on {event.weekday}, officials in {event.country} said.",
        f"Officials said {event.counted:,} {counted_what} were affected and that {displaced} "
        f"residents had been moved to shelters. Investigators blamed {cause}.",
        f'"{event.quotes[0]}," {p1}, {r1}, said.',
        f"{p2.split()[1]}, {r2}, said damage was estimated at {event.cost} million euros. "
        f'"{event.quotes[1]}," {p2.split()[1]} told reporters in {event.town}.',
        f'{p3}, {r3}, said on {event.weekday}: "{event.quotes[2]}."',
    ]
    if rng.random() < 0.3:  # a denial, as such stories carry
        paragraphs.append(
            f"{p3.split()[1]} denied that {event.dead} people had died, saying the figure was "
            f"{max(1, event.dead - rng.randint(1, 3))} and that reports of a cover-up were false."
        )
    byline = f"Reporting by {rng.choice(FIRST)} {rng.choice(LAST)}; editing by {rng.choice(FIRST)} {rng.choice(LAST)}"
    body = "\n\n".join(paragraphs)
    background: list[str] = []
    while len(body.encode()) < size - len(byline) - 250:
        if not background:
            background = _background(rng, event, serial)
            rng.shuffle(background)
        body += "\n\n" + " ".join(background.pop() for _ in range(min(len(background), rng.randint(1, 3))))
    return title, body + "\n\n" + byline


def synthetic_articles(count: int, *, size: int = 5120, seed: int = 7, copy_share: float = 0.1) -> list[Article]:
    """``count`` distinct newswire-like articles of about ``size`` bytes from several outlets,
    about four per event (so claims recur and conflict across outlets); ``copy_share`` of them
    are wire copies (the wire's text republished with a new last paragraph)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic text, not secrets
    events = _events(rng, max(1, count // 4))
    articles: list[Article] = []
    wire_texts: list[tuple[Event, str, str]] = []
    for serial in range(count):
        event = events[serial % len(events)]
        published = dt.date(2025, MONTHS.index(event.month) + 3, event.day)
        if wire_texts and rng.random() < copy_share:
            source_event, title, text = rng.choice(wire_texts)
            outlet = rng.choice([name for name, _ in OUTLETS if name != WIRE])
            text = text.rsplit("\n\n", 2)[0] + "\n\n" + " ".join(_background(rng, source_event, serial)[:2])
        else:
            outlet = WIRE if serial % len(OUTLETS) == 0 else OUTLETS[serial % len(OUTLETS)][0]
            title, text = _article_text(rng, event, outlet, serial, size)
            if outlet == WIRE:
                wire_texts.append((event, title, text))
        domain = dict(OUTLETS)[outlet]
        url = f"https://{domain}/news/{published.isoformat()}/{serial}-{re.sub(r'[^a-z0-9]+', '-', title.lower())}"
        articles.append(Article(outlet=outlet, url=url, title=title, published=published, text=text))
    return articles


# =============================================================================================
# Bench databases, environments and worker processes (shared with bench/memory.py)
# =============================================================================================


def database_url(name: str) -> str:
    return f"{PG_SERVER}/{name}"


def _admin() -> Any:
    import psycopg

    return psycopg.connect(database_url("postgres"), autocommit=True)


def database_exists(name: str) -> bool:
    with _admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop_database(name: str) -> None:
    if not name.startswith("factcheck_bench"):
        raise SystemExit(f"refusing to drop {name!r}: bench databases start with factcheck_bench")
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str, *, template: str | None = None) -> None:
    with _admin() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')


def bench_environment(*, database: str, broker: str = DEFAULT_BROKER, queue: str = BENCH_QUEUE, **extra: str) -> dict:
    """The environment of a bench process: its own database and queues whatever the caller's
    environment says (a bench started from pytest must not take the tests' queues): no queue name
    is taken from the caller, the queues of each kind of work are named after ``queue`` (config/settings.py)."""
    if queue.startswith(TESTS_QUEUE_PREFIX):
        raise SystemExit("the bench never uses the tests' queue")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_")) and not key.endswith("_QUEUE")
    }
    env.update(
        DATABASE_URL=database_url(database),
        CELERY_BROKER_URL=broker,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production"),
        DEBUG="false",
        STATICFILES_MANIFEST="false",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def use_environment(env: dict) -> None:
    """Make this process use ``env`` (before Django is set up)."""
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "SECRET_KEY", "DEBUG"):
        os.environ[key] = env[key]
    for key in ("STATICFILES_MANIFEST", "LOG_LEVEL", "DJANGO_SETTINGS_MODULE"):
        os.environ[key] = env[key]
    for key in [key for key in os.environ if key.endswith("_QUEUE") and key not in env]:
        del os.environ[key]  # a queue named by the caller: this process sends to, and purges, only its own


def migrate(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO_ROOT, env=env, check=True, timeout=300)


def purge_queues() -> None:
    """Empty the bench's own queues (this process's, set by use_environment), nothing else."""
    from config.celery import app

    app.control.purge()


class Worker:
    """One `celery -A config worker` process (concurrency 1), as production starts it."""

    def __init__(self, env: dict, name: str, log_path: Path, *, pool: str = "prefork", queue: str = "") -> None:
        self.env, self.name, self.log_path, self.pool, self.queue = env, name, log_path, pool, queue
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def hostname(self) -> str:
        return f"{self.name}-{os.getpid()}@bench"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                f"--pool={self.pool}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={self.hostname}",
                *([f"--queues={self.queue}"] if self.queue else []),
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def pool_pids(self) -> list[int]:
        """The pids that run tasks: the prefork children, or the worker itself with ``--pool=solo``."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            pids = [int(pid) for pid in children.read_text().split()]
        except OSError:
            pids = []
        return pids or [self.pid]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_until_ready(workers: list[Worker], timeout: float = WORKER_START_TIMEOUT) -> None:
    """Until every worker answers a ping by its own hostname."""
    from config.celery import app

    wanted = {worker.hostname for worker in workers}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            if not worker.alive():
                raise SystemExit(f"worker {worker.name} exited early; see {worker.log_path}")
        replies = app.control.ping(destination=sorted(wanted), timeout=0.5) or []
        answered = {name for reply in replies for name in reply}
        if wanted <= answered:
            return
    raise SystemExit(f"workers did not answer within {timeout:.0f}s; see {VAR}")


def stop_all(workers: list[Worker]) -> None:
    for worker in workers:
        worker.stop()


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(cell) for cell in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def machine_note() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average before the run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


# =============================================================================================
# The pipeline benchmark
# =============================================================================================


@dataclass
class PhaseResult:
    workers: int
    articles: int
    profiled: bool = False
    passages: int = 0
    claims: int = 0
    runs: int = 0
    failed_runs: int = 0
    producer_seconds: float = 0.0
    split_seconds: float = 0.0
    ingest_seconds: float = 0.0
    check_seconds: float = 0.0
    total_seconds: float = 0.0
    timed_out: bool = False
    # Gaps between consecutive extractions (with one worker, each extraction's service time).
    extraction_gaps: list[float] = field(default_factory=list)
    # Worker time spent on checks before the last extraction (checks interleave with ingestion).
    checks_during_ingest: float = 0.0
    check_times: list[float] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.ingest_seconds if self.ingest_seconds else 0.0

    @property
    def ingest_only_per_second(self) -> float:
        """Articles per second of the worker time left for splitting and extraction."""
        busy = self.ingest_seconds - self.checks_during_ingest / self.workers
        return self.articles / busy if busy > 0 else 0.0

    @property
    def checks_per_second(self) -> float:
        return self.runs / self.check_seconds if self.check_seconds else 0.0


def template_of(database: str) -> str:
    return f"{database}_template"


def prepare_template(env: dict, database: str) -> None:
    """An empty, migrated database to copy for each phase (re-made on every run: cheap)."""
    drop_database(template_of(database))
    create_database(template_of(database))
    migrate({**env, "DATABASE_URL": database_url(template_of(database))})


def ingest_all(articles: list[Article]) -> float:
    """Feed the articles through the ingest service, as `manage.py ingest` does; returns seconds."""
    from factcheck.documents import parse_document
    from factcheck.services.ingest import Outcome, source_ingest

    started = time.perf_counter()
    for article in articles:
        document = parse_document(article.text.encode(), file_format="txt", max_bytes=10**7)
        result = source_ingest(
            document=replace(document, title=article.title),
            outlet_name=article.outlet,
            url=article.url,
            published_at=article.published,
        )
        if result.outcome != Outcome.CREATED:
            raise SystemExit(f"article not created: {result.detail}")
    return time.perf_counter() - started


def pipeline_state() -> dict[str, int]:
    from django.db.models import Count, Q

    from factcheck.models import CheckRun, Source

    sources = Source.objects.aggregate(
        total=Count("pk"),
        split=Count("pk", filter=Q(split_at__isnull=False)),
        extracted=Count("pk", filter=Q(claims_extracted_at__isnull=False)),
    )
    runs = dict(CheckRun.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {**sources, **{f"runs_{s}": runs.get(s, 0) for s in ("queued", "running", "succeeded", "failed")}}


def wait_until_done(
    expected: int,
    workers: list[Worker],
    timeout: float,
    on_extracted: Callable[[], None] | None = None,
    *,
    checks: bool = True,
) -> bool:
    """Poll the database until every source is extracted and (``checks``) no check run waits or runs."""
    deadline = time.monotonic() + timeout
    next_print = 0.0
    extracted_seen = False
    while time.monotonic() < deadline:
        state = pipeline_state()
        if time.monotonic() >= next_print:
            print(
                f"  split {state['split']}/{expected}, extracted {state['extracted']}/{expected}, checks queued "
                f"{state['runs_queued']} running {state['runs_running']} done {state['runs_succeeded']}",
                flush=True,
            )
            next_print = time.monotonic() + 5
        if state["extracted"] == expected and not extracted_seen:
            extracted_seen = True
            if on_extracted is not None:
                on_extracted()
        if state["extracted"] == expected and (not checks or state["runs_queued"] == state["runs_running"] == 0):
            return True
        if not all(worker.alive() for worker in workers):
            raise SystemExit(f"a worker died; see {VAR}")
        time.sleep(0.2)
    return False


def measure(result: PhaseResult) -> None:
    from django.db.models import Max, Min

    from factcheck.models import CheckRun, Claim, Passage, Source

    sources = Source.objects.aggregate(
        start=Min("ingested_at"), split=Max("split_at"), extracted=Max("claims_extracted_at")
    )
    succeeded = CheckRun.objects.filter(status="succeeded")
    runs = succeeded.aggregate(first=Min("started_at"), last=Max("finished_at"))
    result.passages = Passage.objects.count()
    result.claims = Claim.objects.count()
    result.runs = succeeded.count()
    result.failed_runs = CheckRun.objects.filter(status="failed").count()
    start = sources["start"]
    if start and sources["split"]:
        result.split_seconds = (sources["split"] - start).total_seconds()
    if start and sources["extracted"]:
        result.ingest_seconds = (sources["extracted"] - start).total_seconds()
    if runs["first"] and runs["last"]:
        result.check_seconds = (runs["last"] - runs["first"]).total_seconds()
        result.total_seconds = (runs["last"] - start).total_seconds() if start else 0.0
    moments = sorted(
        moment for moment in Source.objects.values_list("claims_extracted_at", flat=True) if moment is not None
    )
    if sources["split"] and moments:
        # One worker takes the extractions after the last split, one after another.
        result.extraction_gaps = [(b - a).total_seconds() for a, b in pairwise([sources["split"], *moments])]
    if start and sources["extracted"]:
        window_end = sources["extracted"]
        result.checks_during_ingest = sum(
            max(0.0, (min(finished, window_end) - max(began, start)).total_seconds())
            for began, finished in succeeded.values_list("started_at", "finished_at")
            if began is not None and finished is not None
        )
    result.check_times = [
        (finished - started).total_seconds()
        for started, finished in succeeded.values_list("started_at", "finished_at")
        if started and finished
    ]


class Profiler:
    """py-spy recording one process into collapsed stacks (``--nonblocking``: it never pauses it)."""

    def __init__(self, binary: str, pid: int, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.process = subprocess.Popen(
            [
                binary,
                "record",
                "--pid",
                str(pid),
                "--format",
                "raw",
                "--rate",
                "100",
                "--output",
                str(path),
                "--nonblocking",
                "--full-filenames",
                "--duration",
                "1800",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def py_spy() -> str | None:
    for candidate in (shutil.which("py-spy"), str(Path(sys.executable).parent / "py-spy")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def run_phase(
    *,
    workers_count: int,
    articles: list[Article],
    env: dict,
    database: str,
    timeout: float,
    profile: bool = False,
    ingest_only: bool = False,
) -> PhaseResult:
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    drop_database(database)
    create_database(database, template=template_of(database))
    purge_queues()
    label = f"{workers_count}w" + ("-profiled" if profile else "")
    queue = settings.FACTCHECK_INGEST_QUEUE if ingest_only else ""
    workers = [
        Worker(env, f"bench-pipeline-{label}-{i}", VAR / f"{database}-{label}-{i}.log", queue=queue)
        for i in range(workers_count)
    ]
    result = PhaseResult(workers=workers_count, articles=len(articles), profiled=profile)
    profilers: list[Profiler] = []
    try:
        for worker in workers:
            worker.start()
        wait_until_ready(workers)
        binary = py_spy() if profile else None
        pid = workers[0].pool_pids()[0]
        if binary:
            profilers.append(Profiler(binary, pid, PROFILE_INGEST))

        def switch_profile() -> None:
            if binary:
                profilers[0].stop()
                profilers.append(Profiler(binary, pid, PROFILE_CHECKS))

        print(
            f"{workers_count} worker(s){' (profiled)' if profile else ''}: ingesting {len(articles)} articles",
            flush=True,
        )
        result.producer_seconds = ingest_all(articles)
        print(f"  the ingest calls returned in {result.producer_seconds:.1f}s (producer side)", flush=True)
        result.timed_out = not wait_until_done(
            len(articles), workers, timeout, on_extracted=switch_profile, checks=not ingest_only
        )
    finally:
        for profiler in profilers:
            profiler.stop()
        stop_all(workers)
        purge_queues()
    measure(result)
    connections.close_all()
    return result


# --- Growth: the cost of an article as the claim store fills -------------------------------------


@dataclass
class GrowthBatch:
    claims_before: int
    articles: int
    split_seconds: float
    extract_seconds: float


def growth_phase(*, batches: int, batch_size: int, size: int, database: str) -> list[GrowthBatch]:
    """Split and extract ``batches`` batches of articles one after another in this process (the
    services called directly, as a worker's tasks call them; the checks they request are queued and
    purged, never run), timing each batch."""
    from django.db import connections

    from factcheck.models import Claim, Source
    from factcheck.services.claims import source_extract_claims
    from factcheck.services.passages import source_split

    connections.close_all()
    drop_database(database)
    create_database(database, template=template_of(database))
    purge_queues()
    articles = synthetic_articles(batches * batch_size, size=size, seed=11)
    results = []
    try:
        for start in range(0, len(articles), batch_size):
            ingest_all(articles[start : start + batch_size])
            waiting = list(Source.objects.filter(split_at__isnull=True).order_by("pk").values_list("pk", flat=True))
            claims_before = Claim.objects.count()
            began = time.perf_counter()
            for source_id in waiting:
                source_split(source_id=source_id)
            split = time.perf_counter()
            for source_id in waiting:
                source_extract_claims(source_id=source_id)
            done = time.perf_counter()
            results.append(GrowthBatch(claims_before, len(waiting), split - began, done - split))
            print(
                f"  growth batch {len(results)}/{batches}: {claims_before} claims before, "
                f"extraction {1000 * (done - split) / len(waiting):.0f} ms/article",
                flush=True,
            )
    finally:
        purge_queues()
        connections.close_all()
    return results


def growth_report(batches: list[GrowthBatch]) -> str:
    rows = [
        [
            index,
            batch.claims_before,
            f"{1000 * batch.split_seconds / batch.articles:.0f}",
            f"{1000 * batch.extract_seconds / batch.articles:.0f}",
        ]
        for index, batch in enumerate(batches, start=1)
    ]
    table = markdown_table(["batch", "claims before", "split per article (ms)", "extraction per article (ms)"], rows)
    first, last = batches[0], batches[-1]
    ratio = (last.extract_seconds / last.articles) / (first.extract_seconds / first.articles)
    return (
        f"Extraction as the claim store fills ({len(batches)} batches of {first.articles} articles, in this "
        f"process, no checks):\n\n{table}\n\n- extraction per article, batch {len(batches)} / batch 1: {ratio:.2f}x"
    )


# --- Profiles ----------------------------------------------------------------------------------

PROFILE_INGEST = VAR / "pipeline-profile-ingest.txt"
PROFILE_CHECKS = VAR / "pipeline-profile-checks.txt"


def summarise_collapsed(path: Path, *, within: str, top: int = 22) -> str:
    """Where the time of ``within`` (a function name, e.g. the service a task calls) goes, from
    py-spy's collapsed stacks: share of that function's samples by inclusive and own time."""
    inclusive: dict[str, int] = defaultdict(int)
    own: dict[str, int] = defaultdict(int)
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = [_short_frame(frame) for frame in stack.split(";")]
        if not any(frame.startswith(within + " ") for frame in frames):
            continue
        count = int(count_text)
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    if not total:
        return f"(no samples in {within})"
    rows = [
        [f"{100 * count / total:.1f}%", f"{100 * own.get(frame, 0) / total:.1f}%", frame]
        for frame, count in sorted(inclusive.items(), key=lambda item: -item[1])
        if _interesting(frame)
    ][:top]
    own_rows = [
        [f"{100 * count / total:.1f}%", frame] for frame, count in sorted(own.items(), key=lambda item: -item[1])[:12]
    ]
    return (
        f"{total} samples in {within} (100 Hz)\n\n"
        + markdown_table(["inclusive", "own", "function"], rows)
        + "\n\nMost own time:\n\n"
        + markdown_table(["own", "function"], own_rows)
    )


def _short_frame(frame: str) -> str:
    """py-spy's "function (path/to/file.py:123)" as "function (file path below site-packages or the repo)"."""
    match = re.match(r"(.*?) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    function, path = match.groups()
    path = path.split("site-packages/")[-1].split("/lib/python3.11/")[-1].replace(str(REPO_ROOT) + "/", "")
    return f"{function} ({path})"


def _interesting(frame: str) -> bool:
    return any(
        part in frame for part in ("factcheck/", "django/db/models/sql/compiler", "psycopg/cursor", "datasketch")
    )


def cprofile_ingest(articles: list[Article], database: str, top: int = 30) -> str:
    """Without py-spy: split and extract ``articles`` in this process (tasks run eagerly, checks
    included) under cProfile."""
    import cProfile
    import io
    import pstats

    from django.db import connections

    from config.celery import app

    connections.close_all()
    drop_database(database)
    create_database(database, template=template_of(database))
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        ingest_all(articles)
        profiler.disable()
    finally:
        app.conf.task_always_eager = previous
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    connections.close_all()
    return out.getvalue()


# --- Report ------------------------------------------------------------------------------------


def _ms(values: list[float], q: float | None = None) -> str:
    if not values:
        return "-"
    if q is None:
        return f"{1000 * statistics.mean(values):.0f}"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.0f}"


def report(results: list[PhaseResult], size: int, target: float) -> str:
    main = [r for r in results if not r.profiled]
    rows = [
        [
            r.workers,
            r.articles,
            r.passages,
            r.claims,
            f"{r.split_seconds:.1f}",
            f"{r.ingest_seconds:.1f}",
            f"{r.articles_per_second:.2f}",
            f"{r.articles_per_second / r.workers:.2f}",
            f"{r.ingest_only_per_second / r.workers:.2f}",
            r.runs,
            f"{r.check_seconds:.1f}",
            f"{r.checks_per_second:.1f}",
            f"{r.checks_per_second / r.workers:.1f}",
            f"{r.total_seconds:.1f}" + (" (timed out)" if r.timed_out else ""),
        ]
        for r in main
    ]
    table = markdown_table(
        [
            "workers",
            "articles",
            "passages",
            "claims",
            "all split (s)",
            "all extracted (s)",
            "articles/s",
            "articles/s per worker",
            "per worker, checks' time excluded",
            "checks",
            "check span (s)",
            "checks/s",
            "checks/s per worker",
            "total (s)",
        ],
        rows,
    )
    service_rows = []
    for r in main:
        split_ms = 1000 * r.split_seconds / r.articles if r.articles else 0.0
        extract_ms = 1000 * (r.ingest_seconds - r.split_seconds - r.checks_during_ingest) / r.articles
        service_rows.append(
            [
                r.workers,
                f"{split_ms:.0f}" if r.workers == 1 else "-",
                f"{extract_ms:.0f}" if r.workers == 1 else "-",
                f"{r.checks_during_ingest:.1f}",
                _ms(r.check_times),
                _ms(r.check_times, 0.5),
                _ms(r.check_times, 0.95),
            ]
        )
    service = markdown_table(
        [
            "workers",
            "split per article (ms)",
            "extraction per article (ms)",
            "checks run before the last extraction (worker s)",
            "check mean (ms)",
            "check median (ms)",
            "check p95 (ms)",
        ],
        service_rows,
    )
    one = next((r for r in main if r.workers == 1 and r.articles_per_second), None)
    scaling = [
        f"- {r.workers} worker processes / 1: {r.articles_per_second / one.articles_per_second:.2f}x the articles/s"
        for r in main
        if one is not None and r.workers > 1
    ]
    lines = [
        f"- {r.workers} worker process(es): {r.articles_per_second / r.workers:.2f} articles/s per worker process "
        f"({r.ingest_only_per_second / r.workers:.2f} on the time not spent on checks), "
        f"{'meets' if r.ingest_only_per_second / r.workers >= target else 'misses'} the target of {target:g} "
        f"({size / 1024:.0f} KB articles)"
        for r in main
    ]
    return (
        f"{table}\n\nService times from the database's timestamps (one worker: split = last split / articles; "
        f"extraction = the rest of the ingest window less the checks run in it, / articles):\n\n{service}\n\n"
        + "\n".join(lines + scaling)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=120, help="articles fed per phase (default 120)")
    parser.add_argument("--size", type=int, default=5120, help="bytes per article (default 5120)")
    parser.add_argument("--workers", default="1,2", help="worker processes per phase, e.g. 1,2 (default)")
    parser.add_argument("--database", default="factcheck_bench_pipeline")
    parser.add_argument("--broker", default=DEFAULT_BROKER)
    parser.add_argument("--queue", default=BENCH_QUEUE)
    parser.add_argument("--timeout", type=float, default=1200, help="seconds one phase may take (default 1200)")
    parser.add_argument("--target", type=float, default=20.0, help="articles/s per worker process (default 20)")
    parser.add_argument(
        "--ingest-only",
        action="store_true",
        help="workers consume only the ingest queue: splitting and extraction timed alone, checks queued, not run",
    )
    parser.add_argument("--growth-batches", type=int, default=0, help="add the growth phase: this many batches")
    parser.add_argument("--growth-batch", type=int, default=20, help="articles per growth batch (default 20)")
    parser.add_argument("--profile", action="store_true", help="add a profiled one-worker phase (py-spy or cProfile)")
    parser.add_argument("--profile-articles", type=int, default=60, help="articles in the profiled phase")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    args = parser.parse_args(argv)
    if not args.database.startswith("factcheck_bench"):
        parser.error("the database name must start with factcheck_bench")
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    if not counts or min(counts) < 1 or args.articles < 1:
        parser.error("give at least one article and one worker")
    if args.growth_batches < 0 or args.growth_batch < 1:
        parser.error("give a positive number of growth batches and articles per batch")

    env = bench_environment(database=args.database, broker=args.broker, queue=args.queue)
    use_environment(env)
    import django

    django.setup()

    print(f"machine: {machine_note()}", flush=True)
    articles = synthetic_articles(args.articles, size=args.size)
    sizes = [len(article.text.encode()) for article in articles]
    print(
        f"{len(articles)} articles, {statistics.mean(sizes):.0f} bytes on average, "
        f"{len({a.outlet for a in articles})} outlets",
        flush=True,
    )
    prepare_template(env, args.database)
    results = [
        run_phase(
            workers_count=count,
            articles=articles,
            env=env,
            database=args.database,
            timeout=args.timeout,
            ingest_only=args.ingest_only,
        )
        for count in counts
    ]
    growth = (
        growth_phase(batches=args.growth_batches, batch_size=args.growth_batch, size=args.size, database=args.database)
        if args.growth_batches
        else []
    )
    profile_text = ""
    if args.profile:
        sample = synthetic_articles(min(args.articles, args.profile_articles), size=args.size)
        if py_spy():
            run_phase(
                workers_count=1, articles=sample, env=env, database=args.database, timeout=args.timeout, profile=True
            )
            profile_text = "\n\n".join(
                [
                    f"py-spy, one worker, {len(sample)} articles: splitting",
                    summarise_collapsed(PROFILE_INGEST, within="source_split"),
                    "py-spy, the same worker: extraction",
                    summarise_collapsed(PROFILE_INGEST, within="source_extract_claims"),
                    "py-spy, the same worker: the checks",
                    summarise_collapsed(PROFILE_CHECKS, within="check_run_execute"),
                ]
            )
        else:
            profile_text = "cProfile (py-spy not installed), in-process:\n\n" + cprofile_ingest(sample, args.database)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.database)
        drop_database(template_of(args.database))
    print()
    print(report(results, args.size, args.target))
    if growth:
        print()
        print(growth_report(growth))
    if profile_text:
        print()
        print(profile_text)
    return 1 if any(r.timed_out for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
