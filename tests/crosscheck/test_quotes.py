"""Quotations: extraction, verbatim to variant matching, misattribution. Pure: no database."""

import time

import pytest

from factcheck.crosscheck.quotes import (
    MAX_PASSAGE_CHARS,
    Quotation,
    QuoteMatchKind,
    extract_quotations,
    match_quotation,
    normalize_quote_text,
    same_person,
)

VERBATIM = QuoteMatchKind.VERBATIM
NEAR = QuoteMatchKind.NEAR_VERBATIM
VARIANT = QuoteMatchKind.VARIANT
ABSENT = QuoteMatchKind.ABSENT

DRAZHIN = "Drazhin is hunting for new soldiers abroad because it has no intention of ending this war"
NEUTRAL = "A country cannot call itself neutral while its citizens are firing on our soldiers"
CAPTURED = (
    "Our military captured Chinese citizens who fought in the Russian army. This happened on the territory of Ukraine"
)


def quote(text: str, speaker: str = "") -> Quotation:
    return Quotation(text, 0, len(text), speaker)


# --- Normalisation --------------------------------------------------------------------

NORMALIZE_CASES = [
    ("\u201cHello\u201d  World", '"hello" world'),
    ("it\u2019s \u2018fine\u2019", "it's 'fine'"),
    ("war\u2014and \u2013 peace \u2212 more", "war-and - peace - more"),
    ("  a\n\t b \r\n", "a b"),
    ("a\u00a0\u2003b", "a b"),
    ("Stra\u00dfe STRASSE", "strasse strasse"),
    ("hun\u200bt\u200ci\u200dng\ufeff", "hunting"),
    ("\u202eabc\u202c \u2066def\u2069", "abc def"),
    ("\u00abBonjour\u00bb \u201eHallo\u201c", '"bonjour" "hallo"'),
    ("wait\u2026", "wait..."),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_it_normalises_quote_marks_dashes_space_case_and_invisible_characters(text: str, expected: str) -> None:
    assert normalize_quote_text(text) == expected


# --- Extraction -----------------------------------------------------------------------

EXTRACTION_CASES = [
    pytest.param(f'"{DRAZHIN}," Malesh said.', "", [(f"{DRAZHIN},", "Malesh")], id="straight-quotes-name-said"),
    pytest.param(
        f"\u201c{DRAZHIN},\u201d he said.", "Teodor Malesh", [(f"{DRAZHIN},", "Teodor Malesh")], id="he-said-resolved"
    ),
    pytest.param(f"\u201c{DRAZHIN},\u201d he said.", "", [(f"{DRAZHIN},", "")], id="he-said-unresolved"),
    pytest.param(
        f"On Tuesday Lestovian Foreign Minister Roksana Delic said: \u201c{NEUTRAL}.\u201d",
        "",
        [(f"{NEUTRAL}.", "Roksana Delic")],
        id="title-name-colon",
    ),
    pytest.param(
        f"\u201c{NEUTRAL},\u201d the president said.", "Teodor Malesh", [(f"{NEUTRAL},", "Teodor Malesh")], id="role"
    ),
    pytest.param(
        "\u201cWe will not retreat,\u201d said Teodor Malesh.",
        "",
        [("We will not retreat,", "Teodor Malesh")],
        id="said-name",
    ),
    pytest.param(
        "According to the defence ministry, \u201cthe strike hit a depot full of ammunition.\u201d",
        "",
        [("the strike hit a depot full of ammunition.", "defence ministry")],
        id="according-to-organisation",
    ),
    pytest.param(
        "\u201cKorva said we would lose the war,\u201d Malesh said.",
        "",
        [("Korva said we would lose the war,", "Malesh")],
        id="a-name-inside-the-quotation-is-not-the-speaker",
    ),
    pytest.param(
        "\u201cWe will not retreat,\u201d Malesh said, \u201cnot one step back from here.\u201d",
        "",
        [("We will not retreat,", "Malesh"), ("not one step back from here.", "Malesh")],
        id="two-quotations",
    ),
    pytest.param(
        '\u201cWe will not retreat," Malesh said.', "", [("We will not retreat,", "Malesh")], id="mixed-curly-straight"
    ),
    pytest.param(
        "\u2018We\u2019re ready to talk,\u2019 she said.",
        "Roksana Delic",
        [("We\u2019re ready to talk,", "Roksana Delic")],
        id="single-quotes-with-apostrophe-inside",
    ),
    pytest.param(
        "\u201cHe told me \u2018we are leaving tomorrow\u2019 and left,\u201d Delic said.",
        "",
        [("He told me \u2018we are leaving tomorrow\u2019 and left,", "Delic")],
        id="nested-single-quotes-stay-inside",
    ),
    pytest.param(
        'Malesh said "this runs on to the end', "", [("this runs on to the end", "Malesh")], id="unclosed-runs-to-end"
    ),
    pytest.param(
        "\u201e Wir werden nicht weichen \u201c, sagte er.", "", [("Wir werden nicht weichen", "")], id="low-high-marks"
    ),
    pytest.param(
        "\u00abNous ne reculerons pas\u00bb, a d\u00e9clar\u00e9 Malesh.",
        "",
        [("Nous ne reculerons pas", "")],
        id="guillemets",
    ),
    pytest.param(
        'a precision strike on "a military logistics hub" in Ostrel',
        "",
        [("a military logistics hub", "")],
        id="four-word-scare-quote-is-kept",
    ),
    pytest.param("a \u201cno limits\u201d partnership", "", [], id="two-word-scare-quote-is-a-term"),
    pytest.param("Qaresh\u2019s ministry said it didn\u2019t know", "", [], id="apostrophes-are-not-quotes"),
    pytest.param("the soldiers\u2019 families and the officers\u2019 wives", "", [], id="plural-possessives"),
    pytest.param("Malesh said Korva was recruiting abroad.", "", [], id="no-quote-marks"),
    pytest.param('""  \u201c\u201d \u2018\u2019', "", [], id="empty-quotes"),
]


@pytest.mark.parametrize(("text", "default_speaker", "expected"), EXTRACTION_CASES)
def test_it_extracts_quotations_with_their_speakers(
    text: str, default_speaker: str, expected: list[tuple[str, str]]
) -> None:
    found = extract_quotations(text, default_speaker=default_speaker)
    assert [(quotation.text, quotation.speaker) for quotation in found] == expected
    for quotation in found:
        assert text[quotation.start : quotation.end] == quotation.text


# --- Matching -------------------------------------------------------------------------

MATCH_CASES = [
    # quote, quote speaker, passage, passage speaker, kind, match speaker, conflict
    pytest.param(
        DRAZHIN, "Malesh", f'"{DRAZHIN}," Malesh said.', "", VERBATIM, "Malesh", False, id="verbatim-straight-quotes"
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"\u201c{DRAZHIN},\u201d he said.",
        "Teodor Malesh",
        VERBATIM,
        "Teodor Malesh",
        False,
        id="verbatim-curly-he-said-full-name",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"\u201c{DRAZHIN.replace('because', 'as')},\u201d Malesh said.",
        "",
        NEAR,
        "Malesh",
        False,
        id="near-verbatim-one-word-changed",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f'"{DRAZHIN.replace("soldiers", "soldeirs")}," Malesh said.',
        "",
        NEAR,
        "Malesh",
        False,
        id="near-verbatim-typo",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cDrazhin is searching for fresh troops in other countries because it does not intend to end this"
        " war,\u201d Malesh said.",
        "",
        VARIANT,
        "Malesh",
        False,
        id="variant-retranslated",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cDrazhin is searching for fresh troops in other countries because it does not intend to end this"
        " war,\u201d he said.",
        "",
        VARIANT,
        "",
        False,
        id="variant-unknown-speaker",
    ),
    pytest.param(
        "Lestovian envoys met Korvan envoys in secret talks",
        "Malesh",
        "\u201cEnvoys of Lestovia met envoys of Korva,\u201d Malesh said.",
        "",
        VARIANT,
        "Malesh",
        False,
        id="variant-place-for-demonym",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cDrazhin is hunting for new soldiers abroad,\u201d Malesh said.",
        "",
        VARIANT,
        "Malesh",
        False,
        id="variant-only-part-quoted",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cDrazhin is hunting for new soldiers abroad,\u201d Malesh said, \u201cbecause it has no intention of"
        " ending this war.\u201d",
        "",
        NEAR,
        "Malesh",
        False,
        id="near-verbatim-quote-interrupted-by-attribution",
    ),
    pytest.param(DRAZHIN, "Malesh", "Malesh said Korva was recruiting abroad.", "", ABSENT, "", False, id="absent"),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cWe will not let Drazhin recruit our citizens for its war,\u201d Malesh said.",
        "",
        ABSENT,
        "",
        False,
        id="absent-another-statement-same-speaker",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        "\u201cDrazhin is searching for fresh troops in other countries because it does not intend to end this"
        " war,\u201d Delic said.",
        "",
        ABSENT,
        "",
        False,
        id="absent-rewording-by-another-speaker-is-not-a-variant",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"\u201c{DRAZHIN},\u201d Roksana Delic said.",
        "",
        VERBATIM,
        "Roksana Delic",
        True,
        id="misattributed-verbatim",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"Malesh said {DRAZHIN}.",
        "",
        VERBATIM,
        "Malesh",
        False,
        id="verbatim-without-quote-marks-speaker-from-attribution",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"\u201cKorva said {DRAZHIN},\u201d he said.",
        "",
        VERBATIM,
        "",
        False,
        id="a-name-inside-the-quotation-is-not-the-speaker",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f"It was, the president said, a clear sign: {DRAZHIN}.",
        "Teodor Malesh",
        VERBATIM,
        "Teodor Malesh",
        False,
        id="verbatim-without-quote-marks-passage-speaker",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        f'"{DRAZHIN.upper().replace(" ", "  ").replace("NEW", "new")}" -- Malesh said.',
        "",
        VERBATIM,
        "Malesh",
        False,
        id="verbatim-case-and-spacing",
    ),
    pytest.param(
        DRAZHIN,
        "Malesh",
        '"' + DRAZHIN.replace("hunting", "hun\u200bting").replace(" war", " \u2066war\u2069") + '," Malesh said.',
        "",
        VERBATIM,
        "Malesh",
        False,
        id="verbatim-despite-zero-width-and-bidi-characters",
    ),
    pytest.param(
        NEUTRAL,
        "Roksana Delic",
        f'"{NEUTRAL}," Delic told reporters later on Tuesday.',
        "",
        VERBATIM,
        "Delic",
        False,
        id="verbatim-surname-only",
    ),
    pytest.param(
        NEUTRAL,
        "Roksana Delic",
        f"On Tuesday Lestovian Foreign Minister Roksana Delic said: \u201c{NEUTRAL}.\u201d",
        "",
        VERBATIM,
        "Roksana Delic",
        False,
        id="verbatim-full-stop-for-comma",
    ),
    pytest.param(
        NEUTRAL,
        "Roksana Delic",
        f"\u201c{NEUTRAL},\u201d the president said.",
        "Teodor Malesh",
        VERBATIM,
        "Teodor Malesh",
        True,
        id="misattributed-to-the-president",
    ),
    pytest.param(
        NEUTRAL,
        "Roksana Delic",
        "\u201cOur soldiers are being fired on by citizens of a country that calls itself neutral,\u201d Delic said.",
        "",
        VARIANT,
        "Delic",
        False,
        id="variant-reordered",
    ),
    pytest.param(
        NEUTRAL,
        "",
        f"\u201c{NEUTRAL},\u201d Delic said.",
        "",
        VERBATIM,
        "Delic",
        False,
        id="unknown-claim-speaker-is-never-a-conflict",
    ),
    pytest.param(
        "Our military captured two Chinese citizens in the Donetsk region",
        "Zelensky",
        '"Our military has captured two Chinese citizens in the Donetsk region," Zelensky wrote.',
        "",
        NEAR,
        "Zelensky",
        False,
        id="near-verbatim-has-captured",
    ),
    pytest.param(
        "We will fight \u2014 and we will win",
        "Malesh",
        '"We will fight - and we will win!" Malesh said.',
        "",
        VERBATIM,
        "Malesh",
        False,
        id="verbatim-dashes-and-end-punctuation",
    ),
    pytest.param(
        "\u2026 and we will win.",
        "Malesh",
        "\u201cWe will fight and we will win,\u201d Malesh said.",
        "",
        VERBATIM,
        "Malesh",
        False,
        id="verbatim-leading-ellipsis",
    ),
    pytest.param(DRAZHIN, "Malesh", "", "", ABSENT, "", False, id="empty-passage"),
    pytest.param("\u201c \u2026 \u201d", "Malesh", f'"{DRAZHIN}"', "", ABSENT, "", False, id="quote-without-words"),
]


