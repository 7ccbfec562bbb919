#!/usr/bin/env python
"""Per-claim check latency at each corpus size, against a naive scan-everything baseline.

    .venv/bin/python bench/check_latency.py [--database factcheck_bench_1k --database ...] [--claims 100]

For each database (made by bench/corpus.py; by default every one of factcheck_bench_1k,
_10k, _100k and _1m that exists), in a process of its own:

1. the first ``--claims`` benchmark claims (``bench_claim``) are checked once to warm the
   caches, then once more, timed: ``crosscheck(text_scope(text, claimant=..., claim_date=...))``
   (dated by its event, so it searches the passages published within FACTCHECK_CHECK_WINDOW_DAYS of
   it, as a worker's check of a stored claim does; ``--whole-archive``: undated, all of them), the code
   path of ``manage.py crosscheck`` and of a worker (retrieval from PostgreSQL's full-text and
   trigram indexes, the candidates' rows, IDF weights, ``judge`` per candidate, ``assess``);
2. the same claims once more with each stage timed (retrieval queries, rows, judging);
3. the naive baseline: every passage's text (with its outlet and cluster) and every TermStat
   row are loaded once (timed apart), then, per claim, the same ``judge`` runs on every passage
   and ``assess`` on the result: what checking costs without an index. On large corpora it is
   measured on the first ``--baseline-claims`` claims only.

It prints a markdown table, compares each size with the smallest and ours with the baseline,
checks the issue's targets, and replaces its section in bench/README.md (``--readme ''``
for none). ``--explain N`` adds EXPLAIN (ANALYZE, BUFFERS) of the retrieval queries of N
claims; ``--profile PATH`` writes a pyinstrument profile of the timed pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(BENCH_DIR))

from corpus import database_url, size_label, update_readme  # noqa: E402

DEFAULT_DATABASES = ["factcheck_bench_1k", "factcheck_bench_10k", "factcheck_bench_100k", "factcheck_bench_1m"]
RESULT_PREFIX = "RESULT "
# The targets (ms) and ratios.
TARGET_P50 = {100_000: 150, 1_000_000: 500}
TARGET_P95 = {1_000_000: 1500}
TARGET_GROWTH_1K_100K = 3.0
TARGET_BASELINE_RATIO_100K = 20.0


# --- Measuring one database (a child process) ----------------------------------------------------


def setup_django(database: str, base_url: str | None) -> None:
    os.environ["DATABASE_URL"] = database_url(database, base_url).replace("postgresql://", "postgres://", 1)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of the values."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(percentile(ms, 0.95), 2),
        "p99": round(percentile(ms, 0.99), 2),
        "mean": round(statistics.fmean(ms), 2),
        "max": round(max(ms), 2),
    }


class StageTimer:
    """Wraps functions the check calls, adding up the time spent in each (for the breakdown pass)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, attribute: str, stage: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1

        setattr(owner, attribute, timed)
        self._undo.append(lambda: setattr(owner, attribute, original))

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    setup_django(args.measure, args.base_url)
    from django.conf import settings
    from django.db import connection

    from factcheck import search
    from factcheck.crosscheck import stance
    from factcheck.crosscheck.memo import forget_parsed
    from factcheck.services import checks

    def log(message: str) -> None:
        print(f"[{args.measure}] {message}", file=sys.stderr, flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factcheck_passage")
        passages = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id, kind, text, claimant, expected, supporting, conflicting, claim_date FROM bench_claim "
            "ORDER BY id LIMIT %s",
            [args.claims],
        )
        columns = ("id", "kind", "text", "claimant", "expected", "supporting", "conflicting", "claim_date")
        claims = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    if not claims:
        raise SystemExit(f"{args.measure} has no bench_claim rows: make it with bench/corpus.py")

    def check(claim: dict[str, Any]) -> checks.CheckOutcome:
        # Each claim starts with the engine's memos empty, as a new claim meets passages it has not seen:
        # "warm" means the database's caches, not answers remembered from the warm-up pass.
        forget_parsed()
        return checks.crosscheck(scope_of(claim))

    def scope_of(claim: dict[str, Any]) -> checks.CheckScope:
        day = None if args.whole_archive else claim["claim_date"]
        return checks.text_scope(claim["text"], claimant=claim["claimant"] or None, claim_date=day)

    load_at_start = os.getloadavg()[0]
    log(f"{passages:,} passages, {len(claims)} claims: warm-up pass")
    for claim in claims:
        check(claim)

    log("timed pass")
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    ours_ms: list[float] = []
    outcomes = []
    for claim in claims:
        started = time.perf_counter()
        outcome = check(claim)
        ours_ms.append((time.perf_counter() - started) * 1000)
        outcomes.append(outcome)
    if profiler is not None:
        profiler.stop()
        Path(args.profile).parent.mkdir(parents=True, exist_ok=True)
        Path(args.profile).write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        log(f"profile written to {args.profile}")

    log("breakdown pass")
    stages = StageTimer()
    stages.wrap(search.PostgresSearch, "_quotation_matches", "retrieve: quotations (incl. TermStat)")
    stages.wrap(search.PostgresSearch, "_figure_matches", "retrieve: figures (full text)")
    stages.wrap(search, "rare_query_terms", "retrieve: quotations' rarest words (TermStat)")
    stages.wrap(search, "passage_query_terms", "retrieve: claim terms and their other forms (TermStat)")
    stages.wrap(search.PostgresSearch, "_word_matches", "retrieve: words (full text)")
    stages.wrap(checks, "candidate_passages", "load candidate rows")
    stages.wrap(checks, "idf_for", "IDF weights (TermStat)")
    stages.wrap(checks, "decide", "judge candidates (rules and model)")
    stages.wrap(checks, "assess", "assess")
    breakdown_total = 0.0
    for claim in claims:
        started = time.perf_counter()
        check(claim)
        breakdown_total += time.perf_counter() - started
    stages.restore()
    breakdown = {stage: round(seconds * 1000 / len(claims), 2) for stage, seconds in stages.seconds.items()}
    breakdown["total"] = round(breakdown_total * 1000 / len(claims), 2)

    quality = planted_quality(claims, outcomes)
    explained = explain(args, claims, checks, search, scope_of) if args.explain else []
    baseline = naive_baseline(args, claims, ours_ms, passages, log, stance)

    return {
        "database": args.measure,
        "passages": passages,
        "claims": len(claims),
        "ours_ms": summary(ours_ms),
        "ours_samples_ms": [round(v, 2) for v in ours_ms],
        "candidates_mean": round(statistics.fmean(o.examined for o in outcomes), 1),
        "window_days": 0 if args.whole_archive else settings.FACTCHECK_CHECK_WINDOW_DAYS,
        "breakdown_ms": breakdown,
        "quality": quality,
        "baseline": baseline,
        "explain": explained,
        "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
    }


