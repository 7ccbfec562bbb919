#!/usr/bin/env python
"""Passage judgements per second: the learned layer against the rules alone, in the same run.

    .venv/bin/python bench/judging.py [--pairs 3000] [--sample-corpus] [--rounds 3] [--wall-clock]

How many passages a second one core judges: the rules alone (``judge``) and the learned layer
(``decide``: rules, features and model), on FNC-1 training passages that share a word with their
headline (the ones retrieval brings). Each is timed twice: with the parsers' memo emptied first
(a check's passages read for the first time) and again at once (read before, as a passage is by
the next claim's check: its parses remembered, this claim's measures of it not).

The work is judged in batches of consecutive tasks reading at most BATCH_PASSAGES distinct passages,
each batch timed both ways before the next: the parsers remember PARSE_CACHE_SIZE texts each, so a
second pass over the whole of a larger workload would find none of its first passages remembered
and time a first read again. Each figure is the best of ``--rounds`` rounds (timings on a shared
machine only ever err slow), in processor time: one core's work, not the time spent waiting for
it (``--wall-clock`` times by the clock). Other work on the machine still lowers the figures
(caches and memory bandwidth are shared), so the load average is printed with them, and the
ratio of the two rates is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from factcheck.crosscheck.articles import article_passages, headline_analysis, passage_idf  # noqa: E402
from factcheck.crosscheck.features import shares_content  # noqa: E402
from factcheck.crosscheck.learned import decide, shipped_model  # noqa: E402
from factcheck.crosscheck.memo import PARSE_CACHE_SIZE, forget_parsed  # noqa: E402
from factcheck.crosscheck.stance import CandidatePassage, ClaimAnalysis, forget_pair_measures, judge  # noqa: E402
from factcheck.documents import read_document  # noqa: E402
from training.datasets import load_fnc1  # noqa: E402

Task = tuple[ClaimAnalysis, CandidatePassage]
Judge = Callable[[ClaimAnalysis, CandidatePassage], object]

# Distinct passages a batch reads: a fraction of what each parser remembers, with room for the claims.
BATCH_PASSAGES = PARSE_CACHE_SIZE // 4


def sample_corpus_tasks() -> tuple[list[Task], Callable[[str], float]]:
    """The team's label-set claims against every sample-corpus passage sharing a word with them
    (the documents' front matter left out, as ingestion leaves it)."""
    articles = sorted((REPO_ROOT / "factcheck" / "sample_data" / "articles").glob("*.md"))
    passages = [p for path in articles for p in article_passages(read_document(path, max_bytes=10**7).text)]
    weight = passage_idf(p.text for p in passages)
    cases = json.loads((REPO_ROOT / "factcheck" / "sample_data" / "labels" / "crosscheck.json").read_text())["cases"]
    found = []
    for case in cases:
        analysis = headline_analysis(case["claim"])
        found += [(analysis, p) for p in passages if shares_content(analysis, p.text)]
    return found, weight


def tasks(pairs: int) -> tuple[list[Task], Callable[[str], float]]:
    corpus = load_fnc1()
    chosen = sorted(corpus.pairs[:pairs], key=lambda pair: pair.body_id)
    bodies = {pair.body_id: article_passages(corpus.bodies[pair.body_id]) for pair in chosen}
    weight = passage_idf(p.text for body in bodies.values() for p in body)
    found = []
    for pair in chosen:
        analysis = headline_analysis(pair.claim)
        found += [(analysis, p) for p in bodies[pair.body_id] if shares_content(analysis, p.text)]
    return found, weight


def batches(work: Sequence[Task], passages: int = BATCH_PASSAGES) -> list[Sequence[Task]]:
    """The work cut into consecutive batches that read at most ``passages`` distinct passages each."""
    found: list[Sequence[Task]] = []
    start, seen = 0, set[str]()
    for index, (_, passage) in enumerate(work):
        if passage.text not in seen and len(seen) == passages:
            found.append(work[start:index])
            start, seen = index, set()
        seen.add(passage.text)
    return [*found, work[start:]] if work else found


def seconds(work: Sequence[Task], judge_one: Judge, clock: Callable[[], float] = time.process_time) -> float:
    """The time the work takes: by default processor time, one core's, whatever else the machine runs."""
    started = clock()
    for analysis, passage in work:
        judge_one(analysis, passage)
    return clock() - started


def rates(
    work: Sequence[Task], judge_one: Judge, rounds: int, clock: Callable[[], float] = time.process_time
) -> tuple[float, float]:
    """Judgements per second, passages read for the first time and read before: the best of ``rounds``."""
    best_first = best_again = float("inf")
    for _ in range(rounds):
        first = again = 0.0
        for batch in batches(work):
            forget_parsed()
            first += seconds(batch, judge_one, clock)
            forget_pair_measures()  # passages read before, as by another claim's check; this pair not
            again += seconds(batch, judge_one, clock)
        best_first, best_again = min(best_first, first), min(best_again, again)
    return len(work) / best_first, len(work) / best_again


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Passage judgements per second on one core.")
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--sample-corpus", action="store_true", help="the team's label-set claims and sample corpus")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best counts")
    parser.add_argument("--wall-clock", action="store_true", help="time by the wall clock, not processor time")
    options = parser.parse_args(argv)
    clock = time.perf_counter if options.wall_clock else time.process_time
    work, weight = sample_corpus_tasks() if options.sample_corpus else tasks(options.pairs)
    model = shipped_model()
    what = "sample corpus x label-set claims" if options.sample_corpus else f"{options.pairs:,} FNC-1 pairs"
    print(
        f"{len(work):,} judgements ({what}) in {len(batches(work))} batches; "
        f"load average {os.getloadavg()[0]:.1f}; best of {options.rounds} rounds, "
        f"{'wall-clock' if options.wall_clock else 'processor'} time"
    )
    measured = []
    for name, judge_one in (
        ("rules alone (judge)", lambda a, p: judge(a, p, weight)),
        ("rules + features + model (decide)", lambda a, p: decide(a, p, weight, model)),
    ):
        first, again = rates(work, judge_one, options.rounds, clock)
        measured.append((first, again))
        print(f"  {name}: {first:,.0f}/s read for the first time, {again:,.0f}/s read before")
    (rules_first, rules_again), (model_first, model_again) = measured
    print(
        f"  the learned layer runs at {model_first / rules_first:.2f} (first read) and "
        f"{model_again / rules_again:.2f} (read before) of the rules' rate; target: >= 20,000/s read before"
    )


if __name__ == "__main__":
    main()
