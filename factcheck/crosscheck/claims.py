"""Check-worthiness features, claimant and claim date of a passage. Pure: no Django import.

The features are what a fact-checker would name (a figure, named actors, an
attribution, a quotation, a comparison) and what makes a sentence uncheckable (a
question, an opinion) or not prose at all (a byline, an image credit, a link, a
heading). They are the reasons a reviewer sees; the learned model in
``worthiness.py`` weighs them, with the passage's words, into the score.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.crosscheck.names import INSTITUTIONS, TITLES_OF_OFFICE, leading_nationality
from factcheck.crosscheck.noun_groups import COLLECTIVES, KINDS_OF_PERSON

# --- Features -------------------------------------------------------------------------

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|"
    "thousand|thousands|million|millions|billion|billions|dozen|dozens|several|twice|half"
)
_FIGURE = re.compile(rf"\b(?:\d[\d,.]*\b(?!\s*(?:a\.m|p\.m|am\b|pm\b))|(?:{_NUMBER_WORDS})\b)", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAY_OF_MONTH = re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b", re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Capitalised in any sentence, never a name: the months in full and the days of the week.
CALENDAR_WORDS = frozenset(_MONTHS.split("|")[:12]) | frozenset(WEEKDAYS)

_ATTRIBUTION_VERBS = (
    "said|says|say|told|tells|claims?|claimed|stated|states|announced|announces|noted|notes|wrote|writes|"
    "added|adds|insisted|insists|denied|denies|deny|confirmed|confirms|argued|argues|warned|warns|estimated|"
    "estimates|accused|accuses|alleged|alleges|reported|reports|posted|revealed|acknowledged|admitted|"
    "described|rejected|rejects|disputed|disputes|maintained|maintains|suggested|believes|believed"
)
_ATTRIBUTION = re.compile(rf"\b(?:{_ATTRIBUTION_VERBS})\b|\baccording to\b", re.IGNORECASE)
_QUOTATION = re.compile(r"[\u201c\"]([^\u201d\"]{12,})[\u201d\"]")
_COMPARISON = re.compile(
    r"\b(?:more|fewer|less|greater|higher|lower|larger|smaller)\s+than\b|\bat\s+(?:least|most)\b|"
    r"\b(?:largest|biggest|highest|lowest|most|least|first|second|only|record|twice|double|triple|"
    r"increase[sd]?|decrease[sd]?|rose|risen|fell|fallen|doubled|tripled|exceeds?|exceeded|up to|nearly|almost)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)]*$")
_OPINION = re.compile(
    r"\b(?:I|we)\s+(?:think|believe|feel|hope)\b|\bin (?:my|our) (?:view|opinion)\b|\b(?:should|ought to|"
    r"arguably|perhaps|probably|seems?|appears? to|likely|unlikely|may well|might|it is unclear|remains to be seen|"
    r"one thing is (?:for )?certain)\b",
    re.IGNORECASE,
)
# Reports of silence or of what was left unsaid: true, but there is nothing in them to check.
_NON_STATEMENT = re.compile(
    r"\b(?:did|does|had|has|have|could) not (?:immediately )?(?:say|respond|reply|answer|comment|mention|address|"
    r"return|confirm whether|specify|explain|give details)|\bnot (?:yet )?commented\b|\bno (?:immediate )?comment\b|"
    r"\bdeclined to (?:comment|say|respond)\b|\bwas expected to\b|\bcould not (?:be reached|verify|independently)",
    re.IGNORECASE,
)
# A reported event: a past-tense verb after the first word ("Lestovia appointed", "the missile hit").
_EVENT_VERB = re.compile(
    r"(?<!^)\b(?:[a-z]{3,}ed|hit|struck|took|sent|fought|began|won|lost|held|left|met|paid|made|gave|told|fell|rose)\b"
)
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$|about the author\b)|"
    r"\b(?:is|was) (?:a|an|the) [\w\s,'-]{0,60}(?:correspondent|journalist|reporter|editor|columnist|writer)\b|"
    r"\bhas (?:written|reported) (?:about|on)\b",
    re.IGNORECASE,
)
_IMAGE_CREDIT = re.compile(
    r"^(?:image|photo|picture|photograph|video|credit|source|caption)s?\s*:|\bgetty images\b|\bhandout\b",
    re.IGNORECASE,
)
_REPORTING_CREDIT = re.compile(r"^\(?(?:reporting|additional reporting|writing|editing) by\b", re.IGNORECASE)
_LINK = re.compile(r"https?://\S+|\bwww\.\S+|\bpic\.twitter\.com/\S+|(?<!\w)@\w{2,}")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_CAPITALISED = re.compile(r"[A-Z][\w'\u2019-]*")

# Words that are capitalised for reasons other than naming someone.
_NOT_NAMES = frozenset(
    (
        "I A An The This That These Those It Its He She They We You His Her Their Our But And Or If When "
        "While After Before As In On At By For From With Without Of To Into Over Under About Some Many "
        "Most All No Not There Here What Which Who Whom Whose Why How Yet Also Still Both Either Neither "
        "Each Every One"
    ).split()
    + [w.capitalize() for w in WEEKDAYS]
    + [m.capitalize() for m in _MONTHS.split("|")]
)


def not_prose_reason(text: str) -> str | None:
    """Why a passage is not prose at all (a byline, a credit, a bare link), else None."""
    if _BYLINE.search(text):
        return "byline"
    if _IMAGE_CREDIT.search(text):
        return "image_credit"
    if _REPORTING_CREDIT.search(text):
        return "reporting_credit"
    without_links = _LINK.sub("", text)
    if len(_WORD.findall(without_links)) < 3 and _LINK.search(text):
        return "link"
    return None


def rule_features(text: str) -> list[tuple[str, bool]]:
    """Each rule feature of a passage (stripped) and whether it fired, always in the same order."""
    words = _WORD.findall(text)
    names = named_entities(text)
    return [
        ("figure", bool(figures(text))),
        ("named_entities", len(names) >= 2),
        ("named_entity", len(names) == 1),
        ("attribution", bool(_ATTRIBUTION.search(text))),
        ("quotation", has_quotation(text)),
        ("comparison", bool(_COMPARISON.search(text))),
        ("event", bool(_EVENT_VERB.search(text))),
        ("non_statement", bool(_NON_STATEMENT.search(text))),
        ("question", bool(_QUESTION.search(text))),
        ("opinion", bool(_OPINION.search(text))),
        ("heading", _looks_like_heading(text, words)),
        ("too_short", len(words) < 5),
        ("link", bool(_LINK.search(text))),
    ]


def same_speaker(a: str, b: str) -> bool:
    """Unknown speakers are no evidence of a difference; "Malesh" is "Teodor Malesh"."""
    if not a or not b:
        return True
    # A role after the name ("Acme Shipping, operator") is not part of it.
    words_a, words_b = a.partition(", ")[0].lower().split(), b.partition(", ")[0].lower().split()
    return words_a == words_b or words_a[-1] == words_b[-1]


def has_quotation(text: str) -> bool:
    return bool(_QUOTATION.search(text))


def figures(text: str) -> list[str]:
    """Numbers that may count something: not years, times, ordinals or days of the month."""
    masked = _DAY_OF_MONTH.sub(" ", _TIME.sub(" ", text))
    found = []
    for match in _FIGURE.finditer(masked):
        token = match.group().rstrip(".,")
        if _YEAR.match(token) or _ORDINAL.match(token):
            continue
        found.append(token)
    return found


def named_entities(text: str) -> list[str]:
    """Runs of capitalised words that are not just the first word of the sentence."""
    entities: list[str] = []
    current: list[str] = []
    for index, word in enumerate(_WORD.findall(text)):
        is_name = bool(_CAPITALISED.fullmatch(word)) and word not in _NOT_NAMES and not (index == 0 and word.isalpha())
        if is_name:
            current.append(word)
        elif current:
            entities.append(" ".join(current))
            current = []
    if current:
        entities.append(" ".join(current))
    return entities


def _looks_like_heading(text: str, words: list[str]) -> bool:
    """A title or label: no sentence punctuation and (short, or nearly every word capitalised)."""
    if not words or text[-1] in ".!?\u201d\"'\u2019:":
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) <= 4 or capitalised / len(words) >= 0.7


# --- Claimant -------------------------------------------------------------------------

_SPEECH_VERBS = (
    "said|says|told|claims|claimed|stated|announced|noted|wrote|added|insisted|denied|denies|confirmed|"
    "argued|warned|estimated|accused|alleged|posted|revealed|acknowledged|admitted|maintains|maintained|"
    "rejected|disputed|suggested|observed|declared|urged|asked|called|"
    # Statements by their kind: "Erdogan promised to rebuild ...", "Cameron compared the disaster with ..."
    "promised|pledged|vowed|likened|compared|described|praised|criticised|criticized|condemned|predicted|"
    "conceded|threatened|blamed"
)
# Bounded repetitions: a page of capitalised words must not make matching quadratic.
_NAME = r"[A-Z][\w'\u2019.-]{0,40}(?:\s+(?:[A-Z][\w'\u2019.-]{0,40}|of|de|al|bin|von|van)){0,5}"
_ORGANISATION_HEADS = (
    "ministry|government|military|army|police|agency|office|spokesman|spokeswoman|spokesperson|embassy|company|"
    "council|service|command|operator|authority|regulator"
)
_ORGANISATION_PHRASE = rf"(?:[A-Z][\w'\u2019-]*\s+)?(?:[a-z]+\s+){{0,2}}(?:{_ORGANISATION_HEADS})"
_ACCORDING_TO_ORGANISATION = re.compile(rf"\b(?i:according to)\s+(?:the\s+)?({_ORGANISATION_PHRASE})\b")
_ACCORDING_TO = re.compile(rf"\b(?i:according to)\s+(?:the\s+)?({_NAME})")
_NAME_THEN_VERB = re.compile(
    rf"({_NAME})(?:,([^,]{{1,80}}),)?\s+(?:has\s+|had\s+|also\s+|further\s+)?(?:{_SPEECH_VERBS})\b"
)
# "said OceanGate co-founder Guillermo Sohnlein", "said former Acme director Jane Doe": the person
# named after an organisation and a role in lower case, not the organisation.
_FUNCTION_WORDS = "on|in|at|of|to|for|by|with|from|that|and|or|but|as|after|before|when|while|the|a|an|it|its|is|was"
_ROLE_OF = rf"(?:(?:{_NAME})\s+(?:(?!(?:{_FUNCTION_WORDS})\b)[a-z][\w-]{{0,30}}\s+){{1,3}}(?=[A-Z]))"
_VERB_THEN_NAME = re.compile(
    rf"[,\u201d\"]\s*(?:{_SPEECH_VERBS})\s+(?:the\s+)?(?:(?:former|then)\s+)?{_ROLE_OF}?({_NAME})"
)
# Between a speaker named by role or as an organisation and the verb: "has said", "initially blamed".
_BEFORE_VERB = r"(?:has\s+|had\s+|also\s+|[a-z]{2,}ly\s+)?"
# A speaker named by role or as an organisation, not by name: "the ship's technical manager has
# said", "the operator said", "its owner told". "A spokesman for the port authority said" is the
# authority speaking; "a resident said" names no one another outlet could be repeating.
_DETERMINER = r"(?i:the|its|their|his|her|a|an)"
_POSSESSOR = r"(?:(?i:the)\s+)?[a-z][\w-]*['\u2019]s"
_ROLE_WORDS = r"(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*"
_ROLE_THEN_VERB = re.compile(
    rf"(?<![\w'\u2019-])(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS})"
    rf"(?:\s+for\s+(?:the\s+)?(?P<org>{_NAME}|{_ROLE_WORDS}))?"
    rf"\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)
# "Its technical manager, Bernhard Schulte Shipmanagement, said": the name in apposition to a role.
_ROLE_THEN_NAME = re.compile(
    rf"(?<![\w'\u2019-])(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS}),\s+(?P<name>{_NAME}),"
    rf"\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)
_INDEFINITE = frozenset(("a", "an"))
# "The company said" after the company spoke: a business has no other name in the text. (A
# ministry, an army, a police force belong to a country the article may not have named last.)
_BUSINESSES = frozenset(("company", "firm", "operator", "corporation", "carrier", "airline"))
_ORGANISATION_NOUNS = COLLECTIVES | frozenset(_ORGANISATION_HEADS.split("|"))
_ROLE_HEADS = KINDS_OF_PERSON | _ORGANISATION_NOUNS
# Whose it is comes with it: "the barge's operator said" (not "s operator").
_ORGANISATION = re.compile(
    rf"(?<![\w'\u2019])(?:the\s+)?((?:{_POSSESSOR}\s+)?{_ORGANISATION_PHRASE})\s+{_BEFORE_VERB}(?:{_SPEECH_VERBS})\b"
)
_PRONOUN_OR_ROLE = re.compile(
    rf"\b(?:he|she|they|the (?:president|minister|governor|spokesman|spokeswoman|official|leader|general))\s+"
    rf"(?:also\s+)?(?:{_SPEECH_VERBS})\b",
    re.IGNORECASE,
)
# A capitalised adjective of nationality that the data does not know (a new state, an invented
# one): "-ian", "-an", "-i", "-ese", "-ish" ("Lestovian", "Qareshi"). Taken as one before a title of
# office ("Lestovian President Teodor Malesh") or at the head of an institution's name ("Lestovian
# Railways", as a known nationality is): before a name it is a given name (Brian Adams, Ali Khamenei).
_NATIONALITY_LIKE = re.compile(r"[A-Z][a-z]+(?:ian|an|i|ese|ish)")
# "Secretary of State Marco Rubio", "Minister of Defence": "of" and the next word belong to the title.
_TITLE_OF = "of"
_NAME_PARTICLES = {"of", "de", "al", "bin", "von", "van"}


@dataclass(frozen=True)
class Attribution:
    claimant: str
    # True when the text names no one ("he said", "the president said"): the
    # speaker is whoever the article named last.
    refers_back: bool = False
    # The role the text gives the claimant ("technical manager" in "Its technical manager, Bernhard
    # Schulte Shipmanagement, said"), or, when ``unnamed``, the claimant is only that role or
    # organisation noun ("the ship's technical manager said", "the company said").
    role: str = ""
    unnamed: bool = False


def find_claimant(text: str) -> Attribution:
    """Who the passage attributes its statement to, if anyone."""
    organisation = _ACCORDING_TO_ORGANISATION.search(text)
    if organisation:
        return _organisation(organisation.group(1))
    for match in _ROLE_THEN_NAME.finditer(text):
        name = clean_name(match.group("name"))
        if name and _is_role(match.group("role")):
            return Attribution(name, role=_role_phrase(match.group("det"), match.group("role")))
    for pattern in (_ACCORDING_TO, _VERB_THEN_NAME, _NAME_THEN_VERB):
        for match in pattern.finditer(text):
            name = clean_name(match.group(1))
            if name:
                apposition = match.group(2) if pattern is _NAME_THEN_VERB else None
                return Attribution(name, role=_apposed_role(apposition))
    organisation = _ORGANISATION.search(text)
    if organisation:
        return _organisation(organisation.group(1))
    if _PRONOUN_OR_ROLE.search(text):
        return Attribution("", refers_back=True)
    return _role_speaker(text)


def _organisation(phrase: str) -> Attribution:
    """An organisation as named ("Russian defence ministry"), or only by its noun ("The company"
    -> "company", for the article to say which)."""
    words = phrase.split()
    if words[0] in _NOT_NAMES:
        words = words[1:]
    if any(word[0].isupper() for word in words):
        return Attribution(phrase.strip())
    return Attribution(" ".join(words), unnamed=True)


def _one_role(match: re.Match[str]) -> bool:
    """A role that names one person or body: not several ("the workers said") nor one of them
    ("one of the captured men told")."""
    head = match.group("role").rsplit(None, 1)[-1].lower()
    plural = head.endswith("men") or (head.endswith("s") and not head.endswith("ss"))
    return _is_role(head) and not plural and not match.string[: match.start()].rstrip().endswith(" of")


def _is_role(words: str) -> bool:
    """Whether lower-case words name a role or an organisation: their last word is a kind of
    person or of group (WordNet) or an organisation's head noun ("technical manager", "operator")."""
    return words.rsplit(None, 1)[-1].lower() in _ROLE_HEADS


