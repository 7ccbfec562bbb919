"""Passage splitting and normalisation: pure, no database."""

import pytest

from factcheck.crosscheck.text import MAX_PASSAGE_CHARS, normalize_text, split_passages


def texts(source: str) -> list[str]:
    return [span.text for span in split_passages(source)]


SPLIT_CASES = [
    ("One sentence. Another one.", ["One sentence.", "Another one."]),
    ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
    ("Mr. Kovac met Dr. Lind in the U.S. on Monday.", ["Mr. Kovac met Dr. Lind in the U.S. on Monday."]),
    ("The envoy J. R. Almeida spoke first. Then others.", ["The envoy J. R. Almeida spoke first.", "Then others."]),
    (
        "Costs rose 3.5 percent to 1,250.75 dollars. Few noticed.",
        ["Costs rose 3.5 percent to 1,250.75 dollars.", "Few noticed."],
    ),
    (
        "\u201cWe are ready. We will not stop,\u201d the mayor said. Crowds cheered.",
        ["\u201cWe are ready. We will not stop,\u201d the mayor said.", "Crowds cheered."],
    ),
    (
        '"We are ready. We will not stop," she said. Then silence.',
        ['"We are ready. We will not stop," she said.', "Then silence."],
    ),
    ("It ended.\u201d Then it began.", ["It ended.\u201d", "Then it began."]),
    ("Key points\n- Two were held\n- A third escaped", ["Key points", "Two were held", "A third escaped"]),
    ("## A subheading\nBody text here.", ["A subheading", "Body text here."]),
    ("1. First item\n2) Second item", ["First item", "Second item"]),
    ("lower case after stop. continues here", ["lower case after stop. continues here"]),
    ("", []),
]


@pytest.mark.parametrize(("source", "expected"), SPLIT_CASES)
def test_it_splits_into_sentences(source: str, expected: list[str]) -> None:
    assert texts(source) == expected


@pytest.mark.parametrize(("source", "_expected"), SPLIT_CASES)
def test_it_gives_offsets_that_point_back_into_the_text(source: str, _expected: list[str]) -> None:
    for span in split_passages(source):
        assert source[span.start : span.end] == span.text


def test_it_cuts_a_run_on_passage_at_whitespace() -> None:
    source = "word " * 2000 + "end"
    spans = split_passages(source)
    assert len(spans) > 1
    assert all(len(span.text) <= MAX_PASSAGE_CHARS for span in spans)
    assert all(source[span.start : span.end] == span.text for span in spans)
    assert " ".join(span.text for span in spans) == source


def test_it_cuts_a_passage_without_any_whitespace() -> None:
    source = "x" * (MAX_PASSAGE_CHARS * 2 + 5)
    assert [len(span.text) for span in split_passages(source)] == [MAX_PASSAGE_CHARS, MAX_PASSAGE_CHARS, 5]


NORMALIZE_CASES = [
    ("a\r\nb\rc", "a\nb\nc"),
    ("  trailing   \nnext\t", "trailing\nnext"),
    ("one\n\n\n\n\ntwo", "one\n\ntwo"),
    ("cafe\u0301", "caf\u00e9"),
    ("line\u2028sep", "line\nsep"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_it_normalizes_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalizing_twice_changes_nothing() -> None:
    raw = " A\r\n\r\n\r\nB\u00a0 \n"
    assert normalize_text(normalize_text(raw)) == normalize_text(raw)


def test_it_leaves_a_wire_dateline_out_of_the_first_sentence() -> None:
    source = "OSLO, March 3 (Nordic Wire) - The port reopened on Monday. Ships queued."
    assert texts(source) == ["The port reopened on Monday.", "Ships queued."]


def test_it_keeps_a_capitalised_first_word_that_is_no_dateline() -> None:
    assert texts("NATO - the alliance - met today.") == ["NATO - the alliance - met today."]


def test_it_splits_off_social_media_embed_residue() -> None:
    source = "Our troops held the bridge\u2026 pic.twitter.com/AbC123xyz"
    spans = split_passages(source)
    assert [s.text for s in spans] == ["Our troops held the bridge\u2026", "pic.twitter.com/AbC123xyz"]
    assert all(source[s.start : s.end] == s.text for s in spans)
