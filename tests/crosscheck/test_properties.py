"""Property-based tests of the parsers that read hostile text (hypothesis): they never
raise, their offsets always cut out what they report, and each example is bounded in time."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.crosscheck.claims import find_claimant
from factcheck.crosscheck.figures import compare_figures, extract_figures
from factcheck.crosscheck.quotes import Quotation, extract_quotations, match_quotation
from factcheck.crosscheck.stance import CandidatePassage, ClaimText, analyse_claim, judge
from factcheck.crosscheck.text import normalize_text, split_passages
from factcheck.crosscheck.worthiness import score_worthiness

# Newswire-ish pieces, so examples hit the interesting paths, plus anything at all.
PIECES = st.sampled_from(
    [
        "at least",
        "about",
        "approximately",
        "between",
        "and",
        "a few hundred",
        "several",
        "dozens",
        "11,000",
        "15,000",
        "1.2 million",
        "15k",
        "12",
        "Twelve",
        "forty-one",
        "1e309",
        "9" * 60,
        "soldiers",
        "people",
        "were killed",
        "captured",
        "Malesh said",
        "he said",
        "according to",
        '"',
        "\u201c",
        "\u201d",
        "\u2019",
        ".",
        ",",
        "\n",
        "\x00",
        "\u200b",
        "\u202e",
        "\ud800",
        "<script>",
        "April 8",
        "2024",
        "10:30",
        "8 a.m.",
        "3rd",
        "denied",
        "no evidence",
    ]
)
HOSTILE = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=80).map(" ".join),
)
# Each example must finish well within this: catastrophic backtracking would blow it.
BOUNDED = settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(HOSTILE)
def test_splitting_never_raises_and_offsets_cut_out_each_passage(text: str) -> None:
    normalised = normalize_text(text)
    for span in split_passages(normalised):
        assert normalised[span.start : span.end] == span.text
        assert span.text.strip()


@BOUNDED
@given(HOSTILE)
def test_figures_are_intervals_cut_out_of_the_text(text: str) -> None:
    found = extract_figures(text)
    for figure in found:
        assert text[figure.start : figure.end] == figure.text
        assert figure.low <= figure.high
    for a in found[:5]:
        for b in found[:5]:
            assert compare_figures(a, b) == compare_figures(b, a)


@BOUNDED
@given(HOSTILE, HOSTILE)
def test_quotations_and_their_matches_point_into_the_text(text: str, passage: str) -> None:
    for quotation in extract_quotations(text):
        assert text[quotation.start : quotation.end] == quotation.text
    match = match_quotation(Quotation(text[:300], 0, min(len(text), 300), "Malesh"), passage)
    assert 0.0 <= match.score <= 1.0
    if match.start >= 0:
        assert passage[match.start : match.end] == match.matched_text


@BOUNDED
@given(HOSTILE, HOSTILE)
def test_scoring_attribution_and_judging_never_raise(claim: str, passage: str) -> None:
    worthiness = score_worthiness(claim)
    assert 0.0 <= worthiness.score <= 1.0
    find_claimant(claim)
    judgement = judge(analyse_claim(ClaimText(claim)), CandidatePassage(1, 1, 1, "Outlet", None, passage))
    assert judgement.stance in {"supports", "conflicts", "mentions", "unrelated"}
    for span in judgement.spans:
        assert 0 <= span.start <= span.end <= len(passage)