def _apposed_role(apposition: str | None) -> str:
    """ "the ship's technical manager" in "Bernhard Schulte, the ship's technical manager, said", as
    a role ("ship's technical manager"); "" when the apposition is not one."""
    found = re.fullmatch(rf"\s*(?P<det>{_DETERMINER}|{_POSSESSOR})\s+(?P<role>{_ROLE_WORDS})\s*", apposition or "")
    if not found or found.group("det").lower() in _INDEFINITE or not _is_role(found.group("role")):
        return ""
    return _role_phrase(found.group("det"), found.group("role"))


def _role_phrase(determiner: str, role: str) -> str:
    """The role as the speaker's name: with whose role it is when a noun says so ("ship's technical
    manager"), without the article or pronoun ("the operator" -> "operator")."""
    owner = determiner.split()[-1]
    return f"{owner} {role}" if owner.lower().endswith(("'s", "\u2019s")) else role


def _role_speaker(text: str) -> Attribution:
    """A speaker named by role or organisation noun only: "the ship's technical manager has said"
    (the role), "a spokesman for the port authority said" (the authority); "a witness said" is no
    one in particular."""
    for match in _ROLE_THEN_VERB.finditer(text):
        if not _one_role(match):
            continue
        organisation = match.group("org")
        if organisation:
            if organisation[0].isupper():
                return Attribution(clean_name(organisation))
            if _is_role(organisation):
                return Attribution(organisation, unnamed=True)
            continue
        if match.group("det").lower() in _INDEFINITE:
            continue
        return Attribution(_role_phrase(match.group("det"), match.group("role")), unnamed=True)
    return Attribution("")


