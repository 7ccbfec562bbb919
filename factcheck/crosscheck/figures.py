"""Figures in a text as intervals, with what they count and what happened to it. Pure: no Django import.

Two reports of one event often give different numbers ("11,000 soldiers" here,
"approximately 15,000 soldiers" there). To tell a conflict from a paraphrase, every
figure becomes an interval ("at least 155" is [155, inf), "a few hundred" is
[200, 500], "about 70" is [63, 77]) with its qualifier, the concept it counts
(soldiers, troops and men are all "troops": noun_groups.py, generated from WordNet) and
the event it belongs to (killed, captured, deployed...). Two figures are compared only
when they count the same thing in compatible events, and they conflict only when their
intervals cannot both hold and the same event (or, for counts of things, no event on
either side) ties them: two measurements ("about 50 feet", "12 feet") with no event are
as often measurements of two things. Two tolls of two incidents the texts name ("died in the
collapse", "died in the Titan disaster") never conflict; nouns of one kind ("321 ships", "321
vessels": noun_groups.ONE_KIND) agree when their numbers do, and never conflict.

Contract:
- ``extract_figures`` never raises on a ``str`` and runs in linear time: the text is
  tokenised once by a regex that cannot backtrack, and every look-around is bounded.
- ``Figure.text == analysed[start:end]``: the qualifier, the number, its scale and its
  unit when written with it ("approximately 15,000", "$4.5bn", "40 per cent").
- Years, dates (9/11, 911, 24/7, "the 1990s"), times, ages ("a 25-year-old", "Smith, 57,"),
  ordinals, scores ("1-0"), phone numbers and codes (F-16, COVID-19, "020 7946 0958") and
  list or section numbers are not figures; neither is a lone "one", nearly always a pronoun.
- Matching is lexical and conservative: a figure whose counted noun and event are both
  unknown is never compared with anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.names import place_mentions
from factcheck.crosscheck.noun_groups import COLLECTIVES, KINDS_OF_PERSON, MEASURES, ONE_KIND, TROOPS
from factcheck.crosscheck.words import STOPWORDS


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    UP_TO = "up_to"
    NEARLY = "nearly"
    RANGE = "range"
    VAGUE = "vague"


class Relation(StrEnum):
    AGREE = "agree"
    CONFLICT = "conflict"
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class Figure:
    text: str  # as written, qualifier included: "approximately 15,000", "a few hundred"
    start: int  # text == analysed[start:end]
    end: int
    low: float
    high: float  # math.inf for open upper bounds
    qualifier: Qualifier
    counted: str  # concept counted ("troops", "citizens", "percent", "money"), "" if unknown
    counted_text: str  # the counted noun as written ("soldiers"), "" if none
    event: str  # concept of what happened ("killed", "captured"), "" if none found
    # Whose count it is: names next to the figure ("Oskaria has sent", "Qareshi", "from Qaresh"),
    # cut to a short stem so "Qareshi" meets "Qaresh"; empty when the text names nobody there.
    group: frozenset[str] = frozenset()
    # The whole that the figure before it is a part of ("28" in "seven out of 28 girls"): a larger
    # set than the one the text is about, so it agrees or is unrelated, and never conflicts.
    has_part: bool = False
    # What the figure is a rate of: "30,000 vehicles a day" ("day"), "$250,000 a seat" ("seat");
    # empty for a total ("750,000 vehicles last year").
    rate: str = ""
    # The noun a compound's head is modified by: "road" in "six road workers", "" if none.
    kind: str = ""
    # What a measurement is of, when the text says: "oxygen" in "96 hours of emergency oxygen".
    measured: str = ""
    # The incident named after the event, when the text names one: "the Titan submersible disaster"
    # in "1,500 died in the Titan submersible disaster" (its words, singular), empty when it does not.
    incident: frozenset[str] = frozenset()


# --- Tables -----------------------------------------------------------------------------

# What a reader would accept for a vague quantity. "a few" X reads as 2-5 X and "several" X
# as 2-9 X; a plural ("hundreds") runs from two of the unit to just below the next one.
VAGUE_INTERVALS: dict[str, tuple[float, float]] = {
    "a couple of": (2, 3), "a handful of": (2, 6), "a few": (2, 5), "several": (3, 9),
    "a few dozen": (24, 60), "several dozen": (24, 108), "dozens": (24, 99), "scores of": (40, 99),
    "a few hundred": (200, 500), "several hundred": (200, 900), "hundreds": (200, 999),
    "a few thousand": (2e3, 5e3), "several thousand": (2e3, 9e3), "thousands": (2e3, 9_999),
    "tens of thousands": (2e4, 99_999), "hundreds of thousands": (2e5, 999_999),
    "a few million": (2e6, 5e6), "several million": (2e6, 9e6), "millions": (2e6, 9_999_999),
    "tens of millions": (2e7, 99_999_999), "hundreds of millions": (2e8, 999_999_999), "billions": (2e9, 1e10 - 1),
}  # fmt: skip
# Small vague words are figures only when they count a noun: "several soldiers", not "several said".
_NEEDS_NOUN = {("a", "few"), ("several",), ("a", "couple", "of"), ("a", "handful", "of")}

_QUALIFIER_PHRASES = {
    Qualifier.AT_LEAST: "at least|no fewer than|not fewer than|no less than|not less than|a minimum of",
    Qualifier.MORE_THAN: "more than|over|upwards of|in excess of|greater than|above|exceed|exceeds|exceeded|"
    "exceeding|topped|surpassed|passed|passes|climbed past|rose past|risen past|went past",
    Qualifier.UP_TO: "up to",
    Qualifier.AT_MOST: "at most|no more than|not more than|a maximum of",
    Qualifier.LESS_THAN: "fewer than|less than|under|below",
    Qualifier.NEARLY: "nearly|almost|close to|just under|just below|just shy of",
    Qualifier.APPROXIMATE: "about|approximately|approx .|around|roughly|some|an estimated|estimated|~|circa",
}
# Written after the number: "12 or more", "300 or so".
_POSTFIX_QUALIFIERS = {
    "more": Qualifier.AT_LEAST, "so": Qualifier.APPROXIMATE, "fewer": Qualifier.AT_MOST, "less": Qualifier.AT_MOST,
}  # fmt: skip
APPROXIMATE_TOLERANCE = 0.1  # "about 70" is 63-77, and a whole number never narrower than +-1
NEARLY_FLOOR = 0.85  # "nearly 100" is 85-100

# Nouns that count one kind of thing. Members of an armed force come from WordNet (noun_groups.TROOPS:
# "11,000 soldiers" and "approximately 15,000 men" count one force); the other groups are the few
# news-generic words reports use interchangeably for one head count.
COUNTED_CONCEPTS = {
    "troops": " ".join(sorted(TROOPS)),
    "citizens": "citizens nationals",
    "people": "people persons civilians residents victims individuals inhabitants",
    "passengers": "passengers",
    "countries": "countries nations states",
}
EVENT_CONCEPTS = {
    "killed": "killed|kill|kills|killing|died|die|dies|dying|dead|death|deaths|death toll|toll|fatalities|slain|"
    "perished|lost their lives",
    "wounded": "wounded|injured|injuring|injuries|hurt|taken to hospital|hospitalised|hospitalized",
    "captured": "captured|capture|captive|captives|taken prisoner|prisoner|prisoners|detained|detention|held|"
    "holding|hold|custody|seized|hostage|hostages|abducted",
    "deployed": "deployed|deploy|deployment|sent|send|sending|dispatched|stationed|contingent",
    "serving": "serving|serve|serves|served|fighting|fight|fights|fought|recruited|joined|enlisted",
    "arrested": "arrested|arrest|arrests", "evacuated": "evacuated|evacuation", "missing": "missing",
}  # fmt: skip
# Events reported of the same head count: a contingent sent to a war is the force fighting in it,
# and one article says "deployed" where the next says "fighting". Captured, killed and wounded stay apart.
COMPATIBLE_EVENTS = (frozenset({"deployed", "serving"}),)
# Counts of people that reports use interchangeably for one group (see same_thing).
PERSONS = frozenset({"troops", "citizens", "people"})
INCIDENT_EVENTS = frozenset({"killed", "wounded", "captured", "arrested", "missing", "evacuated"})

_CURRENCIES = {
    "$": "dollar", "dollar": "dollar", "dollars": "dollar", "usd": "dollar", "€": "euro", "euro": "euro",
    "euros": "euro", "eur": "euro", "£": "pound", "pounds": "pound", "gbp": "pound", "¥": "yen", "yen": "yen",
    "yuan": "yuan", "₹": "rupee", "rupees": "rupee", "₽": "rouble", "roubles": "rouble", "rubles": "rouble",
}  # fmt: skip
_SMALL = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_SMALL |= {w: n for n, w in enumerate("thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 13)}
_SMALL |= {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALE_WORDS = {"dozen": 12.0, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Written against the number: "15k", "$3.5bn". "m" and "b" are metres and bytes unless money is counted.
_SUFFIX_SCALES = {"k": 1e3, "bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12}
_MONEY_SUFFIX_SCALES = _SUFFIX_SCALES | {"m": 1e6, "b": 1e9}
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TIME_WORDS = frozenset("am pm a.m p.m o'clock gmt utc hrs".split())
_SECTION_WORDS = frozenset(
    "article section chapter paragraph page clause item number resolution flight route highway room gate "
    "platform phase stage level category round part annex amendment aged age".split()
)
# Numbers that name a date or a service, not a count: "since 911", "9-11", "a 911 call".
_DATE_LIKE = frozenset({"911", "9-11"})
# Next to a dash-joined pair, these make it a score ("a 2-1 win", "won 3-0"), not a range.
_SCORE_WORDS = frozenset(
    "win wins won victory victories defeat defeats defeated beat beats lost lose loses loss draw drew drawn "
    "lead led score scored scores scoreline final".split()
)
PHONE_GROUPS = (3, 4)  # "123-4567": a phone number's last two groups, not a range
_DASHES = frozenset("-\u2013\u2014")
_CLAUSE_ENDS = frozenset(";.!?\u2026")
_CLAUSE_CONJUNCTIONS = frozenset("while and but whereas although though or yet which who when".split())
# Between a number and its noun: modifiers that are not what is counted.
_MODIFIERS = frozenset(
    "more other additional another further extra new fresh foreign local young elderly senior junior former "
    "top armed unarmed suspected alleged innocent active regular reserve total".split()
)
_DETERMINERS = frozenset("the its his her their our my your these those this that".split())
# Where the search for the counted noun stops: prepositions, conjunctions, verbs, pronouns.
_NOUN_STOPS = _DETERMINERS | frozenset(
    "a an and or but nor so yet while who whom whose which where when if because than as in on at to from by "
    "for with into onto across over under after before during since near per against among between through "
    "within without around about inside outside along toward towards via is are was were be been being am "
    "have has had do does did will would shall should can could may might must said say says told remain "
    "remains remained it they them he she we you i each out aboard onboard".split()
)
# Written against the number with a dash and still a figure: "a 15,000-strong force", "a 7.8-magnitude quake".
# How many a group has, written against the number: "a 15,000-strong force", "the eight-member crew",
# "a 30-man patrol": the number counts the noun that follows.
_STRENGTHS = frozenset({"strong", "member", "person", "man", "woman"})
_DASHED_COUNTS = _STRENGTHS | {"magnitude"}
# Periods of time: "a 58-year-old", "a 10-year plan", "a 24-hour strike" are no measurements of a thing.
_PERIODS = frozenset("second minute hour day night week month year decade century".split())
# What a reading on a scale measures, written before or after it: "magnitude 6.4", "7.8 in magnitude".
# A reading is a property of the one thing read (a quake), whatever happened around it.
READINGS = frozenset({"magnitude"})
# "a day", "per seat", "each year", "daily": what a figure is a rate of.
_RATE_WORDS = frozenset("a an per each every".split())
_RATE_ADVERBS = {
    "daily": "day", "nightly": "night", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year",
    "hourly": "hour",
}  # fmt: skip
_IRREGULAR_SINGULARS = {"people": "people", "women": "woman", "children": "child", "lives": "life"}
NOUN_WINDOW = 4  # tokens after the number searched for the counted noun
EVENT_BEFORE = 4  # tokens before the figure searched for its event
EVENT_AFTER = 12  # tokens after it, within its clause
SUBJECT_BEFORE = 16  # tokens before it searched for a toll its clause is about
MAX_NUMBER_CHARS = 24  # a longer run of digits is an identifier or noise, not a count

_TOKEN = re.compile(r"(?P<d>[0-9]+(?:[.,:][0-9]+)*)|(?P<w>[^\W\d_]+(?:['\u2019-][^\W\d_]+)*)|(?P<s>\S)")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}")  # "1.200.000"; "1.200" stays a decimal


def _singular(word: str) -> str:
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("men") and len(word) > 4:  # "servicemen", "militiamen", "gunmen"
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


_VAGUE = {tuple(phrase.split()): interval for phrase, interval in VAGUE_INTERVALS.items()}
_QUALIFIER_OF = {tuple(p.split()): q for q, phrases in _QUALIFIER_PHRASES.items() for p in phrases.split("|")}
_COUNTED_OF = {w: c for c, words in COUNTED_CONCEPTS.items() for p in words.split() for w in (p, _singular(p))}
_EVENT_OF = {tuple(p.split()): c for c, phrases in EVENT_CONCEPTS.items() for p in phrases.split("|")}
_EVENT_WORDS = frozenset(key[0] for key in _EVENT_OF if len(key) == 1)
# Cheap first checks, so that most tokens cost one set lookup.
_VAGUE_STARTS = frozenset(key[0] for key in _VAGUE)
_QUALIFIER_ENDS = frozenset(key[-1] for key in _QUALIFIER_OF)
_EVENT_STARTS = frozenset(key[0] for key in _EVENT_OF)
# ... and "an hour and a half", "half a day", "nobody was hurt", "no one died".
_SPELLED_STARTS = frozenset({"an", "half", "nobody", "no", "no-one"})
_QUANTITY_STARTS = frozenset(_SMALL) | _VAGUE_STARTS | {c for c in _CURRENCIES if len(c) == 1} | _SPELLED_STARTS


# --- Tokens -----------------------------------------------------------------------------


class _Token(NamedTuple):
    text: str
    low: str  # lower case, typographic apostrophe straightened
    kind: str  # "d" digits, "w" word, "s" any other single character, "" padding
    start: int
    end: int


# The token list ends with padding (reached also by index -1), so look-arounds need no bounds checks.
_PAD, _PADDING = 4, _Token("", "", "", -2, -3)


class _Number(NamedTuple):
    end: int  # token index after the number and its scale or unit
    value: float
    scale: float  # 1 unless a scale was written ("1.2 million")
    unit: str  # "percent" or "money" when the unit says what is counted
    unit_text: str


class _Quantity(NamedTuple):
    first: int  # token indexes, qualifier included; last is exclusive
    last: int
    low: float
    high: float
    qualifier: Qualifier
    unit: str
    unit_text: str
    needs_noun: bool


def _tokenize(text: str) -> list[_Token]:
    tokens = [
        _Token(m.group(), m.group().lower().replace("\u2019", "'"), m.lastgroup or "s", m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]
    return tokens + [_PADDING] * _PAD


def _touch(left: _Token, right: _Token) -> bool:
    """Written with no space between: "15k", "F-16", "3rd"."""
    return left.end == right.start


# --- Numbers ----------------------------------------------------------------------------


def _digits_value(digits: str) -> float | None:
    if len(digits) > MAX_NUMBER_CHARS:
        return None
    if _PLAIN.fullmatch(digits):
        is_year = len(digits) == 4 and "." not in digits and 1800 <= int(digits) <= 2099
        return None if is_year else float(digits)
    if _COMMA_THOUSANDS.fullmatch(digits):
        return float(digits.replace(",", ""))
    if _DOT_THOUSANDS.fullmatch(digits):
        return float(digits.replace(".", ""))
    return None  # "10:30", "1,2,3", "1.2.3"


def _add_number_word(total: float, current: float, word: str) -> tuple[float, float] | None:
    for part in word.split("-"):
        scale = _SCALE_WORDS.get(part, 0.0)
        if part in _SMALL:
            # "twenty-five" and "hundred and ten" continue a number; "five six" does not.
            if current % 100 and not (current % 10 == 0 and _SMALL[part] < 10):
                return None
            current += _SMALL[part]
        elif 0 < scale < 1000 and current < 100:  # "twelve hundred", not "two hundred hundred"
            current = (current or 1) * scale
        elif scale >= 1000 and total % (scale * 1000) == 0:  # larger scales first: "two million three thousand"
            total, current = total + (current or 1) * scale, 0.0
        else:
            return None
    return total, current


def _words_number(tokens: list[_Token], i: int) -> tuple[float, int] | None:
    """ "eleven thousand", "twenty-five", "a hundred", "two hundred and fifty": value and end index."""
    total, current, k = 0.0, 0.0, i
    if tokens[i].low == "a" and tokens[i + 1].low in _SCALE_WORDS:
        current, k = 1.0, i + 1
    elif tokens[i].low.split("-")[0] not in _SMALL:
        return None
    end = k
    number, _, strength = tokens[i].low.rpartition("-")
    if strength in _STRENGTHS and number:  # "the eight-member crew", "a twenty-five-strong team"
        step = _add_number_word(0.0, 0.0, number)
        return (sum(step), i + 1) if step is not None and sum(step) > 1 else None
    while True:
        after_scale = (current > 0 and current % 100 == 0) or (total > 0 and current == 0)
        if tokens[k].low == "and" and after_scale:  # "two hundred and fifty"
            k += 1
        step = _add_number_word(total, current, tokens[k].low) if tokens[k].kind == "w" else None
        if step is None:
            break
        (total, current), k = step, k + 1
        end = k
    if end > i and _and_a_half(tokens, end):  # "three and a half days", "one and a half million"
        value, end = total + current + 0.5, end + 3
        scale = _SCALE_WORDS.get(tokens[end].low, 0.0) if total == 0 and current < 100 else 0.0
        return (value * scale, end + 1) if scale >= 1000 else (value, end)
    if end == i or (end == i + 1 and tokens[i].low == "one"):
        return None  # "one" is nearly always a pronoun: "one of the men"
    return total + current, end


def _is_month(token: _Token) -> bool:
    return token.low in _MONTHS and token.text[:1].isupper()


def _no_later_day(tokens: list[_Token], i: int) -> bool:
    """Whether what follows the day at ``i`` and its dash cannot be a later day of the month, ending a
    range of days ("April 8 - 9"): a number over 31, or not after the day ("December 14 - 12 people"),
    or any number after a dateline's place in capitals ("KYIV, December 4 - 12 people")."""
    day, after = tokens[i], tokens[i + 2]
    if not (day.text.isdigit() and after.text.isdigit()):
        return True
    place = tokens[i - 3] if i >= 3 else _PADDING  # the place, its comma, the month, the day
    if tokens[i - 2].text == "," and len(place.text) > 1 and place.text.isupper():
        return True
    return not int(day.text) < int(after.text) <= 31  # a month has at most 31 days


