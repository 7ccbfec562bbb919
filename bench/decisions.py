#!/usr/bin/env python
"""Whether the learned layer still decides what it decided: ``decide()``'s judgements on a fixed
workload, recorded once and compared after each change that should change nothing (a speed-up).

    .venv/bin/python bench/decisions.py record [--pairs 3000 | --sample-corpus] [--out FILE]
    .venv/bin/python bench/decisions.py check  [--pairs 3000 | --sample-corpus] [--out FILE]

The workload is bench/judging.py's (FNC-1 training pairs, or the team's label-set claims against
the sample corpus). Each judgement is recorded whole (stance, reason, score, spans, values,
details, attribution) with the model's probabilities as computed, not rounded. ``check`` judges
the workload twice, with the parsers' memo emptied first and again at once (so a memo that
remembers the wrong thing shows), and wants every judgement identical and every probability
within 1e-9 of the recorded one. It exits 1 and lists the first differences otherwise.

The record is a file of the machine's (``var/``, not committed): record before the change. Both
run with one hash seed (the script restarts itself under HASH_SEED): the order in which a set of
stems is summed follows the seed, and a sum's last bit can round a relatedness to another fourth
decimal (0.96 or 0.9599), which is not a change of the engine's.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.judging import Task, sample_corpus_tasks, tasks  # noqa: E402
from factcheck.crosscheck.learned import decision, shipped_model  # noqa: E402
from factcheck.crosscheck.matching import Weight  # noqa: E402
from factcheck.crosscheck.memo import forget_parsed  # noqa: E402
from factcheck.crosscheck.stance import forget_pair_measures  # noqa: E402

PROBABILITY_TOLERANCE = 1e-9
HASH_SEED = "0"
DIFFERENCES_SHOWN = 10


def recorded(work: Sequence[Task], weight: Weight) -> list[dict[str, Any]]:
    """Each task's judgement (as JSON reads it back) and the model's probabilities."""
    model = shipped_model()
    found = []
    for analysis, passage in work:
        judgement, probabilities = decision(analysis, passage, weight, model)
        fields = {f.name: getattr(judgement, f.name) for f in dataclasses.fields(judgement) if f.name != "passage"}
        found.append(
            {
                "claim": analysis.claim.text,
                "passage": passage.text,
                "judgement": json.loads(json.dumps(fields, default=_as_json)),
                "probabilities": probabilities,
            }
        )
    return found


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot record {type(value).__name__}")


def largest_drift(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> float:
    """The largest difference between a recorded probability and the one computed now."""
    return max(
        (
            abs(old["probabilities"][s] - new["probabilities"].get(s, 0.0))
            for old, new in zip(before, after, strict=False)  # differences() reports a length apart
            for s in old["probabilities"]
        ),
        default=0.0,
    )


def differences(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[str]:
    if len(before) != len(after):
        return [f"{len(before)} judgements recorded, {len(after)} now"]
    found = []
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        where = f"#{index} {old['claim'][:60]!r} / {old['passage'][:60]!r}"
        if (old["claim"], old["passage"]) != (new["claim"], new["passage"]):
            found.append(f"{where}: another task now ({new['claim'][:60]!r} / {new['passage'][:60]!r})")
        elif old["judgement"] != new["judgement"]:
            was, now = old["judgement"], new["judgement"]
            changed = sorted(key for key in was.keys() | now.keys() if was.get(key) != now.get(key))
            found.append(f"{where}: " + "; ".join(f"{key} {was.get(key)!r} -> {now.get(key)!r}" for key in changed))
        else:
            drift = max(abs(old["probabilities"][s] - new["probabilities"][s]) for s in old["probabilities"])
            if drift > PROBABILITY_TOLERANCE:
                found.append(f"{where}: probabilities moved by {drift:.3g}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record decide()'s judgements, or check them against the record.")
    parser.add_argument("action", choices=("record", "check"))
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--sample-corpus", action="store_true", help="the team's label-set claims and sample corpus")
    parser.add_argument("--out", type=Path, help="the record (default: var/decisions-<workload>.json.gz)")
    options = parser.parse_args(argv)
    name = "sample-corpus" if options.sample_corpus else f"fnc1-{options.pairs}"
    path = options.out or REPO_ROOT / "var" / f"decisions-{name}.json.gz"
    work, weight = sample_corpus_tasks() if options.sample_corpus else tasks(options.pairs)
    forget_parsed()
    first = recorded(work, weight)
    if options.action == "record":
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as out:
            json.dump(first, out)
        print(f"{len(first):,} judgements ({name}) recorded in {path}")
        return 0
    with gzip.open(path, "rt", encoding="utf-8") as record:
        before = json.load(record)
    forget_pair_measures()  # the passages read before, as bench/judging.py's second pass
    again = recorded(work, weight)
    failed = False
    for label, after in (("memo emptied", first), ("read before", again)):
        found = differences(before, after)
        failed = failed or bool(found)
        print(
            f"{name}, {label}: {len(after):,} judgements, {len(found)} differ from {path.name}; "
            f"probabilities within {largest_drift(before, after):.1g}"
        )
        for line in found[:DIFFERENCES_SHOWN]:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != HASH_SEED:
        # The seed is read at start-up only: this very script again, under it.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": HASH_SEED})  # noqa: S606
    sys.exit(main())