def planted_quality(claims: list[dict[str, Any]], outcomes: list[Any]) -> dict[str, Any]:
    """How often the assessment is the one the planted passages imply, and how many planted
    passages were found with the planted stance (recall; a check reads at most 40 candidates)."""
    agree = 0
    found = planted = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for claim, outcome in zip(claims, outcomes, strict=True):
        same = outcome.result.assessment == claim["expected"]
        agree += same
        by_kind[claim["kind"]][0] += same
        by_kind[claim["kind"]][1] += 1
        stances = {j.passage.passage_id: j.stance for j in outcome.judgements}
        for pid in claim["supporting"]:
            planted += 1
            found += stances.get(pid) == "supports"
        for pid in claim["conflicting"]:
            planted += 1
            found += stances.get(pid) == "conflicts"
    return {
        "agreement": round(agree / len(claims), 3),
        "planted_recall": round(found / planted, 3) if planted else None,
        "by_kind": {kind: f"{a}/{n}" for kind, (a, n) in sorted(by_kind.items())},
    }


def naive_baseline(
    args: argparse.Namespace, claims: list[dict[str, Any]], ours_ms: list[float], passages: int, log: Any, stance: Any
) -> dict[str, Any]:
    """Every passage judged in Python, for the first claims: no index, no retrieval."""
    from django.db import connection

    from factcheck.crosscheck import learned
    from factcheck.crosscheck.assess import assess
    from factcheck.crosscheck.matching import idf_weight

    count = args.baseline_claims if args.baseline_claims is not None else (20 if passages <= 10_000 else 5)
    count = min(count, len(claims))
    if count <= 0:
        return {}
    log(f"naive baseline: loading {passages:,} passages")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.source_id, s.outlet_id, o.name, s.origin_cluster_id, p.text, p.speaker, "
            "s.published_at, s.title, COALESCE(b.text, ''), COALESCE(a.text, '') "
            "FROM factcheck_passage p JOIN factcheck_source s ON s.id = p.source_id "
            "JOIN factcheck_outlet o ON o.id = s.outlet_id "
            "LEFT JOIN factcheck_passage b ON b.source_id = p.source_id AND b.position = p.position - 1 "
            "LEFT JOIN factcheck_passage a ON a.source_id = p.source_id AND a.position = p.position + 1"
        )
        # The engine's view of each passage as the service builds it (services.checks.candidate_passages).
        candidates = [
            stance.CandidatePassage(
                *row[:7],
                published=row[7].date() if row[7] else None,
                context=stance.article_context(row[8], row[9]),
                following=row[10],
            )
            for row in cursor.fetchall()
        ]
        cursor.execute("SELECT term, passages FROM factcheck_termstat")
        frequency = dict(cursor.fetchall())
    weight = idf_weight(frequency, frequency.pop("", 0))
    load_seconds = time.perf_counter() - started
    log(f"naive baseline: loaded in {load_seconds:.1f} s; judging every passage for {count} claims")
    baseline_ms, agree = [], 0
    for claim in claims[:count]:
        started = time.perf_counter()
        analysis = stance.analyse_claim(stance.ClaimText(claim["text"], claim["claimant"]))
        judgements = [learned.decide(analysis, candidate, weight) for candidate in candidates]
        result = assess(judgements)
        baseline_ms.append((time.perf_counter() - started) * 1000)
        agree += result.assessment == claim["expected"]
        log(f"  claim {claim['id']}: {baseline_ms[-1] / 1000:.1f} s")
    ours_same = ours_ms[:count]
    return {
        "claims": count,
        "what": "decide() (rules and model) on every passage, then assess()",
        "load_s": round(load_seconds, 2),
        "ms": summary(baseline_ms),
        "ours_same_claims_ms": summary(ours_same),
        "ratio_mean": round(statistics.fmean(baseline_ms) / statistics.fmean(ours_same), 1),
        "ratio_p50": round(statistics.median(baseline_ms) / statistics.median(ours_same), 1),
        "agreement": round(agree / count, 3),
    }