def role_key(role: str) -> tuple[str, str]:
    """(whose, what) of a role, for comparing: "ship's technical manager" -> ("ship", "technical
    manager"); "technical manager" -> ("", "technical manager")."""
    words = role.lower().replace("\u2019", "'").split()
    owner = ""
    if words and words[0].endswith("'s"):
        owner, words = words[0][:-2], words[1:]
    return owner, " ".join(words)


def speaker_parts(speaker: str) -> tuple[str, str]:
    """A speaker as the resolution writes it, as (name, role): "Bernhard Schulte Shipmanagement,
    technical manager" -> both; "ship's technical manager" (no one named) -> ("", the role);
    "Teodor Malesh" -> (the name, "")."""
    name, _, role = speaker.partition(", ")
    if not role and not any(word[:1].isupper() for word in name.split() if word not in _NOT_NAMES):
        return "", name
    return name, role


def clean_name(raw: str) -> str:
    words = raw.replace("\u2019", "'").split()
    # "Lestovia's President Teodor Malesh" -> "Teodor Malesh"
    for index, word in enumerate(words):
        if word.endswith("'s"):
            words = words[index + 1 :]
            break
    words = _without_office(words)
    while words and words[-1] in _NAME_PARTICLES:
        words = words[:-1]
    return " ".join(words).strip(" .,")