@pytest.mark.parametrize(
    ("quote_text", "quote_speaker", "passage", "passage_speaker", "kind", "speaker", "conflict"), MATCH_CASES
)
def test_it_classifies_how_a_passage_carries_the_quotation(
    quote_text: str,
    quote_speaker: str,
    passage: str,
    passage_speaker: str,
    kind: QuoteMatchKind,
    speaker: str,
    conflict: bool,
) -> None:
    match = match_quotation(quote(quote_text, quote_speaker), passage, passage_speaker=passage_speaker)
    assert (match.kind, match.speaker, match.speaker_conflict) == (kind, speaker, conflict)
    assert 0.0 <= match.score <= 1.0
    if kind is ABSENT:
        assert (match.start, match.end, match.matched_text) == (-1, -1, "")
    else:
        assert passage[match.start : match.end] == match.matched_text
        assert match.matched_text


EXACT_SPANS = [
    pytest.param(DRAZHIN, f'"{DRAZHIN}," Malesh said.', DRAZHIN, id="straight"),
    pytest.param(NEUTRAL, f"Delic said: \u201c{NEUTRAL}.\u201d", NEUTRAL, id="curly"),
    pytest.param(
        DRAZHIN.replace("because", "as"),
        f"It was plain. \u201c{DRAZHIN},\u201d Malesh said.",
        DRAZHIN,
        id="near-verbatim-lands-on-word-edges",
    ),
    pytest.param(
        "strasse is closed to all traffic",
        "Police: \u201cStra\u00dfe is closed to all traffic.\u201d",
        "Stra\u00dfe is closed to all traffic",
        id="casefold-expansion",
    ),
    pytest.param(
        "the bridge will reopen in May",
        "Officials\u200b said\u202e \u201cthe  bridge\u00a0will\nreopen in May.\u201d",
        "the  bridge\u00a0will\nreopen in May",
        id="collapsed-whitespace-and-invisible-characters",
    ),
]


