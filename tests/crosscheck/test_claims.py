"""Rule features, claimants and claim dates: pure, no database (the check-worthiness score: test_worthiness.py)."""

import datetime as dt
import time

import pytest

from factcheck.crosscheck.claims import claim_date, figures, find_claimant, month_days, resolve_speakers
from factcheck.crosscheck.text import split_passages
from factcheck.crosscheck.worthiness import score_worthiness

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
    # A statement named by its kind is a statement too.
    ("Teodor Malesh promised to rebuild the station within a year.", "Teodor Malesh", False),
    ("Arman Telek likened the stranded ferry to a beached whale.", "Arman Telek", False),
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


def test_the_days_a_text_names_are_days_some_year_has() -> None:
    assert month_days("Between Feb. 6 and February 29, not April 31 or May 0.") == {(2, 6), (2, 29)}


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
    started = time.process_time()
    spans = split_passages(text)
    for span in spans:
        score_worthiness(span.text)
        find_claimant(span.text)
    # A generous bound: the point is that nothing backtracks catastrophically.
    assert time.process_time() - started < 2
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


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We will rebuild," said Brightway co-founder Ilse Brandt.', "Ilse Brandt"),
        ('"We will rebuild," said former Brightway director Ilse Brandt.', "Ilse Brandt"),
        ('"We will rebuild," said Brandt on Tuesday.', "Brandt"),
        ('"We will rebuild," said Brandt at a news conference in Lisbon.', "Brandt"),
    ],
)
def test_a_person_named_after_an_organisation_and_a_role_is_the_speaker(text: str, speaker: str) -> None:
    assert find_claimant(text).claimant == speaker


def test_he_said_is_the_person_the_sentence_before_opened_on() -> None:
    article = [
        "Harbour master Piet Olsen said the quay would stay closed.",
        "Mayor Ana Ruiz thanked the crew of the ferry.",
        '"They saved lives tonight," she said.',
        "Divers searched the harbour until dark.",  # no person named in full: "she" is still the mayor
        "Harbour Crews Have Searched For Days",  # a heading, not a person
        '"We will not give up," she said.',
    ]
    assert resolve_speakers(article) == ["Piet Olsen", "", "Ana Ruiz", "", "", "Ana Ruiz"]


# --- Speakers named by role or as an organisation ----------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A definite role: whose it is stays with it, the article does not.
        ("The barge's chief engineer has said the pumps never stopped.", "barge's chief engineer"),
        ("The operator said the line would reopen on Friday.", "operator"),
        ("Its insurer said the claim was under review.", "insurer"),
        # Someone speaking for an organisation is the organisation speaking.
        ("A spokeswoman for the Kell Valley Water Board said supplies were safe.", "Kell Valley Water Board"),
        ("A spokesman for the water utility said supplies were safe.", "water utility"),
        # An adverb between the speaker and the verb.
        ("The rail regulator initially blamed a signal fault.", "rail regulator"),
        # Someone in particular only when the role is one: a passer-by is anyone.
        ("A passer-by said the lorry was going too fast.", ""),
        ("The flood said nothing about the dam.", ""),
        # Several people, or one of several, are no one in particular either.
        ("The businessmen said the market had been quiet all week.", ""),
        ("The allies said the talks would resume.", ""),
        ("One of the crew told reporters the road was closed.", ""),
        # Whose role it is stays with an organisation noun too.
        ("The lock's operator has said the gates were shut.", "lock's operator"),
    ],
)
def test_a_speaker_named_only_by_role_or_organisation_noun_is_that_role(text: str, speaker: str) -> None:
    attribution = find_claimant(text)
    assert attribution.claimant == speaker
    assert attribution.unnamed == bool(speaker) or speaker[0].isupper()


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("Its operator, Norland Freight, said the crew were safe.", "Norland Freight", "operator"),
        ("The barge's owner, Kell Holdings, has said the cargo was insured.", "Kell Holdings", "barge's owner"),
        ("Norland Freight, the barge's operator, said the crew were safe.", "Norland Freight", "barge's operator"),
        # An apposition that is no role is not kept as one.
        ("Norland Freight, based in Hull since 1990, said the crew were safe.", "Norland Freight", ""),
    ],
)
def test_a_name_in_apposition_to_a_role_is_the_speaker_with_that_role(text: str, speaker: str, role: str) -> None:
    attribution = find_claimant(text)
    assert (attribution.claimant, attribution.role) == (speaker, role)


def test_the_company_is_the_organisation_the_article_named_in_its_role() -> None:
    article = [
        "The barge ran aground near the lock on Sunday.",
        "Its operator, Norland Freight, said the crew were safe.",
        "The company said an inspection found no damage to the hull.",
        "The barge's operator has said the lock gates were not to blame.",
    ]
    assert resolve_speakers(article) == ["", *["Norland Freight, operator"] * 3]


def test_the_company_is_whoever_spoke_last_when_no_role_was_given() -> None:
    article = ["Norland Freight said the crew were safe.", "The firm said the hull was intact."]
    assert resolve_speakers(article) == ["Norland Freight", "Norland Freight"]
    # Nobody spoke before: the noun is all the article gives.
    assert resolve_speakers(["The company said the hull was intact."]) == ["company"]
    # A ministry is a country's, not whoever spoke last.
    ministry = ["Norland Freight said the crew were safe.", "The ministry said an inquiry would follow."]
    assert resolve_speakers(ministry) == ["Norland Freight", "ministry"]


def test_an_organisation_named_by_its_words_is_the_one_named_in_full_before() -> None:
    article = [
        "The Upper Kell River Authority closed the lock on Sunday.",
        "The river authority said the water was too high.",
    ]
    assert resolve_speakers(article)[1] == "Upper Kell River Authority"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("barge's operator", "Norland Freight, operator", True),
        ("operator", "Norland Freight, barge's operator", True),
        ("barge's operator", "lock's operator", False),  # two things' operators
        ("ministry", "foreign ministry", True),  # as before: by the last word
        ("barge's operator", "Norland Freight, lock's operator", False),
        ("Norland Freight, operator", "Kell Marine, operator", False),  # two named operators
        ("barge's operator", "Norland Freight", False),  # nothing says Norland runs the barge
        ("Norland Freight, operator", "Norland Freight", True),
    ],
)
def test_a_role_is_the_one_another_outlet_named_in_that_role(a: str, b: str, same: bool) -> None:
    from factcheck.crosscheck.quotes import same_person

    assert same_person(a, b) is same
    assert same_person(b, a) is same


def test_a_speaker_given_a_role_is_not_what_the_passage_is_about() -> None:
    from factcheck.crosscheck.stance import subject_names

    text = "The barge chartered from Norland Freight sank in the lock."
    assert [set(name.key) for name in subject_names(text)] == [{"norland", "freight"}]
    assert subject_names(text, "Norland Freight, operator") == ()