def _not_a_count(text: str, tokens: list[_Token], i: int, end: int, range_end: bool) -> bool:
    """Dates, times, ages, ordinals, codes and list numbers (years never get this far)."""
    prev, nxt, after = tokens[i - 1], tokens[end], tokens[end + 1]
    if _touch(prev, tokens[i]) and not range_end:
        if prev.kind == "w" or prev.text in ("#", "/"):  # "G7", "#3", "9/11"
            return True
        if prev.text in _DASHES and _touch(tokens[i - 2], prev):  # "F-16", the "20" of "2019-20"
            return True
    day_of_month = tokens[i].kind == "d" and len(tokens[i].text) <= 2
    if prev.low in _SECTION_WORDS or (day_of_month and (_is_month(prev) or _is_month(nxt))):
        return True
    if tokens[i].text in _DATE_LIKE or (prev.low == "of" and tokens[i - 2].low == "age"):  # "911", "at the age of 57"
        return True
    if tokens[i].kind == "d" and _is_code(text, tokens, i, end):
        return True
    if prev.text == "," and nxt.text == "," and tokens[i - 2].text[:1].isupper() and tokens[i].kind == "d":
        return len(tokens[i].text) <= 3  # an age after a name: "Henry Jackson, 57, died"
    if prev.text == "." and tokens[i - 2].low == "no":  # "No. 10"
        return True
    at_line_start = i == 0 or "\n" in text[prev.end : tokens[i].start]
    if at_line_start and nxt.text in (".", ")") and _touch(tokens[end - 1], nxt):
        return True  # a list marker: "1." or "2)" opening a line
    if _touch(tokens[end - 1], nxt) and (nxt.low in ("st", "nd", "rd", "th") or nxt.text == "/"):
        return True  # "3rd", "24/7"
    if nxt.low in _TIME_WORDS or (nxt.low in ("a", "p") and after.text == "."):
        return True  # "8 pm", "8 a.m."
    if nxt.text in _DASHES and after.kind == "w" and _touch(nxt, after):
        # "58-year-old", "10-year plan"; but "a 15,000-strong force", "the 400-metre ship"
        return after.low not in _DASHED_COUNTS and not _dashed_measure(after)
    return nxt.low in ("year", "years") and after.low == "old"


