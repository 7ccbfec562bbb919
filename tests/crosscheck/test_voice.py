"""In whose voice a passage speaks: hedges, refutations and what they reach. Pure, no database."""

import pytest

from factcheck.crosscheck.voice import (
    debunked_statement,
    hedge,
    hedged_region,
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