def _without_office(words: list[str]) -> list[str]:
    """The name without the nationality and titles before it: "French Foreign Minister Jean Barrot"
    -> "Jean Barrot". Nationalities and countries come from names.py's data; a lone one is kept
    ("Russia said")."""
    after_title = False
    while words:
        if words[0] in TITLES_OF_OFFICE or words[0] in _NOT_NAMES:
            after_title = words[0] in TITLES_OF_OFFICE
            words = words[1:]
        elif after_title and words[0] == _TITLE_OF and len(words) > 2:
            words = words[2:]
        elif 0 < (nationality := leading_nationality(words)) < len(words):
            words = words[nationality:]
        elif len(words) > 1 and _NATIONALITY_LIKE.fullmatch(words[0]) and _office_or_institution(words[1:]):
            words = words[1:]
        else:
            break
    return words


def _office_or_institution(words: list[str]) -> bool:
    """A title of office leads the words ("President Teodor Malesh") or an institution ends them
    ("Railways", "Cultural Association")."""
    return words[0] in TITLES_OF_OFFICE or words[-1] in INSTITUTIONS


class SpeakerTracker:
    """Resolves who speaks in each passage of one article: "he said" is whoever the
    article named last, and "Malesh" is the "Teodor Malesh" it named before. A speaker named by
    role or as an organisation ("the technical manager said", "the company said") is the one the
    article named in that role, or the organisation it named, when it did."""

    def __init__(self) -> None:
        self.last_claimant = ""
        self.full_names: list[str] = []
        # The role each name was given ("Its technical manager, Bernhard Schulte Shipmanagement,
        # said"), and the name given each role.
        self.role_of: dict[str, str] = {}
        self.named_as: dict[tuple[str, str], str] = {}

    def claimant_of(self, text: str) -> str:
        attribution = find_claimant(text)
        claimant = self._full_name(attribution.claimant) if attribution.claimant else ""
        if attribution.refers_back:
            claimant = self.last_claimant
        elif attribution.unnamed:
            claimant = self._named(attribution.claimant)
        elif claimant and attribution.role:
            self.role_of[claimant] = attribution.role
            self.named_as[role_key(attribution.role)] = claimant
        for entity in named_entities(text):
            name = clean_name(entity)
            if len(name.split()) >= 2 and name not in self.full_names:
                self.full_names.append(name)
        if claimant:
            self.last_claimant = claimant
        elif subject := _opening_person(text):
            # "Governor Wes Moore repeated his praise. 'They saved lives,' he said.": the person a
            # sentence is about is whom the next "he said" means.
            self.last_claimant = self._full_name(subject)
        name, _ = speaker_parts(claimant)
        return f"{name}, {self.role_of[name]}" if name in self.role_of else claimant

    def _named(self, role: str) -> str:
        """Who a role or organisation noun stands for: the name given that role ("technical
        manager"); the organisation named with its words ("the canal authority": "Suez Canal
        Authority"); for "the company", "the operator", the one who spoke last. Else the role."""
        owner, what = role_key(role)
        for (known_owner, known_what), name in self.named_as.items():
            if known_what == what and (not owner or not known_owner or owner == known_owner):
                return name
        words = what.split()
        for full in reversed(self.full_names):
            if set(words) <= set(full.lower().split()):
                return full
        if len(words) == 1 and not owner and what in _BUSINESSES:
            return self.last_claimant or role
        return role

    def _full_name(self, name: str) -> str:
        if " " in name:
            return name
        for full in reversed(self.full_names):
            if full.split()[-1] == name:
                return full
        return name