def _dashed_measure(unit: _Token) -> bool:
    """ "the 400-metre ship", "a 2.6-kilometre span": a length or a weight written as an adjective
    is a figure; a period so written is an age or a plan's term ("58-year-old", "a 10-year plan")."""
    return unit.low in MEASURES and unit.low not in _PERIODS


def _is_code(text: str, tokens: list[_Token], i: int, end: int) -> bool:
    """A phone number, an identifier or a time written as digits: a group with a leading zero
    ("020 7946 0958", "0800 GMT"), digit groups with only a space between them, an area code."""
    digits = tokens[i].text
    if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
        return True
    prev, nxt = tokens[i - 1], tokens[end]
    spaced_before = prev.kind == "d" and not text[prev.end : tokens[i].start].strip()
    spaced_after = nxt.kind == "d" and not text[tokens[end - 1].end : nxt.start].strip()
    area_code = prev.text == "(" and nxt.text == ")" and tokens[end + 1].kind == "d"  # "(555) 123-4567"
    return spaced_before or spaced_after or area_code


def _scale_after(tokens: list[_Token], end: int, currency: bool) -> tuple[float, int] | None:
    scale, nxt = 1.0, tokens[end]
    if nxt.kind == "w" and _touch(tokens[end - 1], nxt):
        suffixes = _MONEY_SUFFIX_SCALES if currency else _SUFFIX_SCALES
        if nxt.low in suffixes:
            scale, end = suffixes[nxt.low], end + 1
        elif len(nxt.low) == 1:
            return None  # "5G", "1e309": a code, not a count
    for _ in range(2):  # "1.2 million"; bounded, so that a run of scales cannot overflow
        if tokens[end].low not in _SCALE_WORDS:
            break
        scale, end = scale * _SCALE_WORDS[tokens[end].low], end + 1
    return scale, end


def _unit_after(tokens: list[_Token], end: int, currency: str) -> tuple[str, str, int]:
    nxt = tokens[end]
    if nxt.text == "%" or nxt.low in ("percent", "pct"):
        return "percent", "", end + 1
    if nxt.low == "per" and tokens[end + 1].low == "cent":
        return "percent", "", end + 2
    if currency:
        return "money", "", end
    if nxt.kind == "w" and nxt.low in _CURRENCIES:
        return "money", nxt.text, end  # "4,500 dollars": the noun stays out of the figure's text
    return "", "", end


_HALF = ("and", "a", "half")


def _and_a_half(tokens: list[_Token], end: int) -> bool:
    """ "three and a half", "a minute and a half": half a unit more than the number before."""
    return tuple(token.low for token in tokens[end : end + 3]) == _HALF


def _spelled_period(tokens: list[_Token], i: int) -> _Number | None:
    """A period spelled with a half: "a minute and a half" (1.5 minutes), "an hour and a half",
    "half an hour" (0.5 hours), "half a day". The period is what is measured, as in "a 90-minute
    delay"; a lone "an hour" stays no figure, as "a" and "one" are none."""
    first, second, third = tokens[i], tokens[i + 1], tokens[i + 2]
    if first.low in ("a", "an") and _singular(second.low) in _PERIODS and _and_a_half(tokens, i + 2):
        return _Number(i + 5, 1.5, 1.0, _singular(second.low), second.text)
    if first.low == "half" and second.low in ("a", "an") and _singular(third.low) in _PERIODS:
        return _Number(i + 3, 0.5, 1.0, _singular(third.low), third.text)
    return None