@pytest.mark.parametrize(("quote_text", "passage", "expected"), EXACT_SPANS)
def test_it_gives_offsets_into_the_original_passage(quote_text: str, passage: str, expected: str) -> None:
    match = match_quotation(quote(quote_text), passage)
    assert match.matched_text == expected
    assert passage[match.start : match.end] == expected


def test_it_recognises_a_different_translation_of_a_real_statement() -> None:
    passage = (
        "\u201cOur military has captured two Chinese citizens who were fighting as part of the Russian army. This"
        " happened on Ukrainian territory\u2014in the Donetsk region,\u201d Zelensky wrote."
    )
    match = match_quotation(quote(CAPTURED, "Volodymyr Zelensky"), passage, passage_speaker="Zelensky")
    assert match.kind in {NEAR, VARIANT}
    assert match.speaker == "Zelensky"
    assert not match.speaker_conflict
    assert passage[match.start : match.end] == match.matched_text


def test_it_scores_a_verbatim_match_one_and_a_near_one_below() -> None:
    verbatim = match_quotation(quote(DRAZHIN), f'"{DRAZHIN}"')
    near = match_quotation(quote(DRAZHIN), f'"{DRAZHIN.replace("because", "as")}"')
    assert verbatim.score == 1.0
    assert 0.9 <= near.score < 1.0