# A sentence opening on a name and its verb: "Governor Wes Moore repeated ...".
_OPENING_NAME = re.compile(rf"^\W*({_NAME})\s+[a-z]")


def _opening_person(text: str) -> str:
    """The person a sentence opens on, named in full (two words or more, titles aside), if any; not
    a heading's capitalised words ("Russia Has Recruited Foreign Soldiers for Years")."""
    if not text.rstrip().endswith((".", "!", "?", '"', "\u201d")):
        return ""
    found = _OPENING_NAME.match(text)
    name = clean_name(found.group(1)) if found else ""
    return name if len(name.split()) >= 2 else ""


def resolve_speakers(texts: Iterable[str]) -> list[str]:
    """The speaker of each passage of one article, in order ("" where nobody is quoted or named)."""
    tracker = SpeakerTracker()
    return [tracker.claimant_of(text) for text in texts]


# --- Claim date -----------------------------------------------------------------------

_ON_WEEKDAY = re.compile(rf"\bon\s+({'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})\b", re.IGNORECASE)
_MONTH_NUMBERS = {name: index for index, name in enumerate(_MONTHS.split("|")[:12], start=1)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip


def month_days(text: str) -> frozenset[tuple[int, int]]:
    """The days of the year ``text`` names ("April 8", "Feb. 6"), as (month, day): none that no
    year has ("April 31")."""
    named = ((_MONTH_NUMBERS[found.group(1).lower()], int(found.group(2))) for found in _MONTH_DAY.finditer(text))
    return frozenset((month, day) for month, day in named if 1 <= day <= calendar.monthrange(2000, month)[1])


def claim_date(text: str, published: dt.date | None) -> dt.date | None:
    """When the claim was made: a date the text gives ("on Tuesday", "April 8"), else the publication date."""
    if published is None:
        return None
    month_day = _MONTH_DAY.search(text)
    if month_day:
        month = _MONTH_NUMBERS[month_day.group(1).lower()]
        try:
            stated = dt.date(published.year, month, int(month_day.group(2)))
        except ValueError:
            stated = None
        if stated is not None:
            return stated if stated <= published else stated.replace(year=published.year - 1)
    weekday = _ON_WEEKDAY.search(text)
    if weekday:
        days_back = (published.weekday() - WEEKDAYS.index(weekday.group(1).lower())) % 7
        return published - dt.timedelta(days=days_back)
    return published