def _number_at(text: str, tokens: list[_Token], i: int, range_end: bool = False) -> _Number | None:
    k, currency = i, ""
    period = _spelled_period(tokens, i) if tokens[i].low in ("a", "an", "half") else None
    if period is not None:
        return period
    if tokens[i].kind == "s" and tokens[i].text in _CURRENCIES and _touch(tokens[i], tokens[i + 1]):
        k, currency = i + 1, tokens[i].text
    if tokens[k].kind == "d":
        value, end = _digits_value(tokens[k].text), k + 1
    else:
        value, end = _words_number(tokens, k) or (None, k)
    if value is None or _not_a_count(text, tokens, k, end, range_end):
        return None
    if tokens[end].text in _DASHES and tokens[end + 1].low in _STRENGTHS:
        end += 2  # "a 15,000-strong force"; "a 7.8-magnitude quake" leaves "magnitude" to be counted
    elif tokens[end].text in _DASHES and _touch(tokens[end], tokens[end + 1]) and _dashed_measure(tokens[end + 1]):
        written = tokens[end + 1]  # "the 400-metre ship": the unit, written against it, is what is measured
        return _Number(end + 2, value, 1.0, _singular(written.low), written.text)
    # Number words have read their own scale words ("two million"); digits take them here.
    scaled = _scale_after(tokens, end, bool(currency)) if tokens[k].kind == "d" else (1.0, end)
    if scaled is None:
        return None
    unit, unit_text, end = _unit_after(tokens, scaled[1], currency)
    return _Number(end, round(value * scaled[0], 6), scaled[0], unit, unit_text)  # "4.1bn" is 4100000000


# --- Quantities -------------------------------------------------------------------------


def _vague_at(tokens: list[_Token], i: int) -> tuple[int, float, float, bool] | None:
    for length in (3, 2, 1):
        key = tuple(token.low for token in tokens[i : i + length])
        if key in _VAGUE:
            (low, high), end = _VAGUE[key], i + length
            scale = _SCALE_WORDS.get(tokens[end].low, 0.0)
            if key[-1] == "hundred" and scale >= 1000:  # "several hundred thousand"
                low, high, end = low * scale, high * scale, end + 1
            return end, low, high, key in _NEEDS_NOUN
    return None


def _tolerance(value: float) -> float:
    """How far "about" reaches from ``value``: a tenth of it, and at least one for a whole number ("about
    3" is 2-4); a fraction is as precise as it is written ("roughly a minute and a half" is 81-99 seconds,
    as "roughly 90 seconds" is, not 30-150)."""
    share = value * APPROXIMATE_TOLERANCE
    return max(1.0, share) if value == int(value) else share


def _interval(qualifier: Qualifier, low: float, high: float) -> tuple[float, float]:
    if qualifier is Qualifier.APPROXIMATE:
        return max(0.0, low - _tolerance(low)), high + _tolerance(high)
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return low, math.inf
    if qualifier in (Qualifier.UP_TO, Qualifier.AT_MOST, Qualifier.LESS_THAN):
        return 0.0, high
    if qualifier is Qualifier.NEARLY:
        return low * NEARLY_FLOOR, high
    return low, high


def _range_end(text: str, tokens: list[_Token], i: int, floor: int, number: _Number) -> _Number | bool | None:
    """The second number of "300 to 400", "300-400", "two or three", "between 300 and 400";
    False when a dash joins the number to something that is not a count ("8-9 April")."""
    connector, end = tokens[number.end], number.end
    between = i > floor and tokens[i - 1].low == "between"
    if connector.low in ("to", "or") or connector.text in _DASHES or (between and connector.low == "and"):
        second = _number_at(text, tokens, end + 1, range_end=True)
        dashed_digits = connector.text in _DASHES and tokens[end + 1].kind == "d"
        if dashed_digits and (second is None or _dashed_pair_is_not_a_range(tokens, i, end, second)):
            return False
        return second
    return None


def _dashed_pair_is_not_a_range(tokens: list[_Token], i: int, dash: int, second: _Number) -> bool:
    """ "1-0", "a 2-1 win", "555-123-4567", "9-11": digits joined by a dash that are a score, a
    phone number or a date. A range goes up ("300-400"); a score is written winner first."""
    first, last = tokens[i], tokens[dash + 1]
    if not (_touch(first, tokens[dash]) and _touch(tokens[dash], last)):
        return False
    if f"{first.text}-{last.text}" in _DATE_LIKE or second.value <= (_digits_value(first.text) or 0):
        return True
    if (len(first.text), len(last.text)) == PHONE_GROUPS or tokens[second.end].text in _DASHES:
        return True  # "123-4567", "555-123-4567", "2015-04-08"
    return tokens[i - 1].low in _SCORE_WORDS or tokens[second.end].low in _SCORE_WORDS


# "Nobody was hurt", "no one died": nobody at all, when a verb follows at once ("no one aboard the
# ferry was hurt" counts only those aboard, and "nobody knows" no one something happened to).
_NOBODY = frozenset({("nobody",), ("no", "one"), ("no-one",)})
_NOBODY_VERBS = frozenset("was were is are has have had got".split())


def _nobody_at(tokens: list[_Token], i: int) -> int | None:
    """The end of "nobody" or "no one" at ``i`` when a verb follows it, else None."""
    for length in (1, 2):
        if tuple(token.low for token in tokens[i : i + length]) in _NOBODY:
            verb = tokens[i + length]
            return i + length if verb.low in _NOBODY_VERBS or verb.low in _EVENT_WORDS else None
    return None


def _quantity_at(text: str, tokens: list[_Token], i: int, floor: int) -> _Quantity | None:
    nobody = _nobody_at(tokens, i) if tokens[i].low in ("nobody", "no", "no-one") else None
    if nobody is not None:  # a count of people: zero
        return _Quantity(i, nobody, 0.0, 0.0, Qualifier.EXACT, "people", "", needs_noun=False)
    vague = _vague_at(tokens, i) if tokens[i].low in _VAGUE_STARTS else None
    if vague is not None:
        end, low, high, needs_noun = vague
        qualifier, unit, unit_text = Qualifier.VAGUE, "", ""
    else:
        number = _number_at(text, tokens, i)
        if number is None:
            return None
        end, low, high, needs_noun = number.end, number.value, number.value, False
        qualifier, unit, unit_text = Qualifier.EXACT, number.unit, number.unit_text
        second = _range_end(text, tokens, i, floor, number)
        if second is False:
            return None
        if isinstance(second, _Number):
            # "1.2 to 1.5 million": the scale written once applies to both ends.
            shared_scale = number.scale == 1 and second.scale > 1 and low <= second.value / second.scale
            low, high = sorted((low * second.scale if shared_scale else low, second.value))
            end, qualifier = second.end, Qualifier.RANGE
            unit, unit_text = unit or second.unit, unit_text or second.unit_text
    first = i
    if qualifier is Qualifier.RANGE:
        first = i - 1 if i > floor and tokens[i - 1].low in ("between", "from") else i
    elif i > floor and tokens[i - 1].low in _QUALIFIER_ENDS:
        for length in (3, 2, 1):
            found = _QUALIFIER_OF.get(tuple(t.low for t in tokens[i - length : i])) if i - length >= floor else None
            if found is not None:
                first, qualifier = i - length, found
                break
    if qualifier in (Qualifier.EXACT, Qualifier.VAGUE) and tokens[end].low == "or":
        postfix = _POSTFIX_QUALIFIERS.get(tokens[end + 1].low)
        qualifier, end = (postfix, end + 2) if postfix else (qualifier, end)
    low, high = _interval(qualifier, low, high)
    return _Quantity(first, end, low, high, qualifier, unit, unit_text, needs_noun)


# --- What is counted, and the event -----------------------------------------------------


def _clause_ids(text: str, tokens: list[_Token]) -> list[int]:
    """Clause number of each token: a clause ends at ; . ! ? a line break, or a comma before "while", "and"..."""
    ids, current = [], 0
    for k, token in enumerate(tokens):
        if k and "\n" in text[tokens[k - 1].end : token.start]:
            current += 1
        ids.append(current)
        if token.text in _CLAUSE_ENDS or (token.text == "," and tokens[k + 1].low in _CLAUSE_CONJUNCTIONS):
            current += 1
    return ids


def _event_marks(tokens: list[_Token]) -> list[str]:
    """The event concept of every token that is part of an event word or phrase."""
    marks = [""] * len(tokens)
    for k, token in enumerate(tokens):
        if token.low not in _EVENT_STARTS or marks[k]:
            continue
        for length in (3, 2, 1):
            concept = _EVENT_OF.get(tuple(t.low for t in tokens[k : k + length]))
            if concept:
                marks[k : k + length] = [concept] * length
                break
    return marks