def explain(
    args: argparse.Namespace, claims: list[dict[str, Any]], checks: Any, search: Any, scope_of: Any
) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SQL statement retrieval runs for the first claims of each kind."""
    chosen, kinds = [], Counter()  # type: ignore[var-annotated]
    for claim in claims:
        if kinds[claim["kind"]] < max(1, args.explain // 4):
            chosen.append(claim)
            kinds[claim["kind"]] += 1
        if len(chosen) >= args.explain:
            break
    plans = []
    for claim in chosen:
        scope = scope_of(claim)
        query = checks.passage_query(scope, checks.analyse_claim(scope.claim))
        for sql, rows in search.explain_retrieval(query, "EXPLAIN (ANALYZE, BUFFERS)"):
            lines = [row[0] for row in rows]
            plans.append(
                {"claim": claim["id"], "claim_kind": claim["kind"], "query": search.channel_of(sql), "plan": lines}
            )
    return plans


# --- The parent: run each database, report ------------------------------------------------------


def existing_databases(names: list[str], base_url: str | None) -> list[str]:
    import psycopg

    with psycopg.connect(database_url("postgres", base_url)) as conn:
        present = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    return [name for name in names if name in present]


def run_child(args: argparse.Namespace, database: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", database, "--claims", str(args.claims)]
    if args.baseline_claims is not None:
        command += ["--baseline-claims", str(args.baseline_claims)]
    if args.explain:
        command += ["--explain", str(args.explain)]
    if args.whole_archive:
        command += ["--whole-archive"]
    if args.profile:
        command += ["--profile", args.profile.replace("{database}", database)]
    if args.base_url:
        command += ["--base-url", args.base_url]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measuring {database} failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def table(results: list[dict[str, Any]]) -> list[str]:
    smallest = results[0]["ours_ms"]["p50"]
    lines = [
        "| passages | window | claims | p50 ms | p95 ms | p99 ms | mean ms | p50 vs smallest | naive ms/claim (claims) "
        "| naive ÷ ours | assessment = planted | planted passages found |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ours, base, q = r["ours_ms"], r["baseline"], r["quality"]
        naive = f"{base['ms']['mean']:,.0f} ({base['claims']})" if base else "-"
        ratio = f"{base['ratio_mean']:,.0f}x" if base else "-"
        recall = f"{q['planted_recall']:.0%}" if q["planted_recall"] is not None else "-"
        lines.append(
            f"| {size_label(r['passages'])} | {window_label(r.get('window_days', 0))} | {r['claims']} "
            f"| {ours['p50']:.1f} | {ours['p95']:.1f} "
            f"| {ours['p99']:.1f} "
            f"| {ours['mean']:.1f} | {ours['p50'] / smallest:.2f}x | {naive} | {ratio} | {q['agreement']:.0%} "
            f"| {recall} |"
        )
    return lines


def window_label(days: int) -> str:
    return f"±{days} d" if days else "all"


def breakdown_table(results: list[dict[str, Any]]) -> list[str]:
    stages: list[str] = []
    for r in results:
        for stage in r["breakdown_ms"]:
            if stage not in stages and stage != "total":
                stages.append(stage)
    header = "| stage (mean ms per claim) | " + " | ".join(size_label(r["passages"]) for r in results) + " |"
    lines = [header, "| --- |" + " ---: |" * len(results)]
    for stage in [*stages, "total"]:
        cells = [f"{r['breakdown_ms'].get(stage, 0):.1f}" for r in results]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| candidates judged (mean) | " + " | ".join(f"{r['candidates_mean']:.0f}" for r in results) + " |")
    return lines


def targets(results: list[dict[str, Any]]) -> list[str]:
    by_size = {r["passages"]: r for r in results}
    lines = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    for size, limit in TARGET_P50.items():
        if size in by_size:
            got = by_size[size]["ours_ms"]["p50"]
            lines.append(f"- p50 ≤ {limit} ms at {size_label(size)}: {got:.1f} ms, {verdict(got <= limit)}")
    for size, limit in TARGET_P95.items():
        if size in by_size:
            got = by_size[size]["ours_ms"]["p95"]
            lines.append(f"- p95 ≤ {limit} ms at {size_label(size)}: {got:.1f} ms, {verdict(got <= limit)}")
    if 1_000 in by_size and 100_000 in by_size:
        growth = by_size[100_000]["ours_ms"]["p50"] / by_size[1_000]["ours_ms"]["p50"]
        lines.append(
            f"- growth 1k → 100k ≤ {TARGET_GROWTH_1K_100K:.0f}x (p50): {growth:.2f}x, "
            f"{verdict(growth <= TARGET_GROWTH_1K_100K)}"
        )
    if 100_000 in by_size and by_size[100_000]["baseline"]:
        ratio = by_size[100_000]["baseline"]["ratio_mean"]
        lines.append(
            f"- naive baseline ≥ {TARGET_BASELINE_RATIO_100K:.0f}x slower at 100k: {ratio:,.0f}x, "
            f"{verdict(ratio >= TARGET_BASELINE_RATIO_100K)}"
        )
    return lines


def explain_lines(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in results:
        for plan in r["explain"]:
            timing = next((ln.strip() for ln in plan["plan"] if ln.strip().startswith("Execution Time")), "")
            lines.append(f"claim {plan['claim']} ({plan['claim_kind']}), {plan['query']} query — {timing}")
            lines += [f"    {ln}" for ln in plan["plan"] if not ln.strip().startswith(("Planning", "Execution"))]
            lines.append("")
    return lines


def machine_facts() -> str:
    import psycopg

    def run(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    memory = run(["free", "-h"]).splitlines()
    memory_total = memory[1].split()[1] if len(memory) > 1 else "?"
    with psycopg.connect(database_url("postgres")) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit")
        }
    knobs = ", ".join(f"{k} {v}" for k, v in settings.items())
    return (
        f"{run(['nproc'])} cores ({platform.processor() or platform.machine()}), {memory_total} RAM, "
        f"PostgreSQL {server} ({knobs}), Python {platform.python_version()}"
    )


HOWTO = """### Corpus and check latency: how to run

