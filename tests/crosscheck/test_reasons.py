"""The engine's codes in the desk's words: every reason the engine can give has words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from factcheck.crosscheck.figures import Qualifier
from factcheck.crosscheck.reasons import (
    QUALIFIER_WORDS,
    REASON_WORDS,
    WORTHINESS_WORDS,
    counted_in_words,
    qualifier_in_words,
    reason_in_words,
    stance_in_words,
    worthiness_in_words,
)
from factcheck.crosscheck.worthiness import rule_feature_names
from tests.crosscheck.test_stance import STANCE_CASES

ENGINE = Path(__file__).resolve().parents[2] / "factcheck" / "crosscheck"


def _snake_constants(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.replace("_", "").isalpha()
    }


def reasons_written_in_the_engine() -> set[str]:
    """The reason codes the engine's sources write: third argument (or ``reason=``) of a judgement
    built, the value of an assignment to ``reason``, the quotation table's codes, a refutation's kind."""
    found: set[str] = set()
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "Judgement" and len(node.args) > 2:
                    found |= _snake_constants(node.args[2])
                if name.endswith("_judgement") and len(node.args) > 3:
                    found |= {c for arg in node.args[2:4] for c in _snake_constants(arg)} - {"supports", "conflicts"}
                found |= {c for k in node.keywords if k.arg == "reason" for c in _snake_constants(k.value)}
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(t, "id", "") for target in targets for t in ast.walk(target)} - {""}
            if "reason" in names or ("kind" in names and path.name == "voice.py"):
                found |= _snake_constants(node.value) - {"supports", "conflicts", "mentions"}
            if names == {"_QUOTE_STANCE"}:
                found |= _snake_constants(node.value)
    return found


def test_the_scan_finds_the_engines_reasons() -> None:
    found = reasons_written_in_the_engine()
    # Written in each of the ways the scan reads: a judgement's argument, a table, a variable.
    assert {"figure_conflict", "quote_verbatim", "denial_reported", "refutation", "quote_absent"} <= found


def test_every_reason_the_engine_gives_has_words() -> None:
    given = reasons_written_in_the_engine() | {case[-1] for case in STANCE_CASES}
    assert not given - REASON_WORDS.keys()


def test_every_qualifier_has_words() -> None:
    assert set(QUALIFIER_WORDS) == set(Qualifier)


@pytest.mark.parametrize(
    ("reason", "details", "words"),
    [
        ("quote_misattributed", {}, "gives the quotation to someone else"),
        ("figure_not_given", {}, "is about it but gives no figure to compare"),
        ("related", {"place_not_given": ["Ostrel"]}, "is about the same subject but does not say where"),
        ("a_new_code", {}, "a new code"),
    ],
)
def test_reasons_read_as_words(reason: str, details: dict, words: str) -> None:
    assert reason_in_words(reason, details) == words


def test_stances_qualifiers_and_what_a_figure_counts() -> None:
    assert stance_in_words("conflicts") == "contradicts"
    assert qualifier_in_words("at_least") == "at least"
    assert qualifier_in_words("exact") == ""
    assert counted_in_words({"counted": "people", "counted_text": "soldiers", "event": "killed"}) == "soldiers killed"
    assert counted_in_words({"counted": "people", "event": ""}) == "people"
    assert counted_in_words({}) == ""


def test_every_worthiness_reason_has_words() -> None:
    assert set(rule_feature_names()) == set(WORTHINESS_WORDS)
    assert worthiness_in_words(["figure", "attribution"]) == "gives a figure; says who said it"
    assert worthiness_in_words([]) == ""