def _is_modifier(token: _Token) -> bool:
    return (
        token.low in _MODIFIERS
        or token.low in _EVENT_WORDS  # "41 wounded", "12 dead": the event, not what is counted
        or "-" in token.low  # "Russian-made", "full-time"
        or token.text[:1].isupper()  # a nationality or a name: "two Qareshi nationals"
        or token.low.endswith(("ed", "ing", "ly"))  # "armed", "remaining", "elderly"
        or token.low.endswith("'s")  # whose they are: "four of the baby's siblings"
    )


# Marks that close a quoted number ("\u201cseveral hundred\u201d Chinese nationals"): the noun follows them.
_CLOSING_QUOTES = frozenset("\"\u201d\u2019'")
# A compound's head that names a part of what its modifier names: "crew members" count the crew.
_PARTITIVE_HEADS = frozenset({"member", "members"})


def _counted_noun(tokens: list[_Token], start: int, stop: int, clauses: list[int]) -> int | None:
    """The index of the noun the number counts, if any."""
    after_of, end = False, min(stop, start + NOUN_WINDOW)
    for k in range(start, stop):
        token = tokens[k]
        if k >= end:
            return None
        if token.text in _CLOSING_QUOTES and k == start:
            end = min(stop, end + 1)
            continue
        if token.kind != "w" or clauses[k] != clauses[start - 1]:
            return None
        if token.low == "of" or (after_of and token.low in _DETERMINERS):  # "two of its citizens"
            after_of, end = True, min(stop, end + 1)  # "four of the baby's siblings": the window starts after
            continue
        if token.low in _NOUN_STOPS:
            return None
        after_of = False
        if not _is_modifier(token) and not tokens[k + 1].low.endswith("'s"):  # "the refugee family's children"
            return k
    return None


def _collective_before(tokens: list[_Token], first: int, floor: int) -> tuple[str, str, str] | None:
    """The group a number after "of" gives the size of, when no noun follows it: "a road crew of
    eight" counts a crew (kind "road"), "a family of five" a family (noun_groups.COLLECTIVES, from
    WordNet); not "the age of 57" or "a total of 30", which are no groups. Concept, noun as
    written, and the noun modifying it."""
    if first - 2 < floor or tokens[first - 1].low != "of":
        return None
    noun, before = tokens[first - 2], tokens[first - 3]
    if noun.kind != "w" or noun.low not in COLLECTIVES or noun.text[:1].isupper():
        return None
    modifies = (
        first - 3 >= floor
        and before.kind == "w"
        and _singular(before.low) == before.low
        and before.low not in _NOUN_STOPS
        and not _is_modifier(before)
    )
    return _concept(noun.low), noun.text, before.low if modifies else ""


def _compound(tokens: list[_Token], k: int) -> bool:
    """Whether the noun at ``k`` modifies the next one, which is what is counted: "six construction
    workers" count workers, as "six road workers" do. A singular noun followed by a plural one
    modifies it (after a number the counted noun is plural); but "crew members" are the crew."""
    first, nxt = tokens[k], tokens[k + 1]
    return (
        nxt.kind == "w"
        and _singular(first.low) == first.low
        and _singular(nxt.low) != nxt.low
        and nxt.low not in _NOUN_STOPS
        and nxt.low not in _PARTITIVE_HEADS
        and not _is_modifier(nxt)
    )


def _concept(noun: str) -> str:
    if noun in _CURRENCIES:
        return "money"
    return _COUNTED_OF.get(noun) or _COUNTED_OF.get(_singular(noun)) or _singular(noun)


def _nearest_mark(marks: list[str], clauses: list[int], indexes: Iterable[int], clause: int) -> tuple[int, str]:
    for distance, k in enumerate(indexes, 1):
        if clauses[k] != clause:
            break
        if marks[k]:
            return distance, marks[k]
    return EVENT_BEFORE + EVENT_AFTER, ""


def _event(
    tokens: list[_Token], marks: list[str], clauses: list[int], quantity: _Quantity, floor: int, ceiling: int
) -> str:
    """The nearest event word in the figure's clause, before or after it; a tie goes to the one before.
    Behind an "and" that follows another figure, the event word is that figure's: in "25 dead and
    five more wounded" the five are wounded."""
    first, last = quantity.first, quantity.last
    if floor:
        conjunction = next((k for k in range(first - 1, floor - 1, -1) if tokens[k].low in ("and", "or")), floor - 1)
        floor = conjunction + 1
    before = _nearest_mark(marks, clauses, range(first - 1, max(floor, first - EVENT_BEFORE) - 1, -1), clauses[first])
    after = _nearest_mark(marks, clauses, _past_insertions(tokens, last, ceiling), clauses[last - 1])
    if before[1] or after[1]:
        return before[1] if before[0] <= after[0] else after[1]
    # The subject may be far, past another figure of its own ("the toll in the three provinces rose above 2,000").
    return _subject_event(
        tokens, marks, clauses, range(first - 1, max(-1, first - SUBJECT_BEFORE - 1), -1), clauses[first]
    )


# What opens an insertion of examples between a count and its verb: "70 countries, including the
# US and the UK, have fought".
_INSERTIONS = frozenset("including such among notably mostly mainly especially".split())


def _past_insertions(tokens: list[_Token], start: int, stop: int) -> list[int]:
    """The indexes of the EVENT_AFTER tokens after a figure, leaving out an insertion of examples
    between commas ("about 70 countries, including the US, UK and others, have fought"): the verb
    after it is the figure's, however long the list."""
    found: list[int] = []
    k = start
    while k < stop and len(found) < EVENT_AFTER:
        if tokens[k].text == "," and tokens[k + 1].low in _INSERTIONS:
            # It ends at a comma before a word in lower case: the commas of a list of names come first.
            closing = next(
                (
                    j
                    for j in range(k + 1, min(stop, k + 1 + 2 * EVENT_AFTER))
                    if tokens[j].text in _CLAUSE_ENDS or (tokens[j].text == "," and tokens[j + 1].text.islower())
                ),
                None,
            )
            if closing is not None and tokens[closing].text == ",":
                k = closing + 1
                continue
        found.append(k)
        k += 1
    return found


def _subject_event(tokens: list[_Token], marks: list[str], clauses: list[int], indexes: range, clause: int) -> str:
    """The event of a figure its clause's subject states far before it: "the death toll from Monday's
    earthquakes in Turkey and Syria rose above 21,000", "the number of people killed by the quake
    rose above 11,000" count deaths."""
    event = ""
    for k in indexes:
        if clauses[k] != clause:
            break
        if marks[k] == "killed" and tokens[k].low in ("toll", "tolls"):
            return "killed"
        if tokens[k].low == "number" and tokens[k + 1].low == "of":
            return event
        event = event or marks[k]
    return ""