`bench/corpus.py` writes a synthetic newswire corpus, reproducible from `--seed`, into a database it drops
and re-creates with the project's migrations (its name must contain `bench`): outlets (some wire agencies
whose stories other outlets re-run, sharing an origin cluster), sources, passages (text, offsets, position,
check-worthiness, speaker), `TermStat` and 200 benchmark claims with the passages planted for them
(`bench_claim`: supporting and conflicting passage ids and the assessment they imply). Passages and the
rest go in with COPY; the passage table's secondary indexes and foreign keys are dropped first and
rebuilt after (`--keep-indexes` loads into the indexed table instead). `bench/check_latency.py` times
`crosscheck(text_scope(claim))` at every size made, against a naive baseline, and refreshes its section here.

```sh
.venv/bin/python bench/corpus.py --passages 1k   --database factcheck_bench_1k   [--seed 7] [--readme bench/README.md]
.venv/bin/python bench/corpus.py --passages 10k  --database factcheck_bench_10k
.venv/bin/python bench/corpus.py --passages 100k --database factcheck_bench_100k
.venv/bin/python bench/corpus.py --passages 1M   --database factcheck_bench_1m    # about 1 min here
.venv/bin/python bench/check_latency.py [--database NAME ...] [--claims 100] [--baseline-claims 5] \\
    [--explain 8] [--profile bench/profiles/{{database}}.txt]
```

