"""The stance of one passage towards a claim, and the assessment from many: pure, no database."""

import pytest

from factcheck.crosscheck.assess import ClaimOrigin, assess
from factcheck.crosscheck.stance import CandidatePassage, ClaimText, Judgement, analyse_claim, judge

_next_id = iter(range(1, 10_000))


def passage(text: str, outlet: str = "Outlet", *, cluster: int | None = None, speaker: str = "") -> CandidatePassage:
    number = next(_next_id)
    return CandidatePassage(
        passage_id=number,
        source_id=number,
        outlet_id=hash(outlet) % 10_000,
        outlet=outlet,
        origin_cluster_id=cluster,
        text=text,
        speaker=speaker,
    )


STANCE_CASES = [
    # (claim, claimant, passage, passage speaker, expected stance, expected reason)
    (
        "Oskaria has sent 11,000 soldiers to fight for Korva.",
        "",
        "Oskaria has deployed approximately 15,000 soldiers to Korva since its parliament ratified a treaty in 2024.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    (
        "A missile strike on Ostrel railway station killed 12 people.",
        "",
        "Rescue workers said at least 30 people were killed when the missile hit Ostrel station.",
        "",
        "conflicts",
        "figure_conflict",
    ),
    (
        "A missile strike on Ostrel railway station killed 12 people.",
        "",
        "Twelve people died in the missile attack on Ostrel station, the regional administration said.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: a different thing counted in the same sentence is no conflict.
    (
        "Oskaria has sent 11,000 soldiers to fight for Korva.",
        "",
        "Korva leaned on the 11,000 soldiers sent by Oskaria, while volunteers from about 70 countries joined the Legion.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: a bound and a vague quantity overlap.
    (
        "Malesh said at least 155 Qareshi citizens are serving in Korvan units.",
        "Teodor Malesh",
        "Malesh said several hundred Qareshi nationals were fighting for Korva, most recruited online.",
        "",
        "supports",
        "figure_agrees",
    ),
    # Trap: the captured two are not the 155 serving.
    (
        "Lestovian troops captured two Qareshi nationals fighting for Korva.",
        "",
        "Lestovian intelligence has identified at least 155 Qareshi citizens serving in Korvan units.",
        "",
        "mentions",
        "other_figure",
    ),
    (
        '"Drazhin is hunting for new soldiers abroad because it has no intention of ending this war," Malesh said.',
        "Teodor Malesh",
        "\u201cDrazhin is hunting for new soldiers abroad because it has no intention of ending this war,\u201d he said.",
        "Teodor Malesh",
        "supports",
        "quote_verbatim",
    ),
    (
        '"Drazhin is hunting for new soldiers abroad because it has no intention of ending this war," Malesh said.',
        "Teodor Malesh",
        "\u201cDrazhin is searching for fresh troops in other countries because it does not intend to end this war,\u201d"
        " Malesh said.",
        "Teodor Malesh",
        "supports",
        "quote_variant",
    ),
    (
        '"A country cannot call itself neutral while its citizens are firing on our soldiers," Delic said.',
        "Roksana Delic",
        "\u201cA country cannot call itself neutral while its citizens are firing on our soldiers,\u201d the president"
        " said.",
        "Teodor Malesh",
        "conflicts",
        "quote_misattributed",
    ),
    (
        "Qareshi citizens are serving in Korva's armed forces.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "conflicts",
        "denial",
    ),
    # The claim reports the denial: a passage reporting it too supports it.
    (
        "Korva denied that any Qareshi citizens serve in its armed forces.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "supports",
        "denial_reported",
    ),
    # A denial of something else in a related passage is no conflict, and no confirmation either.
    (
        "Lestovian troops captured two Qareshi nationals in the Dalmir region.",
        "",
        "Qaresh denied buying weapons from Korva, days after two of its nationals were captured in Dalmir.",
        "",
        "mentions",
        "related",
    ),
    # A denial sharing one word of what the claim says ("serve") denies something else.
    (
        "Two Qareshi volunteers are serving in Lestovia's International Legion.",
        "",
        "Korva's Defence Ministry denied on Thursday that any Qareshi citizens serve in its armed forces.",
        "",
        "mentions",
        "related",
    ),
    # When in the day it happened is checked like a figure.
    (
        "The missile hit Ostrel's railway station late on Wednesday evening.",
        "",
        "The strike hit Ostrel's main railway station shortly before 8 a.m. on Wednesday.",
        "",
        "conflicts",
        "time_conflict",
    ),
    # "a third" states a count: the passage about two confirms nothing of it.
    (
        "Lestovian forces have captured a third Qareshi fighter serving with Korva.",
        "",
        "Lestovian troops have captured two Qareshi nationals who were fighting in the Korvan army.",
        "",
        "mentions",
        "figure_not_given",
    ),
    # The same figure, but the rest of the claim is not in the passage.
    (
        "Tamir has confirmed the names of the two Qareshi prisoners.",
        "",
        "The two Qareshi prisoners remain in the custody of the State Security Service.",
        "",
        "mentions",
        "figure_not_given",
    ),
    (
        "Lestovian troops captured two Qareshi nationals in the Dalmir region.",
        "",
        "Heavy rain is expected across the valley at the weekend.",
        "",
        "unrelated",
        "unrelated",
    ),
]


@pytest.mark.parametrize(("claim", "claimant", "text", "speaker", "stance", "reason"), STANCE_CASES)
def test_it_judges_each_passage_with_a_reason(claim, claimant, text, speaker, stance, reason) -> None:
    judgement = judge(analyse_claim(ClaimText(claim, claimant)), passage(text, speaker=speaker))
    assert (judgement.stance, judgement.reason) == (stance, reason)


def test_it_marks_the_spans_and_values_that_decided_a_conflict() -> None:
    text = "Oskaria has deployed approximately 15,000 soldiers to Korva."
    judgement = judge(analyse_claim(ClaimText("Oskaria has sent 11,000 soldiers to Korva.")), passage(text))
    (span,) = judgement.spans
    assert text[span.start : span.end] == "approximately 15,000"
    assert judgement.claim_value == "11,000 soldiers"
    assert judgement.evidence_value == "approximately 15,000 soldiers"
    assert judgement.details["evidence_figure"]["qualifier"] == "approximate"


def decided(stance: str, outlet: str, *, cluster: int | None = None, reason: str = "wording_overlap") -> Judgement:
    return Judgement(passage("text", outlet, cluster=cluster), stance, reason, 0.8, (), "12", "at least 30")


ASSESSMENT_CASES = [
    ([], None, "unverified"),
    ([decided("mentions", "A")], None, "unverified"),
    ([decided("supports", "A")], None, "single_source"),
    ([decided("supports", "A"), decided("supports", "B")], None, "corroborated"),
    # A wire copy (same cluster) and a second report of one outlet add no origin.
    ([decided("supports", "A", cluster=1), decided("supports", "B", cluster=1)], None, "single_source"),
    ([decided("supports", "A"), decided("supports", "A")], None, "single_source"),
    ([decided("supports", "A"), decided("conflicts", "B")], None, "conflicting"),
    ([decided("conflicts", "B")], None, "contradicted"),
    # The claim's own source supports it.
    ([decided("supports", "B")], ClaimOrigin(1, "Own", 7), "corroborated"),
    ([], ClaimOrigin(1, "Own", 7), "single_source"),
    ([decided("conflicts", "B")], ClaimOrigin(1, "Own", 7), "conflicting"),
]


@pytest.mark.parametrize(("judgements", "origin", "expected"), ASSESSMENT_CASES)
def test_it_assesses_by_independent_origins(judgements, origin, expected) -> None:
    result = assess(judgements, origin=origin)
    assert result.assessment == expected
    assert 0.0 <= result.confidence <= 1.0
    assert result.explanation


def test_it_explains_who_supports_and_who_gives_another_figure() -> None:
    result = assess(
        [
            decided("supports", "Lantern Daily"),
            decided("supports", "Westvale Observer"),
            decided("conflicts", "Brightwater Tribune", reason="figure_conflict"),
        ]
    )
    assert result.explanation == (
        "2 outlets support (Lantern Daily; Westvale Observer); "
        '1 conflicts: Brightwater Tribune gives "at least 30" instead of "12".'
    )


def test_more_independent_support_means_more_confidence() -> None:
    two = assess([decided("supports", "A"), decided("supports", "B")]).confidence
    three = assess([decided("supports", "A"), decided("supports", "B"), decided("supports", "C")]).confidence
    with_a_copy = assess(
        [decided("supports", "A"), decided("supports", "B", cluster=5), decided("supports", "C", cluster=5)]
    )
    assert two == with_a_copy.confidence < three