@memoised
def extract_figures(text: str) -> tuple[Figure, ...]:
    """Every figure of ``text`` that counts something, in order of appearance (memoised)."""
    tokens = _tokenize(text)
    quantities: list[_Quantity] = []
    count, i = len(tokens) - _PAD, 0
    while i < count:
        floor = quantities[-1].last if quantities else 0
        is_candidate = tokens[i].kind == "d" or tokens[i].low.split("-")[0] in _QUANTITY_STARTS
        quantity = _quantity_at(text, tokens, i, floor) if is_candidate else None
        if quantity is None:
            # A number that is no count takes the end of its range with it: "at the age of 13 or 14".
            joined = tokens[i].kind == "d" and (tokens[i + 1].low in ("or", "to") or tokens[i + 1].text in _DASHES)
            # ... but a dateline's day leaves the figure after its dash: "April 30 - 3,700 residents",
            # "December 14 - 12 people" (not "April 8 - 9", a range of days).
            dateline = i > 0 and _is_month(tokens[i - 1]) and tokens[i + 1].text in _DASHES and _no_later_day(tokens, i)
            i += 3 if joined and not dateline and tokens[i + 2].kind == "d" else 1
        else:
            quantities.append(quantity)
            i = quantity.last
    clauses, marks = _clause_ids(text, tokens), _event_marks(tokens)
    countries = _countries_by_offset(text) if quantities else {}
    found: list[Figure] = []
    whole: tuple[str, str] = ("", "")  # what the figure after this one counts
    for index in range(len(quantities) - 1, -1, -1):  # backwards: a part takes its whole's noun
        q = quantities[index]
        floor = quantities[index - 1].last if index else 0
        ceiling = quantities[index + 1].first if index + 1 < len(quantities) else count
        counted, counted_text = q.unit, q.unit_text
        reading = "" if counted else _reading(tokens, q, floor, ceiling)
        noun, kind = None, ""
        if reading:
            counted, counted_text = reading, reading
        elif not counted:
            noun = _counted_noun(tokens, q.last, ceiling, clauses)
            if noun is not None and _compound(tokens, noun):
                kind, noun = _singular(tokens[noun].low), noun + 1
            counted, counted_text = (_concept(tokens[noun].low), tokens[noun].text) if noun is not None else ("", "")
        if not counted and noun is None:
            counted, counted_text, kind = _collective_before(tokens, q.first, floor) or ("", "", kind)
        if not counted and noun is None and _on_board(tokens, q.last):
            counted = "people"  # "all five aboard", "the 12 on board": the people on board
        if not counted and index + 1 < len(quantities) and _part_of(tokens, q.last, ceiling):
            counted, counted_text = whole  # "seven of the 28 girls", "400 of his 50 million followers"
        whole = (counted, counted_text)
        if q.needs_noun and not counted_text:
            continue
        start, end, event = (
            tokens[q.first].start,
            tokens[q.last - 1].end,
            "" if reading else _event(tokens, marks, clauses, q, floor, ceiling),
        )
        if q.high == 0 and event not in INCIDENT_EVENTS:
            continue  # "nobody knows": no one something happened to
        group = _group(tokens, clauses, q, floor, ceiling, countries) | _owner_after(
            tokens, clauses, noun, ceiling, countries
        )
        has_part = index > 0 and _part_of(tokens, quantities[index - 1].last, q.first)
        after = noun + 1 if noun is not None else q.last
        rate = _rate(tokens, clauses, after, min(ceiling, q.last + EVENT_AFTER))
        measured = (
            _measured(tokens, clauses, after, ceiling) or _measured_before(tokens, clauses, q.first, floor)
            if counted in MEASURES
            else ""
        )
        incident = _incident(tokens, marks, clauses, q.last, ceiling) if event else frozenset()
        found.append(
            Figure(
                text[start:end],
                start,
                end,
                q.low,
                q.high,
                q.qualifier,
                counted,
                counted_text,
                event,
                group,
                has_part,
                rate,
                kind,
                measured,
                incident,
            )
        )
    return tuple(reversed(found))


def _on_board(tokens: list[_Token], k: int) -> bool:
    """Whether "aboard" or "on board" follows at ``k``."""
    return tokens[k].low in ("aboard", "onboard") or (tokens[k].low == "on" and tokens[k + 1].low == "board")


def _reading(tokens: list[_Token], q: _Quantity, floor: int, ceiling: int) -> str:
    """The scale a number is read on, when the text names it beside the number: "magnitude 6.4",
    "of magnitude 7.5", "a magnitude of 6.1", "a 7.8-magnitude earthquake", "7.8 in magnitude"."""
    before = tokens[q.first - 1] if q.first > floor else _PADDING
    if before.low == "of" and q.first - 1 > floor:  # "had a magnitude of 6.1": the reading named before "of"
        before = tokens[q.first - 2]
    if before.low in READINGS:
        return before.low
    dashed = tokens[q.last].text in _DASHES and tokens[q.last + 1].low in READINGS
    after = tokens[q.last + 1] if tokens[q.last].low == "in" and q.last + 1 < ceiling else _PADDING
    if dashed or after.low in READINGS:
        return tokens[q.last + 1].low
    return ""


def _measured(tokens: list[_Token], clauses: list[int], start: int, stop: int) -> str:
    """What a measurement is of: the last noun of the phrase after "of" ("96 hours of emergency oxygen",
    "48 hours of oxygen"), "" when the text does not say."""
    if tokens[start].low != "of" or clauses[start] != clauses[start - 1]:
        return ""
    found, before = "", ""
    for k in range(start + 1, min(stop, start + 1 + NOUN_WINDOW)):
        token = tokens[k]
        if token.kind != "w" or token.low in _NOUN_STOPS - _DETERMINERS or clauses[k] != clauses[start]:
            break
        if token.low not in _DETERMINERS:
            found, before = _singular(token.low), found
    return before if found in _STORES and before else found


# Where a measured thing is kept: "the oxygen supply" measures oxygen, as "hours of oxygen" do.
_STORES = frozenset({"supply", "reserve", "stock"})
# "The reserve was estimated at 40 hours": the subject of an estimate is what its figure measures.
_ESTIMATED = frozenset("estimated put reckoned calculated assessed".split())
_AUXILIARIES = frozenset("is are was were be been being has have had would could will may might".split())


def _measured_before(tokens: list[_Token], clauses: list[int], first: int, floor: int) -> str:
    """What a measurement is of when the clause puts it before the figure: "the craft's oxygen supply
    had been estimated at 96 hours" (oxygen), "its fuel reserve was put at 30 days" (fuel)."""
    k = first - 1
    if k - 1 < floor or tokens[k].low != "at" or tokens[k - 1].low not in _ESTIMATED:
        return ""
    k -= 2
    while k >= floor and tokens[k].low in _AUXILIARIES:
        k -= 1
    noun = tokens[k] if k >= floor else _PADDING
    if noun.kind != "w" or noun.low in _NOUN_STOPS or clauses[k] != clauses[first] or noun.low.endswith("'s"):
        return ""
    modifier = tokens[k - 1] if k - 1 >= floor else _PADDING
    if _singular(noun.low) in _STORES and modifier.kind == "w" and modifier.low not in _NOUN_STOPS:
        return "" if modifier.low.endswith("'s") else _singular(modifier.low)
    return _singular(noun.low)


def _rate(tokens: list[_Token], clauses: list[int], start: int, stop: int) -> str:
    """What the figure counts per, if it is a rate: the unit right after it ("$250,000 a seat", "31,000
    vehicles a day") or a period later in its clause ("30,000 vehicles crossed the bridge each day")."""
    for k in range(start, stop):
        token = tokens[k]
        if token.kind != "w" or clauses[k] != clauses[start - 1]:
            break
        if token.low in _RATE_ADVERBS:
            return _RATE_ADVERBS[token.low]
        unit = tokens[k + 1]
        if token.low in _RATE_WORDS and unit.kind == "w" and (k == start or unit.low in MEASURES):
            return _singular(unit.low)
    return ""


# What names an incident after its event: "died in the collapse", "killed by Monday's earthquake".
_INCIDENT_PREPOSITIONS = frozenset("in during by from".split())
_INCIDENT_DETERMINERS = frozenset("the a an this that".split())


def _past_a_place(tokens: list[_Token], k: int, stop: int) -> int:
    """Where the incident may be named after the place the event happened in: after "in Turkey" in
    "died in Turkey in the February 6 earthquakes" (a capitalised name, not "in the ..."), else ``k``."""
    if tokens[k].low != "in" or not tokens[k + 1].text[:1].isupper():
        return k
    j = k + 1
    while j < stop and tokens[j].kind == "w" and tokens[j].text[:1].isupper():
        j += 1
    return j if tokens[j].low in _INCIDENT_PREPOSITIONS else k


def _incident(tokens: list[_Token], marks: list[str], clauses: list[int], start: int, stop: int) -> frozenset[str]:
    """The words of the incident the figure's event is said to have happened in, when the text
    names it right after the event word: "died in the collapse" ({"collapse"}), "killed by
    Monday's earthquake in Turkey" ({"monday", "earthquake"}); empty when it names none ("died
    when the missile struck", "killed in Kharkiv": a place, which the place rules judge)."""
    stop = min(stop, start + EVENT_AFTER)
    k = next((k for k in range(start, stop) if marks[k] and clauses[k] == clauses[start - 1]), stop)
    while k < stop and marks[k]:
        k += 1
    k = _past_a_place(tokens, k, stop)
    article, noun = tokens[k + 1], tokens[k + 2]
    named = article.low in _INCIDENT_DETERMINERS or (article.low.endswith("'s") and noun.kind == "w")
    if k >= stop or tokens[k].low not in _INCIDENT_PREPOSITIONS or not named:
        return frozenset()
    found = {article.low.removesuffix("'s")} if article.low.endswith("'s") else set()
    for j in range(k + 2, min(stop, k + 3 + NOUN_WINDOW)):
        token = tokens[j]
        if token.kind not in ("w", "d") or token.low in _NOUN_STOPS or clauses[j] != clauses[start - 1]:
            break
        found.add(_singular(token.low.removesuffix("'s")))
    return frozenset(found)