`tests/bench/test_smoke.py` runs both at 300 passages and 5 claims. Machine: {machine}.
"""


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> str:
    results = sorted(results, key=lambda r: r["passages"])
    base_claims = {r["baseline"]["claims"] for r in results if r["baseline"]}
    lines = [
        f"### {args.title}",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, `{' '.join(['bench/check_latency.py', *args.argv])}`; "
        f"{machine_facts()}. Other benchmarks may share these 2 cores: the 1-minute load average when each "
        "size started and ended was "
        + ", ".join(f"{size_label(r['passages'])} {'/'.join(map(str, r.get('load_average', [])))}" for r in results)
        + " (about 1 is this benchmark alone).",
        "",
        *table(results),
        "",
        "Ours: `crosscheck(text_scope(claim, claim_date=its event's day))` end to end (*window*: the passages "
        "published that many days either side of the claim's date are searched, as for a stored claim; *all*: "
        "`--whole-archive`; retrieval SQL, candidate rows, IDF weights, "
        "`judge` per candidate, `assess`), second pass over the same claims (warm cache). "
        f"Naive: every passage loaded once (not counted), then `judge` on every passage and `assess`, "
        f"on the first {'/'.join(str(c) for c in sorted(base_claims))} claims of each size; "
        "naive ÷ ours compares means over those same claims. *Assessment = planted*: the check's assessment is "
        "the one the planted passages imply; *planted passages found*: planted passages judged with the "
        "planted stance (a check reads at most 40 candidates).",
        "",
        *targets(results),
        "",
        "Where the time goes (a third pass with each stage timed; the timers add a little):",
        "",
        *breakdown_table(results),
        "",
    ]
    plans = explain_lines(results)
    if plans:
        lines += ["EXPLAIN (ANALYZE, BUFFERS) of the retrieval queries:", "", "```", *plans, "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", help="bench database (repeatable); default: every size made")
    parser.add_argument("--claims", type=int, default=100, help="claims timed per size")
    parser.add_argument(
        "--baseline-claims", type=int, default=None, help="claims for the naive baseline (default 20 up to 10k, else 5)"
    )
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the retrieval of this many claims")
    parser.add_argument(
        "--whole-archive", action="store_true", help="check claims undated: every passage, not their window's"
    )
    parser.add_argument("--profile", default="", help="pyinstrument profile path ({database} is replaced)")
    parser.add_argument("--readme", default=str(BENCH_DIR / "README.md"), help="README to update ('' for none)")
    parser.add_argument("--section", default="check_latency", help="README section name")
    parser.add_argument("--title", default="Check latency by corpus size", help="README section title")
    parser.add_argument("--results", default=str(BENCH_DIR / "results"), help="where to keep raw JSON ('' for none)")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = argv

    if args.measure:
        print(RESULT_PREFIX + json.dumps(measure(args)), flush=True)
        return 0

    databases = args.database or existing_databases(DEFAULT_DATABASES, args.base_url)
    if not databases:
        raise SystemExit("no bench database: make one with bench/corpus.py --passages 1k --database factcheck_bench_1k")
    results = []
    for database in databases:
        result = run_child(args, database)
        results.append(result)
        print(
            f"{database}: {result['passages']:,} passages, p50 {result['ours_ms']['p50']:.1f} ms, "
            f"p95 {result['ours_ms']['p95']:.1f} ms",
            file=sys.stderr,
            flush=True,
        )
        if args.results:
            out = Path(args.results)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{args.section}-{database}.json").write_text(json.dumps(result, indent=1))
    text = report(args, results)
    print(text)
    if args.readme:
        update_readme(Path(args.readme), "corpus_latency_howto", HOWTO.format(machine=machine_facts()))
        update_readme(Path(args.readme), args.section, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