def test_it_compares_only_the_head_of_a_very_long_quotation() -> None:
    long_text = " ".join(f"word{index}" for index in range(600))
    match = match_quotation(quote(long_text), f"He said: \u201c{long_text}\u201d")
    assert match.kind is VERBATIM
    assert long_text.startswith(match.matched_text)
    assert len(match.matched_text) <= 1000


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Malesh", "Teodor Malesh", True),
        ("teodor MALESH", "Malesh.", True),
        ("Roksana Delic", "Delic", True),
        ("Delic", "Teodor Malesh", False),
        ("Lestovian foreign ministry", "Roksana Delic", False),
    ],
)
def test_it_compares_speakers_by_surname(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


# --- Hostile input --------------------------------------------------------------------

HOSTILE_STRINGS = [
    "\x00",
    "\ud800",
    "\udfff\ud800 \x00 \u201c\ud800 a b c\u201d",
    "\u202e\u2066\u200b\ufeff",
    '"' * 7,
    "\u201c\u2018\u201d\u2019" * 5,
    "\u2019s \u2018",
    "\u00df" * 50,
    "\u0130stanbul said \u201cthe city is calm tonight\u201d",
    "",
    " \n\t ",
    "\uffff\U0010ffff \u0000 said",
]


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_it_never_raises_on_hostile_strings(text: str) -> None:
    normalize_quote_text(text)
    for quotation in extract_quotations(text, default_speaker="\ud800"):
        assert text[quotation.start : quotation.end] == quotation.text
    for quote_text, passage in ((text, text), (text, DRAZHIN), (DRAZHIN, text)):
        match = match_quotation(quote(quote_text, "\x00"), passage, passage_speaker="\ud800")
        if match.kind is not ABSENT:
            assert passage[match.start : match.end] == match.matched_text


EXTRACTION_LOADS = [
    pytest.param('"' * 100_000, id="100k-straight-marks"),
    pytest.param("\u201c\u201d" * 50_000, id="100k-curly-marks"),
    pytest.param("\u2018" * 100_000, id="100k-single-openers"),
    pytest.param("a \u2018b c d\u2019 " * 25_000, id="many-single-quotations"),
    pytest.param('"' + "word " * 40_000, id="200k-unclosed"),
    pytest.param("\u201c" + ("A" * 41 + " ") * 4_800, id="200k-unclosed-capitalised"),
    pytest.param(("Aaaa " * 3 + '"a b c" ') * 13_000, id="many-quotations-and-names"),
]


# Processor time, not the wall clock: the bound guards against catastrophic backtracking, and other
# work on a loaded machine (a CI runner, the suite's own worker) must not make it fail.
@pytest.mark.parametrize("text", EXTRACTION_LOADS)
def test_it_extracts_from_adversarial_text_in_bounded_time(text: str) -> None:
    started = time.process_time()
    extract_quotations(text)
    assert time.process_time() - started < 1


MATCH_LOADS = [
    pytest.param("ab " * 700, "ba " * 17_000, id="repetitive-near-miss"),
    pytest.param("a " * 1_000, "a " * 25_000, id="repetitive-hit"),
    pytest.param("a" * 2_000, "a" * 50_000, id="one-long-word"),
    pytest.param('"a b c" ' * 250, '"a b c" ' * 6_300, id="quote-marks-everywhere"),
    pytest.param(" ".join(["soldiers abroad"] * 140), "soldier abroad " * 3_400, id="shared-stems"),
    pytest.param(" ".join([DRAZHIN] * 23), ("x" * 99 + " ") * 500, id="no-overlap"),
]


@pytest.mark.parametrize(("quote_text", "passage"), MATCH_LOADS)
def test_it_matches_a_long_quote_against_a_long_passage_in_bounded_time(quote_text: str, passage: str) -> None:
    assert len(quote_text) >= 2_000
    assert len(passage) >= 50_000 > MAX_PASSAGE_CHARS
    started = time.process_time()
    match = match_quotation(quote(quote_text, "Malesh"), passage, passage_speaker="Malesh")
    assert time.process_time() - started < 1
    if match.kind is not ABSENT:
        assert passage[match.start : match.end] == match.matched_text


@pytest.mark.parametrize(
    ("passage", "kind"),
    [
        # Two common words of five are another statement on the same subject, not a rendering.
        ('"It is a vast area, and a hard one in which to mount a search," the admiral said.', QuoteMatchKind.ABSENT),
        # A rendering keeps most of them.
        ('"We shall keep searching the area where the debris lies," the admiral said.', QuoteMatchKind.VARIANT),
    ],
)
def test_a_variant_of_a_longer_quotation_shares_more_than_two_common_words(passage: str, kind: QuoteMatchKind) -> None:
    quote = Quotation("We will continue to search the area of the debris field", 0, 0, "")
    assert match_quotation(quote, passage).kind == kind


@pytest.mark.parametrize(
    ("passage", "kind"),
    [
        # The same three countries, and nothing else of what was said: another statement on one war.
        ('"Chinese volunteers fought beside Russian units inside Ukraine," the minister said.', QuoteMatchKind.ABSENT),
        # The countries and what was said of them: a rendering.
        ('"China is a key backer of Russia\'s war against Ukraine," the minister said.', QuoteMatchKind.VARIANT),
    ],
)
def test_a_variant_shares_more_than_the_countries_both_name(passage: str, kind: QuoteMatchKind) -> None:
    quote = Quotation("China is the main backer of Russia in its war on Ukraine", 0, 0, "")
    assert match_quotation(quote, passage).kind == kind