_PART_WORDS = _DETERMINERS | {"of", "out", "estimated", "reported", "some"}


def _part_of(tokens: list[_Token], start: int, whole: int) -> bool:
    """ "seven out of 28", "400 of his estimated 50 million": the figure is a part of the next one."""
    between = tokens[start:whole]
    return (
        0 < len(between) <= NOUN_WINDOW
        and between[0].low in ("of", "out")
        and all(t.low in _PART_WORDS for t in between)
    )


# Tokens searched for names on each side of the figure: enough for "Oskaria has sent" before it
# and "soldiers from North Korea" after it, not for the attribution that often ends the sentence.
GROUP_BEFORE, GROUP_AFTER = 3, 4
GROUP_STEM = 4  # "Qaresh" and "Qareshi", "China" and "Chinese" are one group
_PLACE_WORDS = frozenset("in at near inside outside across into within around".split())
_SPEECH_WORDS = frozenset("said says say told tells according estimated estimates believed believes put".split())
# Capitalised for another reason than naming a group: sentence openers, days, months, titles.
_NOT_GROUP_NAMES = frozenset(
    "the a an it its he she they we this that these those there on in at by for from and but as of another "
    "some many most several witnesses officials reports according monday tuesday wednesday thursday friday "
    "saturday sunday january february march april may june july august september october november december "
    "president minister governor spokesman".split()
)


def _group(
    tokens: list[_Token], clauses: list[int], q: _Quantity, floor: int, ceiling: int, countries: dict[int, str]
) -> frozenset[str]:
    """Names within a few words of the figure, not crossing punctuation or its clause."""
    before = range(q.first - 1, max(floor, q.first - GROUP_BEFORE) - 1, -1)
    after = range(q.last, min(ceiling, q.last + GROUP_AFTER))
    return _names(tokens, clauses, before, q.first, countries, before=True) | _names(
        tokens, clauses, after, q.first, countries
    )


# After the counted noun, what says whose the counted things are: "of", and "aboard" / "on board" a craft.
_OWNED_BY = frozenset({"of", "aboard", "onboard", "board"})


def _owner_after(
    tokens: list[_Token], clauses: list[int], noun: int | None, ceiling: int, countries: dict[int, str]
) -> frozenset[str]:
    """The names of whose the counted things are, after their noun: "All 25 crew members of the
    Ever Given", "30 soldiers of the Korvan army", "19 crew members aboard the Keel" (a ship's
    crew and passengers are those on board it), however far from the number the noun ends."""
    if noun is None:
        return frozenset()
    k = noun + 1 + (tokens[noun + 1].low in _PARTITIVE_HEADS)
    if tokens[k].low == "on" and tokens[k + 1].low == "board":
        k += 1
    if tokens[k].low not in _OWNED_BY:
        return frozenset()
    start = k + 1 + (tokens[k + 1].low in _DETERMINERS)
    names = range(start, min(ceiling, start + GROUP_AFTER))
    return _names(tokens, clauses, names, k, countries) if tokens[start].text[:1].isupper() else frozenset()


def _countries_by_offset(text: str) -> dict[int, str]:
    """The country each word of a place name stands for, by the word's offset: "North Korea",
    "Pyongyang" and "North Korean" all name one group (names.py reads them from data packages)."""
    found: dict[int, str] = {}
    for mention in place_mentions(text):
        for word in re.finditer(r"\S+", mention.surface):
            found[mention.start + word.start()] = mention.place
    return found


def _names(
    tokens: list[_Token],
    clauses: list[int],
    indexes: range,
    anchor: int,
    countries: dict[int, str],
    *,
    before: bool = False,
) -> frozenset[str]:
    found = set()
    for k in indexes:
        token = tokens[k]
        # "Sedlak said 300 passengers": the speaker is not whose count it is.
        if token.kind != "w" or clauses[k] != clauses[anchor] or token.low in _SPEECH_WORDS:
            break
        name = token.low.removesuffix("'s")
        where = _located(tokens, k)  # "in Ukraine": where it is, not whose count
        # "documents reviewed by the Review list 56 containers": who did something before the figure
        # is that verb's agent ("sent by Oskaria" after it is whose count it is).
        where = where or (before and _agent(tokens, k))
        if token.text[:1].isupper() and not where and not _common_word(name, opens_sentence=_opens_sentence(tokens, k)):
            found.add(countries.get(token.start) or name[:GROUP_STEM])
    return frozenset(found)


def _agent(tokens: list[_Token], k: int) -> bool:
    """Whether the name at ``k`` follows "by" or "by the": "reviewed by the Review"."""
    return tokens[k - 1].low == "by" or (tokens[k - 1].low in _DETERMINERS and tokens[k - 2].low == "by")


def _located(tokens: list[_Token], k: int) -> bool:
    """Whether the name at ``k`` says where: "in Ukraine", and the second of "in Turkey and Syria"."""
    listed = tokens[k - 1].low in ("and", "or") and tokens[k - 2].text[:1].isupper()
    return tokens[k - 1].low in _PLACE_WORDS or (listed and tokens[k - 3].low in _PLACE_WORDS)


def _opens_sentence(tokens: list[_Token], k: int) -> bool:
    return k == 0 or tokens[k - 1].text in _CLAUSE_ENDS or tokens[k - 1].text in '"\u201c\u2018('


def _common_word(name: str, *, opens_sentence: bool) -> bool:
    """Capitalised for another reason than naming someone: a sentence opener, a day or month,
    a title; at the start of a sentence, also a plural, a word the tables know ("Fighters from about
    70 countries", "Individuals from ...") or a body of people ("Police arrested 242 people": who
    arrested them, not whose they are)."""
    if name in _NOT_GROUP_NAMES or name in STOPWORDS or name.split("-")[0] in _SMALL:
        return True  # "All 22 crew members", "Her father and four siblings": no name
    plural = name.endswith("s") and not name.endswith("ss")
    known = name in _COUNTED_OF or name in _EVENT_WORDS or name in _MODIFIERS or name in COLLECTIVES
    return opens_sentence and (plural or known)


# --- Comparison -------------------------------------------------------------------------


def _events_compatible(a: str, b: str) -> bool:
    return not a or not b or a == b or any(a in group and b in group for group in COMPATIBLE_EVENTS)


def _currency(figure: Figure) -> str:
    if figure.counted_text:
        return _CURRENCIES.get(figure.counted_text.lower(), "")
    return next((_CURRENCIES[char] for char in figure.text if char in _CURRENCIES), "")


def is_measurement(figure: Figure) -> bool:
    """A length, a weight, a duration, a sum of money or a share ("about 50 feet", "48 minutes",
    "$500", "40%"): how much of something, rather than how many of a kind. What it measures is
    seldom written beside it, so two such figures are one fact only when one event ties them."""
    return figure.counted in ("money", "percent") or figure.counted in MEASURES


def same_thing(a: Figure, b: Figure) -> bool:
    """Whether the two figures count the same thing in compatible events, of the same group:
    "11,000 soldiers sent by Oskaria" is not "two men from Qaresh" fighting in the same war."""
    if a.group and b.group and not a.group & b.group:
        return False
    if not (a.counted and b.counted) and (is_measurement(a) or is_measurement(b)):
        return False  # "dies at 57" is no count of "35 years"
    if {a.counted, b.counted} & {"percent", "money"}:
        one_currency = len({_currency(a), _currency(b)} - {""}) <= 1  # "$4,500" is not "€4,500"
        return a.counted == b.counted and one_currency and _events_compatible(a.event, b.event)
    if a.counted and b.counted:
        if a.counted == b.counted:
            return _events_compatible(a.event, b.event)
        # "two Qareshi nationals", "two men from Qaresh", "two fighters": one group of people,
        # when both say the same thing happened to them in one incident (not "serving", which
        # is how the size of a whole force is given).
        return {a.counted, b.counted} <= PERSONS and a.event in INCIDENT_EVENTS and a.event == b.event
    # What is counted is unknown on one side ("41 were wounded"): only the very same event ties them.
    return bool(a.event) and a.event == b.event


