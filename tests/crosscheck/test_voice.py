"""In whose voice a passage speaks: hedges, refutations and what they reach. Pure, no database."""

import pytest

from factcheck.crosscheck.voice import (
    debunked_statement,
    hedge,
    hedged_region,
    negated_words,
    referred_back,
    refutations,
    reported_content,
)


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        # A description of a noun: the hedge reaches to the end of the description only.
        ("Police arrested 40 protesters accused of blocking the ring road.", "accused of blocking the ring road"),
        ("The museum released footage allegedly showing the guard, and closed.", "allegedly showing the guard"),
        # The sentence's own predicate, or a headline's (no verb before the noun): the whole statement.
        ("New phone rumoured to have two lenses", "New phone rumoured to have two lenses"),
        (
            "The protesters were accused of blocking the ring road.",
            "The protesters were accused of blocking the ring road.",
        ),
    ],
)
def test_a_hedge_reaches_what_it_qualifies(text: str, hedged: str) -> None:
    cue = hedge(text)
    assert cue is not None
    start, end = hedged_region(text, cue)
    assert text[start:end] == hedged


@pytest.mark.parametrize(
    "text", ["A meteorite cannot be ruled out as the cause, the agency said.", "The minister did not deny the report."]
)
def test_a_verb_of_rejection_negated_rejects_nothing(text: str) -> None:
    assert refutations(text) == ()


def test_a_verb_of_denial_done_to_someone_rejects_nothing() -> None:
    assert refutations("The pilot complained about the schedule and was dismissed in May.") == ()
    assert refutations("The pilot was arrested and denied bail.") == ()
    (denial,) = refutations("The pilot's account was dismissed by the airline.")
    assert denial.kind == "denial"


def test_a_link_denied_rejects_what_it_links_on_either_side() -> None:
    text = "Asked about the tremors, the engineer said there was no connection between them and the mine."
    (refutation,) = refutations(text)
    assert refutation.link
    assert "tremors" in refutation.rejected
    assert "mine" in refutation.rejected


# What its article said before a passage: its title, then the passage before it.
RUMOUR = "Ferry rumours spread online\nSome posts claimed the ferry was sunk by a whale."


@pytest.mark.parametrize(
    "debunk", ["There is no evidence for that either.", "The coast guard said the claim was false."]
)
def test_a_debunk_that_refers_back_rejects_the_rumour_before_it(debunk: str) -> None:
    assert debunked_statement(debunk, RUMOUR) == "Some posts claimed the ferry was sunk by a whale."
    (refutation,) = refutations(debunk)
    assert referred_back(debunk, refutation, RUMOUR) == "Some posts claimed the ferry was sunk by a whale."
    assert reported_content("Some posts claimed the ferry was sunk by a whale, citing a video.") == (
        " the ferry was sunk by a whale"
    )


def test_a_debunk_refers_back_only_to_a_statement_reported_at_a_distance() -> None:
    # A fact stated in the article's own voice is not what "the claim was false" rejects.
    before = "The ferry sank on Monday."
    debunk = "The coast guard said the claim was false."
    assert debunked_statement(debunk, before) == ""
    (refutation,) = refutations(debunk)
    assert referred_back(debunk, refutation, before) == ""
    # A debunk that names what it rejects needs nothing before it ("that" introducing what is
    # claimed, "the claim of" saying it).
    assert debunked_statement("Reports of a whale are false.", RUMOUR) == ""
    assert debunked_statement("Claims that a storm sank the ferry are untrue.", RUMOUR) == ""
    assert debunked_statement("The claim of a storm was false.", RUMOUR) == ""


@pytest.mark.parametrize(
    ("text", "rejected"),
    [
        # Dismissed as worthless or as more than happened, as the statement's predicate.
        (
            "Stories that the mayor had resigned were exaggerated, his office said.",
            "Stories that the mayor had resigned were",
        ),
        (
            "Rumours of a merger between the two dairies have been called 'rubbish' by both.",
            "Rumours of a merger between the two dairies have been called '",
        ),
        ("The photo of the frozen waterfall was not all it seemed.", "The photo of the frozen waterfall was"),
        # A verb naming what its object is.
        ("The ministry called the water reports inaccurate.", "The ministry called the water reports"),
        (
            "The ministry labelled it “incorrect”.",
            "The ministry labelled it “",
        ),
        # The object after its complement: what follows is rejected.
        (
            "The dairy described as rubbish a newspaper report that it would close.",
            "The dairy described as   a newspaper report that it would close",
        ),
    ],
)
def test_a_statement_dismissed_as_its_predicate_is_rejected(text: str, rejected: str) -> None:
    (refutation,) = refutations(text)
    assert refutation.rejected == rejected
    assert refutation.kind == "refutation"


@pytest.mark.parametrize(
    "text",
    [
        "Volunteers cleared a pile of rubbish from the riverbank.",
        "The old survey called the coastline an inaccurate mess.",
        "The conductor gave an exaggerated bow to the choir.",
    ],
)
def test_a_dismissing_word_describing_a_thing_rejects_nothing(text: str) -> None:
    assert refutations(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        # A refusal to speak says nothing of what was asked about.
        "The ministry would not comment on the reported closure of the mine.",
        "The mine's owner has not yet responded to questions about the closure.",
        "The owner did not immediately return calls about the closure.",
        "Police could not confirm that the mine was closed.",
        # Nor does leaving it unsaid.
        "The ministry said it had struck a target near the mine and did not mention the closure.",
        # A prevention negated affirms what it did not prevent.
        "The snow did not stop the miners from reaching the shaft.",
        # "Not only" adds to what it names.
        "The flood closed not only the mine but the road to it.",
        # An interjection negates nothing.
        "Oh no the mine has closed!",
    ],
)
def test_a_negation_of_speaking_or_preventing_negates_nothing_reported(text: str) -> None:
    assert negated_words(text) == ()


def test_a_negated_verb_still_negates_what_follows() -> None:
    assert [words for words, _ in negated_words("The mine has not closed, and the miners did not stop working.")] == [
        "closed",
        "stop working",
    ]
