"""Check-worthiness, claimants and claim dates: pure, no database."""

import datetime as dt
import time

import pytest

from factcheck.crosscheck.claims import claim_date, figures, find_claimant, score_worthiness
from factcheck.crosscheck.text import split_passages

THRESHOLD = 0.4  # the default FACTCHECK_CLAIM_THRESHOLD

WORTH_CHECKING = [
    "The ministry said on Monday that at least 40 people were killed in the flooding.",
    "Governor Ana Ruiz told reporters the bridge would reopen in May, two months later than planned.",
    "\u201cWe have never sent troops abroad,\u201d Defence Minister Karl Brandt said.",
    "According to the statistics office, unemployment rose to 7.2 percent, the highest level since records began.",
    "Police arrested 12 protesters outside the parliament in Vienna.",
]
NOT_WORTH_CHECKING = [
    ("Will the ceasefire hold?", "question"),
    ("By Maria Keller", "byline"),
    ("About the author: Tom Lee is a senior correspondent covering Asia.", "byline"),
    ("Image: Reuters / handout", "image_credit"),
    ("pic.twitter.com/Zx81kQ", "link"),
    ("(Reporting by Ana Diaz; Editing by Sam Holt)", "reporting_credit"),
    ("Key takeaways", "heading"),
    ("A Diplomatic Storm Over Neutral Ground", "heading"),
    ("The ministry did not immediately respond to a request for comment.", "non_statement"),
    ("I think the government should resign.", "opinion"),
]


@pytest.mark.parametrize("text", WORTH_CHECKING)
def test_statements_with_checkable_content_score_above_the_threshold(text: str) -> None:
    assert score_worthiness(text).score >= THRESHOLD


@pytest.mark.parametrize(("text", "reason"), NOT_WORTH_CHECKING)
def test_non_statements_score_below_the_threshold_with_the_reason(text: str, reason: str) -> None:
    worthiness = score_worthiness(text)
    assert worthiness.score < THRESHOLD
    assert reason in worthiness.reasons


def test_the_reasons_name_every_feature_that_fired() -> None:
    worthiness = score_worthiness("Officials in Oslo said more than 300 homes were evacuated.")
    assert {"figure", "attribution", "comparison", "event", "named_entity"} <= set(worthiness.reasons)
    assert 0 <= worthiness.score <= 1


FIGURE_CASES = [
    ("Some 11,000 soldiers arrived in 2024.", ["11,000"]),
    ("It happened on April 8 at 10:30 near the 3rd brigade.", []),
    ("Two men and 155 citizens, out of thousands.", ["Two", "155", "thousands"]),
    ("The 1990s were calm; 1,250.5 tonnes moved.", ["1,250.5"]),
    ("The train left at 8 a.m. carrying 300 people.", ["300"]),
]


@pytest.mark.parametrize(("text", "expected"), FIGURE_CASES)
def test_figures_leave_out_years_dates_times_and_ordinals(text: str, expected: list[str]) -> None:
    assert figures(text) == expected


CLAIMANT_CASES = [
    ("President Teodor Malesh said on Tuesday that two men were held.", "Teodor Malesh", False),
    ("Two men were captured, according to Lestovia's defence ministry.", "Lestovia's defence ministry", False),
    ("\u201cWe deny it,\u201d said Arman Telek, a spokesman.", "Arman Telek", False),
    ("\u201cThis is a provocation,\u201d Telek said.", "Telek", False),
    ("Ukraine's President Zelensky claims there are many more.", "Zelensky", False),
    ("Qaresh's foreign ministry denied the report.", "foreign ministry", False),
    ("\u201cThere is nothing military here,\u201d he said.", "", True),
    ("The station reopened on Thursday.", "", False),
]


@pytest.mark.parametrize(("text", "claimant", "refers_back"), CLAIMANT_CASES)
def test_it_finds_who_the_statement_is_attributed_to(text: str, claimant: str, refers_back: bool) -> None:
    attribution = find_claimant(text)
    assert claimant in attribution.claimant if claimant else attribution.claimant == ""
    assert attribution.refers_back is refers_back


PUBLISHED = dt.date(2025, 4, 10)  # a Thursday
DATE_CASES = [
    ("The ministry said on Tuesday that the men were held.", dt.date(2025, 4, 8)),
    ("Malesh first disclosed the capture on April 8.", dt.date(2025, 4, 8)),
    ("The treaty was signed on December 3.", dt.date(2024, 12, 3)),
    ("The men remain in custody.", PUBLISHED),
    ("It was said on Thursday.", PUBLISHED),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_the_claim_date_is_the_one_the_text_gives_else_the_publication_date(text: str, expected: dt.date) -> None:
    assert claim_date(text, PUBLISHED) == expected


def test_an_undated_source_gives_no_claim_date() -> None:
    assert claim_date("It happened on April 8.", None) is None


HOSTILE_TEXTS = {
    "run-on": "and the officials said the numbers were growing " * 1100,  # ~50,000 characters, no full stop
    "mixed scripts and bidi": (
        "Officials \u202eдолжны\u202c said 12 \u0645\u0633\u0624\u0648\u0644 \u200bwere held. " * 800
    ),
    "many quotes": ('"' * 20_000) + " said Ana Diaz.",
    "capitals": ("ALPHA BETA GAMMA " * 3000) + "said.",
}


@pytest.mark.parametrize("name", HOSTILE_TEXTS)
def test_hostile_text_is_split_and_scored_in_bounded_time(name: str) -> None:
    text = HOSTILE_TEXTS[name]
    started = time.monotonic()
    spans = split_passages(text)
    for span in spans:
        score_worthiness(span.text)
        find_claimant(span.text)
    # A generous bound: the point is that nothing backtracks catastrophically.
    assert time.monotonic() - started < 2
    assert spans


def test_a_sentence_opening_with_according_to_names_the_source() -> None:
    assert find_claimant("According to Zelensky, Ukraine holds two men.").claimant == "Zelensky"


SPEAKER_CASES = [
    # Real nationalities and titles of office come off the name: they are not the speaker.
    ("French Foreign Minister Jean Barrot said the talks had failed.", "Jean Barrot"),
    ("Russian President Vladimir Putin said on Monday that the troops stayed.", "Vladimir Putin"),
    ("US Secretary of State Marco Rubio said the deal was close.", "Marco Rubio"),
    ("Chinese Foreign Ministry spokesperson Mao Ning said China was not a party.", "Mao Ning"),
    ("North Korean leader Kim Jong Un said so.", "Kim Jong Un"),
    # A nationality the data does not know, before a title of office, comes off too.
    ("Lestovian Foreign Minister Roksana Delic said the men were held.", "Roksana Delic"),
    # Given names that look like adjectives stay: no title follows them.
    ("Brian Adams said the figures were wrong.", "Brian Adams"),
    ("Ali Khamenei said the talks would go on.", "Ali Khamenei"),
    # A country on its own is the speaker; an institution loses its nationality, known or not
    # (as before: the speakers stored by migration 0007 stay what the engine gives).
    ("Russia said it would respond.", "Russia"),
    ("Russian Railways rejected the claim.", "Railways"),
    ("Lestovian Railways rejected the claim.", "Railways"),
]


@pytest.mark.parametrize(("text", "speaker"), SPEAKER_CASES)
def test_the_speaker_is_the_name_without_nationality_and_titles(text: str, speaker: str) -> None:
    assert find_claimant(text).claimant == speaker
