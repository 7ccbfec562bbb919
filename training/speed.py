"""python -m training.speed [--pairs 3000]

How many passages a second one core judges: the rules alone (``judge``) and the learned layer
(``decide``: rules, features and model), on FNC-1 training passages that share a word with their
headline (the ones retrieval brings). Each is timed twice: with the parsers' memo emptied first
(a check's passages read for the first time) and again at once (read before, as a passage is by
the next claim's check). One process, one core; other work on the machine lowers the figures,
so the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence

from factcheck.crosscheck.articles import article_passages, headline_analysis, passage_idf
from factcheck.crosscheck.features import shares_content
from factcheck.crosscheck.learned import decide, shipped_model
from factcheck.crosscheck.memo import forget_parsed
from factcheck.crosscheck.stance import CandidatePassage, ClaimAnalysis, judge
from training.datasets import load_fnc1

Task = tuple[ClaimAnalysis, CandidatePassage]


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
    options = parser.parse_args(argv)
    work, weight = tasks(options.pairs)
    model = shipped_model()
    print(f"{len(work):,} judgements ({options.pairs:,} FNC-1 pairs); load average {os.getloadavg()[0]:.1f}")
    for name, judge_one in (
        ("rules alone (judge)", lambda a, p: judge(a, p, weight)),
        ("rules + features + model (decide)", lambda a, p: decide(a, p, weight, model)),
    ):
        forget_parsed()
        first = rate(work, judge_one)
        again = rate(work, judge_one)
        print(f"  {name}: {first:,.0f}/s read for the first time, {again:,.0f}/s read before")


if __name__ == "__main__":
    main()
