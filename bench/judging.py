#!/usr/bin/env python
"""Passage judgements per second: the learned layer against the rules alone, in the same run.

    .venv/bin/python bench/judging.py [--pairs 3000] [--sample-corpus]

How many passages a second one core judges: the rules alone (``judge``) and the learned layer
(``decide``: rules, features and model), on FNC-1 training passages that share a word with their
headline (the ones retrieval brings). Each is timed twice: with the parsers' memo emptied first
(a check's passages read for the first time) and again at once (read before, as a passage is by
the next claim's check). One process, one core; other work on the machine lowers the figures,
so the load average is printed with them.
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
from factcheck.crosscheck.memo import forget_parsed  # noqa: E402
from factcheck.crosscheck.stance import CandidatePassage, ClaimAnalysis, forget_pair_measures, judge  # noqa: E402
from factcheck.documents import read_document  # noqa: E402
from training.datasets import load_fnc1  # noqa: E402

Task = tuple[ClaimAnalysis, CandidatePassage]


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


def rate(work: Sequence[Task], judge_one: Callable[[ClaimAnalysis, CandidatePassage], object]) -> float:
    started = time.perf_counter()
    for analysis, passage in work:
        judge_one(analysis, passage)
    return len(work) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Passage judgements per second on one core.")
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--sample-corpus", action="store_true", help="the team's label-set claims and sample corpus")
    options = parser.parse_args(argv)
    work, weight = sample_corpus_tasks() if options.sample_corpus else tasks(options.pairs)
    model = shipped_model()
    what = "sample corpus x label-set claims" if options.sample_corpus else f"{options.pairs:,} FNC-1 pairs"
    print(f"{len(work):,} judgements ({what}); load average {os.getloadavg()[0]:.1f}")
    rates = []
    for name, judge_one in (
        ("rules alone (judge)", lambda a, p: judge(a, p, weight)),
        ("rules + features + model (decide)", lambda a, p: decide(a, p, weight, model)),
    ):
        forget_parsed()
        first = rate(work, judge_one)
        forget_pair_measures()  # passages read before, as by another claim's check; this pair not
        again = rate(work, judge_one)
        rates.append((first, again))
        print(f"  {name}: {first:,.0f}/s read for the first time, {again:,.0f}/s read before")
    (rules_first, rules_again), (model_first, model_again) = rates
    print(
        f"  the learned layer runs at {model_first / rules_first:.2f} (first read) and "
        f"{model_again / rules_again:.2f} (read before) of the rules' rate; target: >= 20,000/s read before"
    )


if __name__ == "__main__":
    main()