def _events_match(a: Figure, b: Figure) -> bool:
    """What a conflict needs of the events: both known and compatible, or both unknown for a
    count of things ("11,000 soldiers", "about 500 passengers"). A count with no event beside
    one with an event may be another count altogether ("at least 155 citizens in Korvan units"
    beside "two citizens captured"); two measurements with no event are measurements of two
    things as often as not ("about 50 feet" long, "can measure 12 feet" across)."""
    if a.event and b.event:
        # "Six died in the collapse" is no count of "1,500 died in the Titan submersible disaster".
        other_incident = a.incident and b.incident and not a.incident & b.incident
        return _events_compatible(a.event, b.event) and not other_incident
    if is_measurement(a) and a.measured and a.measured == b.measured:
        return True  # one thing measured ties them: "48 hours of oxygen", "70 to 96 hours of emergency oxygen"
    return not a.event and not b.event and not is_measurement(a)


_STRICT_BOUNDS = frozenset({Qualifier.MORE_THAN, Qualifier.LESS_THAN})


def _overlap(a: Figure, b: Figure) -> bool:
    low, high = max(a.low, b.low), min(a.high, b.high)
    if not math.isclose(low, high):
        return low < high
    # The intervals touch at one point. "More than 48 minutes" and "48 minutes" are one report
    # (the bound is the number the reporter had, the headline drops the "more than"); only two
    # strict bounds cannot share it: "more than 30" and "fewer than 30".
    return not {a.qualifier, b.qualifier} <= _STRICT_BOUNDS


def _may_be_one_group_of_people(a: Figure, b: Figure) -> bool:
    """ "A few hundred fighters who are Chinese nationals" and "a few hundred Chinese nationals ...
    to fight": the same people, counted once as fighters and once as nationals, in compatible events.
    Enough to agree when the numbers do, both bounded ("at least 155 citizens" is no count of the
    11,000 soldiers it is smaller than); never enough to conflict, since "11,000 soldiers sent" and
    "155 citizens serving" are two different head counts (same_thing)."""
    return (
        a.counted != b.counted
        and math.isfinite(a.high)
        and math.isfinite(b.high)
        and {a.counted, b.counted} <= PERSONS
        and not (a.group and b.group and not a.group & b.group)
        and _events_compatible(a.event, b.event)
    )


def _one_kind(a: Figure, b: Figure) -> bool:
    """ "Dozens of industry figures" and "dozens of industry leaders": nouns of one kind, the same
    group, in compatible events. Enough to agree when the numbers do, never to conflict."""
    return (
        bool(a.kind)
        and a.kind == b.kind
        and not (a.group and b.group and not a.group & b.group)
        and _events_compatible(a.event, b.event)
    )


def _nouns_of_one_kind(a: Figure, b: Figure) -> bool:
    """ "321 ships" and "321 vessels": nouns that name one kind of thing (a noun and a word of its
    most frequent sense or of that sense's hypernyms: noun_groups.ONE_KIND, from WordNet), of the
    same group, in compatible events. Enough to agree when the numbers do, never to conflict: a
    count of vessels may take in more than the ships."""
    first, second = _singular(a.counted_text.lower()), _singular(b.counted_text.lower())
    return (
        bool(first and second)
        and first != second
        and (second in ONE_KIND.get(first, ()) or first in ONE_KIND.get(second, ()))
        and not (a.group and b.group and not a.group & b.group)
        and _events_compatible(a.event, b.event)
    )


def compare_figures(a: Figure, b: Figure) -> Relation:
    """UNRELATED unless they count the same thing; then CONFLICT when both cannot hold, else AGREE.
    A conflict is the stronger statement, so it also needs both events to match (_events_match),
    both figures to be totals or rates of one thing ("750,000 vehicles last year" says nothing
    against "30,000 vehicles a day", while "$250,000" may well be what "$250,000 a seat" costs)
    and nouns of one kind ("two road workers" are no count of "110,000 rescue workers")."""
    b = in_units_of(a, b)
    if (not a.high or not b.high) and (is_nobody(a) or is_nobody(b)):  # the first test is the cheap one
        return _compare_with_nobody(a, b)
    if not same_thing(a, b):
        one_group = _may_be_one_group_of_people(a, b) or _one_kind(a, b) or _nouns_of_one_kind(a, b)
        return Relation.AGREE if one_group and _overlap(a, b) else Relation.UNRELATED
    if a.rate != b.rate:
        one_rate_unsaid = not (a.rate and b.rate)
        return Relation.AGREE if one_rate_unsaid and _overlap(a, b) else Relation.UNRELATED
    if _overlap(a, b):
        return Relation.AGREE
    if a.has_part or b.has_part or (a.kind and b.kind and a.kind != b.kind):
        return Relation.UNRELATED
    return Relation.CONFLICT if _events_match(a, b) else Relation.UNRELATED


def is_nobody(figure: Figure) -> bool:
    """ "Nobody was hurt", "no one died": a count of zero people, something having happened to them."""
    return figure.high == 0 and figure.counted == "people" and bool(figure.event)


def counts_people(figure: Figure) -> bool:
    """Whether the figure counts people: "people", "soldiers", "road workers" (a noun whose most
    frequent sense is a person in WordNet: noun_groups.KINDS_OF_PERSON), or a toll ("the toll rose
    above 900") whose noun is left unsaid."""
    noun = figure.counted_text.lower()
    return (
        figure.counted in PERSONS
        or noun in KINDS_OF_PERSON
        or _singular(noun) in KINDS_OF_PERSON
        or (not figure.counted and figure.event in ("killed", "wounded"))
    )


def _takes_in(event: str, other: str) -> bool:
    """Whether what happened to nobody (``event``) happened to those ``other`` counts: the dead were hurt."""
    return event == other or (event == "wounded" and other == "killed")


def _compare_with_nobody(a: Figure, b: Figure) -> Relation:
    """ "Nobody was hurt" against a count of people: it conflicts with people killed or hurt in the
    same incident (of the same group), and agrees with another "no one was hurt"; a bound that
    allows none ("up to 20 may be hurt") or a count of another event says nothing of it."""
    zero, other = (a, b) if is_nobody(a) else (b, a)
    if not counts_people(other) or not _takes_in(zero.event, other.event) or other.rate:
        return Relation.UNRELATED
    if (a.group and b.group and not a.group & b.group) or (a.incident and b.incident and not a.incident & b.incident):
        return Relation.UNRELATED
    if is_nobody(other):
        return Relation.AGREE
    return Relation.CONFLICT if other.low > 0 else Relation.UNRELATED


# Periods of time in seconds: "48 hours" is "two days", "90 seconds" a minute and a half.
_SECONDS_IN = {"second": 1, "minute": 60, "hour": 3_600, "day": 86_400, "week": 604_800}


def in_units_of(a: Figure, b: Figure) -> Figure:
    """``b`` told in ``a``'s unit of time, when both measure periods in different units; else ``b``."""
    if a.counted == b.counted or a.counted not in _SECONDS_IN or b.counted not in _SECONDS_IN:
        return b
    factor = _SECONDS_IN[b.counted] / _SECONDS_IN[a.counted]
    return replace(b, low=b.low * factor, high=b.high * factor, counted=a.counted, counted_text=a.counted_text)


# --- Spellings, for retrieval -------------------------------------------------------------

_WORDS_OF = {n: w for w, n in _SMALL.items()} | {
    13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen",
    19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
    80: "eighty", 90: "ninety", 100: "hundred",
}  # fmt: skip
MAX_SPELLINGS = 6


_WRITTEN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def spellings(figures: Iterable[Figure]) -> list[str]:
    """The ways a text may write these figures ("12", "twelve", "11,000"), so an index can find
    the passages that give the same numbers in other words: the number each figure states first
    ("around 11,000" states 11,000, whose bounds are 9,900 and 12,100: a passage repeating it
    writes 11,000), then its bounds ("at least 155", "between 40 and 50")."""
    found: list[str] = []
    for values in ([stated(figure) for figure in figures], [b for f in figures for b in (f.low, f.high)]):
        for bound in values:
            if bound is None or not math.isfinite(bound) or bound != int(bound) or bound < 2:
                continue
            value = int(bound)
            for spelling in (f"{value:,}", _WORDS_OF.get(value, "")):
                if spelling and spelling not in found:
                    found.append(spelling)
    return found[:MAX_SPELLINGS]


def stated(figure: Figure) -> float | None:
    """The number a figure is written with: its digits ("approximately 15,000"), else its value
    when it is exact ("twelve"); None for one in words that only bounds it ("a few hundred")."""
    written = _WRITTEN_NUMBER.search(figure.text)
    value = float(written.group().replace(",", "")) if written else None
    if value is not None and figure.low <= value <= figure.high:  # not the 5 of "5 million"
        return value
    return figure.low if figure.low == figure.high else None
