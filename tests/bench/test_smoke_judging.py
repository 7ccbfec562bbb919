"""The judging benchmark and the decisions record run end to end on the sample corpus (no
timing is asserted), and the record's check sees a judgement that changed."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_judging_benchmark_prints_both_rates_for_the_rules_and_the_learned_layer() -> None:
    done = _run("bench/judging.py", "--sample-corpus", "--rounds", "1")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rules alone (judge):" in done.stdout
    assert "rules + features + model (decide):" in done.stdout
    assert "read before" in done.stdout


def test_the_decisions_record_is_checked_and_a_changed_judgement_is_reported(tmp_path: Path) -> None:
    record = tmp_path / "decisions.json.gz"
    assert _run("bench/decisions.py", "record", "--sample-corpus", "--out", str(record)).returncode == 0
    same = _run("bench/decisions.py", "check", "--sample-corpus", "--out", str(record))
    assert same.returncode == 0, same.stdout[-2000:] + same.stderr[-2000:]
    assert "0 differ" in same.stdout

    with gzip.open(record, "rt", encoding="utf-8") as read:
        judgements = json.load(read)
    judgements[0]["judgement"]["reason"] = "tampered"
    judgements[1]["probabilities"]["supports"] += 1e-6
    with gzip.open(record, "wt", encoding="utf-8") as write:
        json.dump(judgements, write)
    changed = _run("bench/decisions.py", "check", "--sample-corpus", "--out", str(record))
    assert changed.returncode == 1
    assert "2 differ" in changed.stdout
    assert "reason 'tampered' ->" in changed.stdout
    assert "probabilities moved by 1e-06" in changed.stdout
