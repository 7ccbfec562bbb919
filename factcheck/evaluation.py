"""Scoring extraction, matching and copy detection against gold labels. Pure: no Django import.

Labels name passages by file and a distinctive substring, so they survive small
changes in how text is split. Precision and recall:
- extraction: over every labelled passage, "is a claim" predicted vs gold;
- matching: over pairs of passages that are gold claims and were both extracted,
  "same claim" predicted vs "same fact" gold;
- copies: over pairs of labelled files, "same origin cluster" vs gold copy pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.crosscheck.assess import ASSESSMENTS

PassageKey = tuple[str, int]  # (file name, position)


class LabelError(Exception):
    """The labels do not fit the corpus; the message says where."""


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<11} precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(TP {self.true_positives}, FP {self.false_positives}, FN {self.false_negatives})"
        )


@dataclass(frozen=True)
class GoldLabels:
    group_of: dict[PassageKey, str | None]  # None: labelled "not a claim"
    copy_pairs: frozenset[frozenset[str]]
    files: frozenset[str]


@dataclass
class ExtractionReport:
    extraction: Score
    matching: Score
    copies: Score
    missed_claims: list[str] = field(default_factory=list)
    spurious_claims: list[str] = field(default_factory=list)
    split_facts: list[str] = field(default_factory=list)
    wrong_merges: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [self.extraction.line("extraction"), self.matching.line("matching"), self.copies.line("copies")]
        for title, items in [
            ("Missed claims (gold claim, not extracted)", self.missed_claims),
            ("Spurious claims (extracted, gold says not a claim)", self.spurious_claims),
            ("Facts split over several claims", self.split_facts),
            ("Claims merging different facts", self.wrong_merges),
        ]:
            lines.append(f"{title}: {len(items)}")
            lines.extend(f"  - {item}" for item in items)
        return lines


def resolve_labels(labels: Mapping[str, Any], passages: Mapping[str, list[str]]) -> GoldLabels:
    """Turn labels into passage keys; ``passages`` maps each file name to its passage texts in order."""
    if labels.get("kind") != "extraction":
        raise LabelError(f"expected labels of kind 'extraction', got {labels.get('kind')!r}")
    group_of: dict[PassageKey, str | None] = {}
    for group in labels.get("claims", []):
        for appearance in group["appearances"]:
            group_of[_find(appearance, passages)] = group["id"]
    for item in labels.get("not_claims", []):
        group_of[_find(item, passages)] = None
    copy_pairs = frozenset(frozenset(pair) for pair in labels.get("copies", []))
    return GoldLabels(group_of, copy_pairs, frozenset(passages))


def _find(item: Mapping[str, str], passages: Mapping[str, list[str]]) -> PassageKey:
    name, snippet = item["file"], item["text"]
    if name not in passages:
        raise LabelError(f"{name}: no such file in the corpus")
    positions = [i for i, text in enumerate(passages[name]) if snippet in text]
    if len(positions) != 1:
        raise LabelError(f"{name}: {snippet!r} matches {len(positions)} passages, not exactly one")
    return (name, positions[0])


def evaluate_extraction(
    gold: GoldLabels,
    claim_of: Mapping[PassageKey, int],
    cluster_of: Mapping[str, int],
    passage_text: Mapping[PassageKey, str],
) -> ExtractionReport:
    """``claim_of``: passage -> the claim it appears in (extracted passages only);
    ``cluster_of``: file -> its origin cluster."""
    report = ExtractionReport(
        extraction=_extraction_score(gold, claim_of),
        matching=_pair_score(_matching_pairs(gold, claim_of)),
        copies=_pair_score(_copy_pairs(gold, cluster_of)),
    )
    for key, group in sorted(gold.group_of.items()):
        extracted = key in claim_of
        if group is not None and not extracted:
            report.missed_claims.append(f"{key[0]}: {passage_text[key]}")
        elif group is None and extracted:
            report.spurious_claims.append(f"{key[0]}: {passage_text[key]}")
    report.split_facts, report.wrong_merges = _matching_misses(gold, claim_of)
    return report


def _extraction_score(gold: GoldLabels, claim_of: Mapping[PassageKey, int]) -> Score:
    tp = sum(1 for key, group in gold.group_of.items() if group is not None and key in claim_of)
    fp = sum(1 for key, group in gold.group_of.items() if group is None and key in claim_of)
    fn = sum(1 for key, group in gold.group_of.items() if group is not None and key not in claim_of)
    return Score(tp, fp, fn)


def _matching_pairs(gold: GoldLabels, claim_of: Mapping[PassageKey, int]) -> Iterable[tuple[bool, bool]]:
    """(gold same, predicted same) for each pair of extracted gold-claim passages."""
    keys = sorted(key for key, group in gold.group_of.items() if group is not None and key in claim_of)
    for a, b in itertools.combinations(keys, 2):
        yield gold.group_of[a] == gold.group_of[b], claim_of[a] == claim_of[b]


def _copy_pairs(gold: GoldLabels, cluster_of: Mapping[str, int]) -> Iterable[tuple[bool, bool]]:
    for a, b in itertools.combinations(sorted(gold.files), 2):
        predicted = a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
        yield frozenset((a, b)) in gold.copy_pairs, predicted


def _pair_score(pairs: Iterable[tuple[bool, bool]]) -> Score:
    tp = fp = fn = 0
    for actual, predicted in pairs:
        tp += actual and predicted
        fp += predicted and not actual
        fn += actual and not predicted
    return Score(tp, fp, fn)


def _matching_misses(gold: GoldLabels, claim_of: Mapping[PassageKey, int]) -> tuple[list[str], list[str]]:
    claims_of_group: dict[str, set[int]] = {}
    groups_of_claim: dict[int, set[str]] = {}
    for key, group in gold.group_of.items():
        if group is None or key not in claim_of:
            continue
        claims_of_group.setdefault(group, set()).add(claim_of[key])
        groups_of_claim.setdefault(claim_of[key], set()).add(group)
    split = [f"{group}: {len(claims)} claims" for group, claims in sorted(claims_of_group.items()) if len(claims) > 1]
    merged = [
        f"claim {claim}: {', '.join(sorted(groups))}"
        for claim, groups in sorted(groups_of_claim.items())
        if len(groups) > 1
    ]
    return split, merged


# --- Cross-source checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class CrosscheckCase:
    id: str
    claim: str
    claimant: str
    expected: str
    supporting: frozenset[str]
    conflicting: frozenset[str]
    kind: str = ""  # what the case tests (report, refutation, figure, quotation, copy...); "" when unlabelled


@dataclass(frozen=True)
class CrosscheckPrediction:
    assessment: str
    explanation: str
    supporting: frozenset[str]
    conflicting: dict[str, str]  # outlet -> the reason code of its conflict
    confidence: float | None = None  # the assessment's confidence, when the engine gave one


@dataclass
class KindTally:
    """One kind of case: how many, how many got the label right, how many the label and the outlets."""

    cases: int = 0
    label: int = 0
    label_and_outlets: int = 0

    def line(self, name: str) -> str:
        return (
            f"  {name:<13} label {_ratio(self.label, self.cases)}  "
            f"label + outlets {_ratio(self.label_and_outlets, self.cases)}"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole if whole else 1.0:.3f} ({part}/{whole})"


@dataclass
class CrosscheckReport:
    cases: int
    correct: int
    per_assessment: dict[str, Score]
    supporting: Score
    conflicting: Score
    # Cases whose assessment is right AND whose supporting and conflicting outlets are exactly
    # the gold ones: a right label reached through the wrong outlets is luck, not a check.
    correct_with_outlets: int = 0
    per_kind: dict[str, KindTally] = field(default_factory=dict)
    # Conflicts decided by figures where the labels expect none from that outlet: the
    # failure the issue forbids (different things counted taken for a contradiction).
    figure_false_conflicts: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    right_label_wrong_outlets: list[str] = field(default_factory=list)
    outlet_misses: list[str] = field(default_factory=list)
    # (confidence, assessment right) per case: is the confidence a probability of being right?
    confidences: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.cases if self.cases else 1.0

    @property
    def outlet_accuracy(self) -> float:
        """Share of cases right on the label and on both outlet lists."""
        return self.correct_with_outlets / self.cases if self.cases else 1.0

    def lines(self) -> list[str]:
        lines = [
            f"assessment accuracy {self.accuracy:.3f} ({self.correct}/{self.cases})",
            f"assessment + outlets accuracy {self.outlet_accuracy:.3f} ({self.correct_with_outlets}/{self.cases})"
            "  (label right and exactly the gold supporting and conflicting outlets)",
        ]
        lines += [score.line(f"  {name}") for name, score in self.per_assessment.items()]
        lines += [self.supporting.line("supporting outlets"), self.conflicting.line("conflicting outlets")]
        if self.per_kind:
            lines.append("By kind of case:")
            lines += [tally.line(kind) for kind, tally in sorted(self.per_kind.items())]
        lines += calibration_lines(self.confidences)
        lines.append(f"Conflicts from figures about different things: {len(self.figure_false_conflicts)}")
        lines.extend(f"  - {item}" for item in self.figure_false_conflicts)
        lines.append(f"Wrong assessments: {len(self.misses)}")
        lines.extend(f"  - {item}" for item in self.misses)
        lines.append(f"Right assessment, wrong outlets: {len(self.right_label_wrong_outlets)}")
        lines.extend(f"  - {item}" for item in self.right_label_wrong_outlets)
        lines.append(f"Outlets misplaced: {len(self.outlet_misses)}")
        lines.extend(f"  - {item}" for item in self.outlet_misses)
        return lines


CALIBRATION_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def calibration_lines(confidences: Sequence[tuple[float, bool]]) -> list[str]:
    """The Brier score of the confidences as probabilities of the assessment being right, and a
    reliability table: in each band of confidence, how often the assessment was right."""
    if not confidences:
        return []
    brier = sum((confidence - right) ** 2 for confidence, right in confidences) / len(confidences)
    lines = [f"Confidence as the probability of a right assessment: Brier {brier:.3f} ({len(confidences)} cases)"]
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        band = [(c, r) for c, r in confidences if low <= c < high or (high == 1.0 and c == 1.0)]
        if band:
            mean = sum(c for c, _ in band) / len(band)
            right = sum(r for _, r in band) / len(band)
            lines.append(f"  {low:.1f}-{high:.1f}: {len(band)} cases, mean confidence {mean:.2f}, right {right:.2f}")
    return lines


def crosscheck_cases(labels: Mapping[str, Any]) -> list[CrosscheckCase]:
    if labels.get("kind") != "crosscheck":
        raise LabelError(f"expected labels of kind 'crosscheck', got {labels.get('kind')!r}")
    cases = []
    for index, item in enumerate(labels.get("cases", [])):
        try:
            case = CrosscheckCase(
                id=str(item.get("id", index)),
                claim=str(item["claim"]),
                claimant=str(item.get("claimant", "")),
                expected=str(item["expected"]),
                supporting=frozenset(item.get("supporting", [])),
                conflicting=frozenset(item.get("conflicting", [])),
                kind=str(item.get("kind", "")),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise LabelError(f"case {index}: needs 'claim' and 'expected' ({error})") from None
        if case.expected not in ASSESSMENTS:
            raise LabelError(f"case {case.id}: unknown assessment {case.expected!r}; known: {', '.join(ASSESSMENTS)}")
        cases.append(case)
    return cases


def evaluate_crosscheck(
    cases: Sequence[CrosscheckCase], predictions: Mapping[str, CrosscheckPrediction]
) -> CrosscheckReport:
    """Score predictions (by case id) against the labels: the assessment, and which outlets support or conflict."""
    per_label = {name: [0, 0, 0] for name in ASSESSMENTS}
    support_pairs: list[tuple[bool, bool]] = []
    conflict_pairs: list[tuple[bool, bool]] = []
    report = CrosscheckReport(len(cases), 0, {}, Score(0, 0, 0), Score(0, 0, 0))
    for case in cases:
        predicted = predictions[case.id]
        _count_label(per_label, case.expected, predicted.assessment)
        label_right = predicted.assessment == case.expected
        outlets_right = predicted.supporting == case.supporting and set(predicted.conflicting) == case.conflicting
        report.correct += label_right
        report.correct_with_outlets += label_right and outlets_right
        if predicted.confidence is not None:
            report.confidences.append((predicted.confidence, label_right))
        if case.kind:
            tally = report.per_kind.setdefault(case.kind, KindTally())
            tally.cases += 1
            tally.label += label_right
            tally.label_and_outlets += label_right and outlets_right
        name = f"{case.id} [{case.kind}]" if case.kind else case.id
        if not label_right:
            report.misses.append(
                f"{name}: expected {case.expected}, got {predicted.assessment} — {predicted.explanation}"
            )
        elif not outlets_right:
            report.right_label_wrong_outlets.append(name)
        outlets = case.supporting | case.conflicting | predicted.supporting | set(predicted.conflicting)
        for outlet in sorted(outlets):
            support_pairs.append((outlet in case.supporting, outlet in predicted.supporting))
            conflict_pairs.append((outlet in case.conflicting, outlet in predicted.conflicting))
            report.outlet_misses.extend(_outlet_misses(case, predicted, outlet))
            if predicted.conflicting.get(outlet) == "figure_conflict" and outlet not in case.conflicting:
                report.figure_false_conflicts.append(f"{case.id}: {outlet}")
    report.per_assessment = {name: Score(*counts) for name, counts in per_label.items()}
    report.supporting, report.conflicting = _pair_score(support_pairs), _pair_score(conflict_pairs)
    return report


def _count_label(per_label: dict[str, list[int]], expected: str, predicted: str) -> None:
    if predicted == expected:
        per_label[expected][0] += 1
        return
    if predicted in per_label:
        per_label[predicted][1] += 1
    per_label[expected][2] += 1


def _outlet_misses(case: CrosscheckCase, predicted: CrosscheckPrediction, outlet: str) -> list[str]:
    said = "supports" if outlet in case.supporting else "conflicts" if outlet in case.conflicting else "neither"
    found = (
        f"conflicts ({predicted.conflicting[outlet]})"
        if outlet in predicted.conflicting
        else "supports"
        if outlet in predicted.supporting
        else "neither"
    )
    if found.split()[0] == said:
        return []
    return [f"{case.id}: {outlet} expected {said}, found {found}"]
