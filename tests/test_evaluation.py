"""Precision and recall against gold labels: pure, no database."""

import pytest

from factcheck.evaluation import (
    CrosscheckPrediction,
    LabelError,
    Score,
    crosscheck_cases,
    evaluate_crosscheck,
    evaluate_extraction,
    resolve_labels,
)

PASSAGES = {
    "a.md": ["Two men were captured.", "Key points", "Police said 12 died."],
    "b.md": ["Two men were captured, police said.", "Image: handout"],
    "c.md": ["Two men were captured."],
}
LABELS = {
    "kind": "extraction",
    "claims": [
        {
            "id": "capture",
            "appearances": [{"file": "a.md", "text": "Two men were"}, {"file": "b.md", "text": "police said"}],
        },
        {"id": "deaths", "appearances": [{"file": "a.md", "text": "12 died"}]},
        {"id": "capture-c", "appearances": [{"file": "c.md", "text": "Two men"}]},
    ],
    "not_claims": [{"file": "a.md", "text": "Key points"}, {"file": "b.md", "text": "Image"}],
    "copies": [["a.md", "c.md"]],
}


def key_text() -> dict[tuple[str, int], str]:
    return {(name, i): text for name, texts in PASSAGES.items() for i, text in enumerate(texts)}


def test_score_arithmetic() -> None:
    score = Score(true_positives=3, false_positives=1, false_negatives=2)
    assert (score.precision, score.recall) == (0.75, 0.6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Score(0, 0, 0).precision == 1.0


def test_it_scores_extraction_matching_and_copies() -> None:
    gold = resolve_labels(LABELS, PASSAGES)
    # Extracted: both capture passages as one claim, c.md's as another, and "Key points" wrongly; the deaths missed.
    claim_of = {("a.md", 0): 1, ("b.md", 0): 1, ("c.md", 0): 2, ("a.md", 1): 3}
    report = evaluate_extraction(gold, claim_of, {"a.md": 10, "b.md": 11, "c.md": 10}, key_text())
    assert (report.extraction.true_positives, report.extraction.false_positives, report.extraction.false_negatives) == (
        3,
        1,
        1,
    )
    # Pairs among extracted gold claims: (a0,b0) same & same; (a0,c0) and (b0,c0) different & different.
    assert (report.matching.true_positives, report.matching.false_positives, report.matching.false_negatives) == (
        1,
        0,
        0,
    )
    assert (report.copies.true_positives, report.copies.false_positives, report.copies.false_negatives) == (1, 0, 0)
    assert report.missed_claims == ["a.md: Police said 12 died."]
    assert report.spurious_claims == ["a.md: Key points"]


def test_a_wrong_merge_and_a_split_fact_are_reported() -> None:
    gold = resolve_labels(LABELS, PASSAGES)
    claim_of = {("a.md", 0): 1, ("b.md", 0): 2, ("a.md", 2): 1}
    report = evaluate_extraction(gold, claim_of, {}, key_text())
    assert report.split_facts == ["capture: 2 claims"]
    assert report.wrong_merges == ["claim 1: capture, deaths"]
    assert report.copies.false_negatives == 1


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"kind": "assessment"}, "expected labels of kind 'extraction'"),
        ({"kind": "extraction", "not_claims": [{"file": "z.md", "text": "x"}]}, "z.md: no such file"),
        ({"kind": "extraction", "not_claims": [{"file": "a.md", "text": "e"}]}, "matches 3 passages"),
        ({"kind": "extraction", "not_claims": [{"file": "a.md", "text": "absent"}]}, "matches 0 passages"),
    ],
)
def test_labels_that_do_not_fit_are_refused_with_the_place(labels: dict, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        resolve_labels(labels, PASSAGES)


CROSSCHECK_LABELS = {
    "kind": "crosscheck",
    "cases": [
        # Right label, right outlets.
        {"id": "a", "kind": "figure", "claim": "A.", "expected": "corroborated", "supporting": ["X", "Y"]},
        # Right label reached through an outlet that does not support it.
        {"id": "b", "kind": "figure", "claim": "B.", "expected": "corroborated", "supporting": ["X", "Y"]},
        # Wrong label, right outlets.
        {"id": "c", "kind": "report", "claim": "C.", "expected": "unverified"},
        # Right label, a conflicting outlet missed.
        {
            "id": "d",
            "claim": "D.",
            "expected": "contradicted",
            "conflicting": ["X", "Z"],
        },
    ],
}


def prediction(
    assessment: str, supporting: tuple[str, ...] = (), conflicting: dict[str, str] | None = None
) -> CrosscheckPrediction:
    return CrosscheckPrediction(assessment, "", frozenset(supporting), dict(conflicting or {}))


CROSSCHECK_PREDICTIONS = {
    "a": prediction("corroborated", ("X", "Y")),
    "b": prediction("corroborated", ("X", "Z")),
    "c": prediction("single_source"),
    "d": prediction("contradicted", conflicting={"X": "denial"}),
}


def test_a_crosscheck_case_counts_with_outlets_only_when_the_label_and_both_outlet_lists_are_right() -> None:
    report = evaluate_crosscheck(crosscheck_cases(CROSSCHECK_LABELS), CROSSCHECK_PREDICTIONS)
    assert (report.correct, report.correct_with_outlets, report.cases) == (3, 1, 4)
    assert (report.accuracy, report.outlet_accuracy) == (0.75, 0.25)
    assert report.right_label_wrong_outlets == ["b [figure]", "d"]
    assert report.misses == ["c [report]: expected unverified, got single_source — "]
    # Outlet level: support X,Y (a) + X (b) right, Z (b) spurious, Y (b) missed; conflict X (d) right, Z (d) missed.
    support, conflict = report.supporting, report.conflicting
    assert (support.true_positives, support.false_positives, support.false_negatives) == (3, 1, 1)
    assert (conflict.true_positives, conflict.false_positives, conflict.false_negatives) == (1, 0, 1)


def test_crosscheck_scores_are_broken_down_by_kind_of_case() -> None:
    report = evaluate_crosscheck(crosscheck_cases(CROSSCHECK_LABELS), CROSSCHECK_PREDICTIONS)
    tallies = {kind: (t.cases, t.label, t.label_and_outlets) for kind, t in report.per_kind.items()}
    assert tallies == {"figure": (2, 2, 1), "report": (1, 0, 0)}  # "d" has no kind: counted overall only
    lines = report.lines()
    assert lines[0] == "assessment accuracy 0.750 (3/4)"
    assert lines[1].startswith("assessment + outlets accuracy 0.250 (1/4)")
    assert "  figure        label 1.000 (2/2)  label + outlets 0.500 (1/2)" in lines
    assert "Right assessment, wrong outlets: 2" in lines


def test_a_case_without_a_kind_reads_as_before() -> None:
    (case,) = crosscheck_cases({"kind": "crosscheck", "cases": [{"claim": "A.", "expected": "unverified"}]})
    assert (case.id, case.kind, case.supporting, case.conflicting) == ("0", "", frozenset(), frozenset())
    with pytest.raises(LabelError, match="unknown assessment 'likely'"):
        crosscheck_cases({"kind": "crosscheck", "cases": [{"claim": "A.", "expected": "likely"}]})


def test_the_report_says_how_well_the_confidence_predicts_a_right_assessment() -> None:
    cases = crosscheck_cases(
        {"kind": "crosscheck", "cases": [{"id": str(n), "claim": "A.", "expected": "unverified"} for n in range(4)]}
    )
    predictions = {
        "0": CrosscheckPrediction("unverified", "", frozenset(), {}, confidence=0.9),
        "1": CrosscheckPrediction("unverified", "", frozenset(), {}, confidence=0.9),
        "2": CrosscheckPrediction("corroborated", "", frozenset(), {}, confidence=0.9),
        "3": CrosscheckPrediction("corroborated", "", frozenset(), {}, confidence=0.1),
    }
    lines = evaluate_crosscheck(cases, predictions).lines()
    # (0.1^2 + 0.1^2 + 0.9^2 + 0.1^2) / 4
    assert "Confidence as the probability of a right assessment: Brier 0.210 (4 cases)" in lines
    assert "  0.8-1.0: 3 cases, mean confidence 0.90, right 0.67" in lines
    assert "  0.0-0.2: 1 cases, mean confidence 0.10, right 0.00" in lines
