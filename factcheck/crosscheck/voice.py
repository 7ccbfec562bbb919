"""In whose voice a passage says something: its own, a named source's, or nobody's. Pure: no Django import.

A fact-checker reads "the ministry said 40 people died" as evidence on the ministry's
authority, "40 people reportedly died" as a rumour repeated, and "reports that 40 died
are false" as a refutation. This module finds the cues behind those readings, each
with its span, so the stance rules can explain themselves:

- ``hedge``: the passage repeats a statement without vouching for it or naming who
  vouches for it ("reportedly", "is said to", "some reports say", "accused ... of");
- ``refutation``: the passage rejects a statement ("denied", "a hoax", "untrue",
  "no evidence that", "was debunked"), with the words it rejects: after a verb
  ("denied sending troops"), before a predicate ("reports of troops are untrue"),
  or both for a noun that can sit either side ("a hoax claiming ...");
- ``negated_words``: the words a plain negation applies to ("has not sent", "never
  signed"), for a claim that says the opposite.

The cue words are generic news English: none of them names a place, a person or an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.crosscheck.memo import memoised
from factcheck.crosscheck.words import STOPWORDS

# Passages are sentence-sized; a hostile one is read this far.
MAX_CHARS = 2_000

# Unsourced distance: the outlet repeats what it has not confirmed and names no one who did.
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|apparently|rumou?r(?:s|ed)?|unconfirmed|unverified|"
    r"speculat\w*|(?:is|are|was|were|has been|have been) (?:said|thought|believed|understood|reported|alleged|"
    r"rumou?red|suspected|claimed|feared) to|said to (?:show|be|have)|"
    r"(?:some|unconfirmed|media|press|local|news|several|early|initial) "
    r"reports?|reports? (?:say|said|suggest\w*|claim\w*|indicat\w*|circulat\w*)|according to (?:reports|rumou?rs|"
    r"unnamed|unidentified|anonymous|sources|some|social media|posts)|sources (?:say|said|claim\w*)|"
    r"allegedly|(?:may|might|could) have|appears? to|viral|went viral|circulating|"
    r"(?:it|this) (?:is|was) (?:not )?(?:yet )?clear whether)\b",
    re.IGNORECASE,
)
# Distance by naming it an accusation: the outlet does not vouch for it, though it vouches that it was made.
_ALLEGATION = re.compile(r"\b(?:accus\w+|alleg(?!edly)\w+|claim(?:s|ed|ing)?)\b", re.IGNORECASE)

# Verbs that reject what follows them: "denied sending troops", "dismissed claims that ...".
_REFUTING_VERB = (
    r"den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|debunk(?:s|ed|ing)?|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
    r"disput(?:e|es|ed|ing)|rebut(?:s|ted|ting)?|disprov(?:e|es|ed|en|ing)|contradict(?:s|ed|ing)?|"
    r"rul(?:e|es|ed|ing) out|"
    # Doubt cast on a report disputes it without a verdict of its own: "scientists cast doubt over
    # claims that ...", "questioned whether the crater was ...". Only "questioned" before what a
    # statement is, not "police questioned the driver".
    r"cast(?:s|ing)? (?:serious |new |fresh )?doubts? (?:on|over|upon|about)|"
    r"(?:rais|express)(?:e|es|ed|ing) (?:serious |new |fresh )?doubts? (?:about|over|on|as to)|"
    r"question(?:s|ed|ing)? (?:whether|the (?:claims?|reports?|story|veracity|authenticity|accuracy))|"
    r"(?:sceptical|skeptical) (?:of|about|that)"
)
# Nouns and adjectives that reject what they are said of: "reports of troops are untrue".
_REFUTING_PREDICATE = (
    r"hoax(?:es)?|fake|false(?:ly)?|untrue|not true|no truth|baseless|groundless|unfounded|fabricat\w+|bogus|"
    r"satir\w+|myths?|misinformation|disinformation|doctored|photoshopped|made up|nonsense|lies|a lie|"
    r"never happened|did not happen|debunked|denied|refuted|disproved|disproven|"
    # The picture is real, but of something else: "a video said to show X is actually from 2011".
    r"actually from|in fact from|actually (?:shows|showed|dates from)"
)
# Someone rejecting a statement (a denial) rather than showing it false (a refutation).
_DENYING = re.compile(r"den|reject|dismiss|disput|rebut|contradict", re.IGNORECASE)
# "No evidence that ...", "no specific or credible information linking ...": what follows is rejected;
# "claims of X have no basis": what comes before; "there did not appear to be any connection
# between them and ...": both, as a relation joins what is named on either side.
_RELATION = r"connections?|links?"
_NO_EVIDENCE = (
    r"(?:no|not (?:[a-z]+ ){0,3}?any) (?:[a-z]+ (?:or |and )?){0,3}?"
    rf"(?:evidence|proof|sign|indication|record|basis|truth|information|{_RELATION})"
)
_JOINS = re.compile(rf"(?:{_RELATION})$", re.IGNORECASE)
# Words that dismiss a statement as worthless or as more than happened, but only as its predicate
# ("reports of a deal were exaggerated", "called the report rubbish", "the video was not all it
# seemed"): before a noun they describe things ("rubbish collection", "an exaggerated bow").
_DISMISSING_PREDICATE = (
    r"rubbish|exaggerated|overblown|overstated|overhyped|incorrect|inaccurate|"
    r"not (?:all|what) (?:it|they) (?:seemed|seems|appeared|appears)"
)
_REFUTATION = re.compile(
    rf"\b(?:(?P<verb>{_REFUTING_VERB})|(?P<none>{_NO_EVIDENCE})|(?P<predicate>{_REFUTING_PREDICATE})|"
    rf"(?P<dismissal>{_DISMISSING_PREDICATE}))\b",
    re.IGNORECASE,
)
# A predicate after a copula or "as" rejects what comes before it ("the claim was false",
# "dismissed the report as fake"); the same word before a noun rejects what follows ("a fake video of ...").
_COPULA_BEFORE = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|being|as)\s+(?:\w+\s+){0,2}|"
    # a verb naming what its object is: "called the report false", "labelled the reports inaccurate"
    r"\b(?:call|label|brand|deem)(?:s|ed|led|ing|ling)?\s+(?:it|them|(?:the|these|those|this|that|its|their|his|her)"
    r"(?:\s+(?!an?\b)[\w'\u2019-]+){1,3}?)\s+)"
    # the predicate quoted: 'was called "rubbish"'
    r"[\"\u201c\u2018']?$",
    re.IGNORECASE,
)
# A passive coordinated after another verb of its subject ("raised concerns and was dismissed",
# "was arrested and denied bail"): the subject acted, so it is someone, and what is done to them
# (fired, refused) rejects nothing the sentence reports.
_COORDINATED_PASSIVE = re.compile(
    r"\w\s+and\s+(?:(?:was|were|is|are|has been|have been|had been|got|later|then|subsequently)\s+){0,2}$",
    re.IGNORECASE,
)
# A verb of rejection negated: "cannot be ruled out", "did not deny", "has never been disproved".
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|never|cannot)|n't)\s+(?:(?:be|been|have|has|yet|even)\s+){0,2}$", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[.;!?,]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_SENTENCE_START = re.compile(r"(?:^|[.;!?]\s+|\b(?:but|while|although|though|whereas)\s+)", re.IGNORECASE)

# "has not sent", "never signed", "did not kill": the word negated, after any auxiliaries. Not "not
# the first time it was unearthed", which says it happened, and before.
_AUXILIARIES = (
    r"(?:(?:been|be|being|have|has|had|yet|ever|even|actually|officially|directly|personally|in fact)\s+){0,3}"
)
_NEGATION = re.compile(
    # not the interjection: "oh no, the ship is sinking"
    rf"(?:\b(?:not|never|no longer|(?<!oh )no|cannot)|n't)\s+"
    # A refusal to speak says nothing of what was asked about: "would not comment on the report",
    # "has not yet responded to requests", "could not confirm the arrest"; nor does leaving it
    # unsaid: "did not mention the sports hall".
    rf"(?!{_AUXILIARIES}(?:immediately |publicly )?(?:comment|respond|reply|replied|answer|confirm|elaborate|disclose|"
    r"discuss|mention|refer to|name)\w*\b"
    r"|(?:immediately )?return(?:ed|ing)? (?:\w+ )?(?:calls?|requests?|messages?|emails?)\b)"
    # A prevention negated affirms what was not prevented: "that did not stop the band from touring".
    rf"(?!{_AUXILIARIES}(?:stop|prevent|deter|keep|discourag)\w*\s+(?:[\w'\u2019-]+\s+){{0,6}}?from\b)"
    rf"{_AUXILIARIES}"
    r"(?!(?:the |for the )?first time\b)"
    # "not only the rumour but ...", "not just once": it adds to what it names.
    r"(?!(?:only|just|merely|simply)\b)"
    r"(?P<words>[a-z][a-z'-]+(?:\s+(?!(?:whether|that|if|but)\b)[a-z][a-z'-]+){0,3})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    text: str
    # An adverb ("reportedly") keeps its distance from what follows it, not from the whole sentence.
    adverb: bool = False
    # The hedge is in a phrase describing a noun ("contractors accused of fraud", "a video apparently
    # showing ..."): it keeps its distance from that description, not from what the sentence says of the noun.
    describes_noun: bool = False


_HEDGING_ADVERB = re.compile(r"(?:reported|alleged|purported|supposed|apparent)ly", re.IGNORECASE)


@dataclass(frozen=True)
class Refutation:
    cue: Cue
    # The words the cue rejects: after a verb, before a predicate, either side of a noun.
    rejected: str
    # "denial" for a verb of rejection (someone denies), "refutation" for a debunk ("a hoax").
    kind: str
    # It rejects a link between what it names ("no connection between the noises and the wreck"),
    # not that either exists.
    link: bool = False


@memoised
def hedge(text: str) -> Cue | None:
    """The first cue of unsourced distance in ``text``, if any: a rumour, or an accusation."""
    return distance(text) or _cue(_ALLEGATION.search(text[:MAX_CHARS]), text)


@memoised
def distance(text: str) -> Cue | None:
    """The first cue of unsourced distance that is not an accusation: "NATO accused China of ..."
    still confirms that NATO said it; "NATO reportedly accused China" does not."""
    return _cue(_HEDGE.search(text[:MAX_CHARS]), text)


# Where one statement of a sentence ends and another begins: "losses are believed to have been
# heavy, and Oskaria has rotated ..." keeps its distance from the losses only.
_STATEMENT_BOUNDARY = re.compile(r"[.;!?](?=\s)|,\s+(?:and|but|while|whereas|although|though)\b|\s+but\b")


def hedged_region(text: str, cue: Cue) -> tuple[int, int]:
    """The part of ``text`` a hedge keeps its distance from: what follows an adverb to the end of
    its clause ("a video apparently showing a soldier, ..."), or what follows a description's hedge
    ("contractors accused of cutting corners"), else the whole statement around it."""
    if cue.adverb or cue.describes_noun:
        return cue.start, clause_end(text, cue.end)
    start = 0
    for boundary in _STATEMENT_BOUNDARY.finditer(text, 0, cue.start):
        start = boundary.end()
    end = _STATEMENT_BOUNDARY.search(text, cue.end)
    return start, end.start() if end else len(text)


def _cue(found: re.Match[str] | None, text: str) -> Cue | None:
    if found is None:
        return None
    adverb = bool(_HEDGING_ADVERB.fullmatch(found.group()))
    return Cue(found.start(), found.end(), found.group(), adverb, _describes_noun(text, found, adverb))


# A reduced relative clause: a participle straight after its noun, "footage allegedly showing ...",
# "a man accused of ...". After an auxiliary or a pronoun ("was accused of", "they reportedly
# left") the same words are the sentence's own predicate.
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")
_VERB = re.compile(r"\b(?:has|have|had|is|are|was|were|will|would|can|could|did|does|do|[a-z]+ed)\b", re.IGNORECASE)
_PARTICIPLE_AFTER_ADVERB = re.compile(r"\s+[a-z]+ing\b")
_PARTICIPLE_COMPLEMENT = re.compile(r"\s+(?:of|to|with|in)\b")


def _describes_noun(text: str, cue: re.Match[str], adverb: bool) -> bool:
    before = _WORD_BEFORE.search(text, 0, cue.start())
    if before is None or before.group(1).lower() in STOPWORDS or before.group(1).endswith("ly"):
        return False
    if not _VERB.search(text, _clause_start(text, before.start()), before.start()):
        # No verb before the noun: it is the subject, and in a headline the participle is its
        # predicate ("New phone rumoured to have two lenses", "Man accused of fraud").
        return False
    if adverb:
        return bool(_PARTICIPLE_AFTER_ADVERB.match(text, cue.end()))
    # "accused of", "alleged to": a passive participle whose complement follows at once
    return cue.group().lower().endswith("ed") and bool(_PARTICIPLE_COMPLEMENT.match(text, cue.end()))


@memoised
def refutations(text: str) -> tuple[Refutation, ...]:
    """Every refutation cue of ``text`` with the words it rejects."""
    text = text[:MAX_CHARS]
    found = []
    for match in _REFUTATION.finditer(text):
        cue = Cue(match.start(), match.end(), match.group())
        after = text[match.end() : clause_end(text, match.end())]
        before = text[_clause_start(text, match.start()) : match.start()]
        predicative = match.lastgroup != "none" and bool(_COPULA_BEFORE.search(before))
        if match.lastgroup == "verb" and done_to_someone(text, match):
            continue  # "raised concerns about the hull and was dismissed": fired, not a rejected statement
        if match.lastgroup == "dismissal" and not predicative:
            continue  # "a pile of rubbish", "an exaggerated bow": describes a thing, rejects nothing
        if match.lastgroup == "verb" and _NEGATED_BEFORE.search(before):
            continue  # "a meteorite cannot be ruled out", "did not deny": nothing rejected
        if predicative and before.rstrip(" \"\u201c\u2018'").lower().endswith(" as") and _WORD.search(after):
            # the object after its complement: "described as rubbish a report that the band split"
            rejected = f"{before} {after}"
        elif predicative or (match.lastgroup == "none" and not _WORD.search(after)):
            # "the claim was false", "the story was debunked", "claims of a cyberattack have no basis";
            # after whoever says so ("a source said rumours of a coup were rubbish"): the speaker is not rejected.
            rejected = before
        elif match.lastgroup == "predicate" or _JOINS.search(match.group()):  # "a fake video of ...", "... fake"
            rejected = f"{before} {after}"
        else:  # "denied sending troops", "no evidence that ..."
            rejected = after
        kind = "denial" if _DENYING.match(match.group()) else "refutation"
        found.append(Refutation(cue, rejected.strip(), kind, link=bool(_JOINS.search(match.group()))))
    return tuple(found)


def done_to_someone(text: str, cue: re.Match[str]) -> bool:
    """Whether a verb of denial is something done to the subject of another verb before it:
    "raised concerns and was dismissed" (fired), "was arrested and denied bail" (refused)."""
    return bool(_DENYING.match(cue.group())) and bool(
        _COORDINATED_PASSIVE.search(text, _clause_start(text, cue.start()), cue.start())
    )


# A debunk that names what it rejects only by referring back to it: "the claim was false",
# "there is no evidence for that", "called it false".
_REFERS_BACK = re.compile(
    # a pronoun standing alone ("for that either", "called it", "it is"), not a complementizer ("claims that X")
    r"\b(?:(?:it|that|this)(?=\s*$|\s*[,.;:!?]|\s+(?:either|too|also|is|was|were|are)\b)|"
    # a statement named but not said ("the claim was false"; not "the claim that X", "reports of X")
    r"(?:the|such|these|those|this|that) (?:\w+ )?(?:claims?|theor(?:y|ies)|rumou?rs?|stor(?:y|ies)|reports?|posts?|"
    r"allegations?|accusations?|suggestions?|assertions?|videos?|images?|photos?|pictures?)\b(?!\s+(?:that|of|about)\b))",
    re.IGNORECASE,
)
# Where a sentence ends; a line break ends a title.
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_BETWEEN_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n")


def referred_back(text: str, refutation: Refutation, before: str) -> str:
    """The statement ``refutation`` rejects when it names it only by referring back to it ("Some
    posts claimed X. The coast guard said the claim was false."): see ``_antecedent``; else ""."""
    if not _REFERS_BACK.search(refutation.rejected):
        return ""
    return _antecedent(text, refutation.cue.start, before)


def reported_content(sentence: str) -> str:
    """What a sentence reports without vouching for it: the words after its last cue of distance,
    to the end of that clause ("Some posts claimed [the ferry was sunk by a whale], citing ...")."""
    cues = [*_HEDGE.finditer(sentence[:MAX_CHARS]), *_ALLEGATION.finditer(sentence[:MAX_CHARS])]
    if not cues:
        return ""
    start = max(cue.end() for cue in cues)
    return sentence[start : clause_end(sentence, start)]


def debunked_statement(text: str, before: str) -> str:
    """The rumour a debunk in ``text`` refers back to ("There is no evidence for that either."), if
    any: what the passage is about, though it repeats none of its words. ``before``: what its
    article said just before it."""
    for refutation in refutations(text):
        antecedent = referred_back(text, refutation, before)
        if antecedent:
            return antecedent
    return ""


def _antecedent(text: str, position: int, before: str) -> str:
    """The sentence before the one at ``position`` of ``text`` (or the last of ``before``), if it
    reports a statement without vouching for it: debunks refer back to rumours, not to facts."""
    sentence_start = 0
    for end in _SENTENCE_END.finditer(text, 0, position):
        sentence_start = end.end()
    earlier = f"{before}\n{text[:sentence_start]}"
    sentences = [part.strip() for part in _BETWEEN_SENTENCES.split(earlier) if part.strip()]
    if not sentences or hedge(sentences[-1]) is None:
        return ""
    return sentences[-1]


@memoised
def negated_words(text: str) -> tuple[tuple[str, Cue], ...]:
    """The words ``text`` negates (the next few, within the clause), each with the negation that
    applies to them: "never classed or certified", "not the only reason", "no independent body"."""
    text = text[:MAX_CHARS].replace("\u2019", "'")
    found = []
    for match in _NEGATION.finditer(text):
        end = min(match.end(), clause_end(text, match.start("words")))
        found.append((text[match.start("words") : end].lower(), Cue(match.start(), end, text[match.start() : end])))
    return tuple(found)


def clause_end(text: str, start: int) -> int:
    end = _CLAUSE_END.search(text, start)
    return end.start() if end else len(text)


def _clause_start(text: str, end: int) -> int:
    start = 0
    for boundary in _SENTENCE_START.finditer(text, 0, end):
        start = boundary.end()
    return start
