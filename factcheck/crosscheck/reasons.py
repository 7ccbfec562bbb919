"""The engine's codes in the desk's words: what a reviewer reads instead of ``quote_misattributed``,
``figure_not_given`` or ``at_least``. Pure: no Django import.

One table per kind of code. A code the tables do not know is shown as words made from it ("new
reason") rather than raw, and ``tests/crosscheck/test_reasons.py`` fails for any reason the engine
can give that has no words here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factcheck.crosscheck.figures import Qualifier

# How each stance reads on the evidence list, as a verb of the passage.
STANCE_WORDS = {
    "supports": "confirms",
    "conflicts": "contradicts",
    "mentions": "mentions",
    "unrelated": "is unrelated",
}

# A stance as a reviewer gives it, correcting the checker: "This passage …".
STANCE_CHOICE_WORDS = {
    "supports": "confirms the claim",
    "conflicts": "contradicts the claim",
    "mentions": "mentions it but settles nothing",
    "unrelated": "is about something else",
}

# Why the passage got its stance: completes "This passage …".
REASON_WORDS = {
    # Confirms
    "wording_overlap": "says the same thing in its own words",
    "figure_agrees": "gives the same figure",
    "time_agrees": "gives the same time of day",
    "quote_verbatim": "has the quotation word for word",
    "quote_near_verbatim": "has the quotation nearly word for word",
    "quote_variant": "has the quotation re-worded",
    "denial_reported": "reports the same denial",
    # Contradicts
    "figure_conflict": "gives a different figure",
    "place_conflict": "puts it in a different place",
    "time_conflict": "puts it at a different time of day",
    "quote_misattributed": "gives the quotation to someone else",
    "denied_affirmed": "says what the claim denies did happen",
    "denial": "reports a denial of it",
    "refutation": "says it is false",
    "negated": "says it is not so",
    # Mentions, without confirming or contradicting
    "reported": "repeats it on someone else's word (a report, not a confirmation)",
    "related": "is about the same subject but does not settle it",
    "figure_not_given": "is about it but gives no figure to compare",
    "name_not_given": "does not name who or what the claim names",
    "quote_absent": "does not have the quotation",
    "quote_other_speaker": "has similar words said by someone else",
    "other_figure": "gives a figure that counts something else",
    "other_subject": "is about another place, time or party",
    "other_event": "is about another event",
    "nothing_to_check": "has nothing the claim can be checked against",
    "unrelated": "is about something else",
}

# Why a passage was (or was not) worth checking (worthiness.rule_reasons): "This passage …".
WORTHINESS_WORDS = {
    "figure": "gives a figure",
    "named_entities": "names several people, places or bodies",
    "named_entity": "names a person, place or body",
    "attribution": "says who said it",
    "quotation": "quotes someone",
    "comparison": "makes a comparison",
    "event": "reports an event",
    "non_statement": "states nothing",
    "question": "is a question",
    "opinion": "gives an opinion",
    "heading": "is a heading",
    "too_short": "is too short to check",
    "link": "is a link",
}

# A figure's qualifier, as it reads before the number ("at least 30").
QUALIFIER_WORDS = {
    Qualifier.EXACT: "exactly",
    Qualifier.APPROXIMATE: "about",
    Qualifier.AT_LEAST: "at least",
    Qualifier.MORE_THAN: "more than",
    Qualifier.AT_MOST: "at most",
    Qualifier.LESS_THAN: "less than",
    Qualifier.UP_TO: "up to",
    Qualifier.NEARLY: "nearly",
    Qualifier.RANGE: "between",
    Qualifier.VAGUE: "an unspecified number",
}

# What the details of a "related" passage say it lacks.
MISSING_WORDS = {
    "place_not_given": "does not say where",
    "nationality_not_given": "does not say whose",
    "cause_not_given": "does not give the cause",
}


def _as_words(code: str) -> str:
    return code.replace("_", " ").strip()


def stance_in_words(stance: str) -> str:
    return STANCE_WORDS.get(stance, _as_words(stance))


def reason_in_words(reason: str, details: Mapping[str, Any] | None = None) -> str:
    """Why the passage got its stance, as a reviewer reads it: "gives the quotation to someone else".
    A passage the learned model overruled says so ("… (the model read it as a report)")."""
    words = REASON_WORDS.get(reason, _as_words(reason))
    details = details or {}
    missing = [text for key, text in MISSING_WORDS.items() if details.get(key)]
    if reason == "related" and missing:
        words = "is about the same subject but " + " and ".join(missing)
    return words


def qualifier_in_words(qualifier: str) -> str:
    """ "at_least" -> "at least"; the exact qualifier reads as nothing (a plain number says it)."""
    if not qualifier or qualifier == Qualifier.EXACT:
        return ""
    try:
        return QUALIFIER_WORDS[Qualifier(qualifier)]
    except ValueError:
        return _as_words(qualifier)


def counted_in_words(figure: Mapping[str, Any]) -> str:
    """What a figure counts, from its stored details: "soldiers killed", "people" or "" when unknown.
    The noun as written when the engine kept it, else its concept; then what happened to them."""
    noun = str(figure.get("counted_text") or figure.get("counted") or "")
    event = str(figure.get("event") or "")
    return " ".join(part for part in (noun, event if event != noun else "") if part)


def worthiness_in_words(reasons: list[str] | tuple[str, ...]) -> str:
    """A passage's check-worthiness reasons as one phrase: "gives a figure; says who said it"."""
    return "; ".join(WORTHINESS_WORDS.get(reason, _as_words(reason)) for reason in reasons)
