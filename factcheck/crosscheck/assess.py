"""The automatic assessment of a claim from the stances of other outlets' passages. Pure: no Django import.

Outlets are not votes: copies of one wire story, several reports of one outlet and
outlets that vouch on one named source's authority form one independent origin
(``origin_groups``), and it is origins that are counted. The claim's own source, when
it came from one, is an origin that supports it.

- ``corroborated``: two or more origins support it, none conflicts;
- ``conflicting``: some origins support it and some conflict;
- ``contradicted``: origins conflict and none supports it;
- ``single_source``: exactly one origin supports it, none conflicts;
- ``reported``: outlets repeat it at a distance ("reportedly", or on the claimant's
  own word) and none confirms or disputes it: a rumour going round is not corroboration;
- ``unverified``: nothing found supports, conflicts or reports it.

The confidence says how strongly the evidence backs that label, in [0, 1]: each
origin adds ``ORIGIN_WEIGHT`` times its strongest passage's score, as independent
chances (1 - product of the misses), so two strong origins give 0.84 and three 0.94.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.crosscheck.independence import origin_groups
from factcheck.crosscheck.quotes import same_person
from factcheck.crosscheck.stance import CONFLICTS, MENTIONS, SUPPORTS, Judgement

CORROBORATED, CONFLICTING, CONTRADICTED = "corroborated", "conflicting", "contradicted"
SINGLE_SOURCE, REPORTED, UNVERIFIED = "single_source", "reported", "unverified"
# Every assessment, strongest evidence first.
ASSESSMENTS = (CORROBORATED, CONFLICTING, CONTRADICTED, SINGLE_SOURCE, REPORTED, UNVERIFIED)
# The reason of a passage that repeats the claim without confirming it.
REPORTED_REASON = "reported"
ORIGIN_WEIGHT = 0.6
# What an unverified verdict is worth: lower when many related passages were read and none decided.
UNVERIFIED_CONFIDENCE, UNVERIFIED_FLOOR, PER_MENTION = 0.7, 0.2, 0.05


@dataclass(frozen=True)
class ClaimOrigin:
    """The source the claim was extracted from."""

    outlet_id: int
    outlet: str
    origin_cluster_id: int | None


@dataclass(frozen=True)
class Origin:
    """One independent origin: its outlets (a wire story and its copies) and its strongest passage."""

    outlets: tuple[str, ...]
    strength: float
    judgement: Judgement | None  # None for the claim's own source

    @property
    def label(self) -> str:
        return " + ".join(self.outlets)


@dataclass(frozen=True)
class AssessmentResult:
    assessment: str
    confidence: float
    explanation: str
    supporting: tuple[Origin, ...]
    conflicting: tuple[Origin, ...]
    reporting: tuple[Origin, ...] = ()


def assess(judgements: Sequence[Judgement], *, origin: ClaimOrigin | None = None) -> AssessmentResult:
    decided = [j for j in judgements if j.stance in (SUPPORTS, CONFLICTS)]
    supporting, conflicting = _origins(decided, origin)
    reporting = _reporting_origins(judgements, decided, origin)
    mentions = sum(1 for j in judgements if j.stance == MENTIONS)
    if supporting and conflicting:
        assessment = CONFLICTING
        confidence = min(_combined(supporting), _combined(conflicting))
    elif conflicting:
        assessment, confidence = CONTRADICTED, _combined(conflicting)
    elif len(supporting) >= 2:
        assessment, confidence = CORROBORATED, _combined(supporting)
    elif supporting:
        assessment, confidence = SINGLE_SOURCE, _combined(supporting)
    elif reporting:
        assessment, confidence = REPORTED, _combined(reporting)
    else:
        assessment = UNVERIFIED
        confidence = max(UNVERIFIED_FLOOR, UNVERIFIED_CONFIDENCE - PER_MENTION * mentions)
    explanation = explain(
        assessment, supporting, conflicting, examined=len(judgements), mentions=mentions, reporting=reporting
    )
    return AssessmentResult(assessment, round(confidence, 3), explanation, supporting, conflicting, reporting)


def _reporting_origins(
    judgements: Sequence[Judgement], decided: Sequence[Judgement], origin: ClaimOrigin | None
) -> tuple[Origin, ...]:
    """The origins that only repeat the claim: reports from outlets (and copies) that neither
    confirm nor dispute it anywhere else in the evidence."""
    reports = [j for j in judgements if j.stance == MENTIONS and j.reason == REPORTED_REASON]
    if not reports:
        return ()
    keys = [(j.passage.outlet_id, j.passage.origin_cluster_id) for j in [*decided, *reports]]
    if origin:
        keys.insert(0, (origin.outlet_id, origin.origin_cluster_id))
    groups = origin_groups(keys)
    taken = set(groups[: len(keys) - len(reports)])
    strongest: dict[int, Judgement] = {}
    members: dict[int, list[str]] = {}
    for group, judgement in zip(groups[len(keys) - len(reports) :], reports, strict=True):
        if group in taken:
            continue
        if judgement.passage.outlet not in members.setdefault(group, []):
            members[group].append(judgement.passage.outlet)
        if group not in strongest or judgement.score > strongest[group].score:
            strongest[group] = judgement
    found = [Origin(tuple(members[g]), strongest[g].score, strongest[g]) for g in strongest]
    return tuple(sorted(found, key=lambda o: (-o.strength, o.label)))


def _origins(decided: Sequence[Judgement], origin: ClaimOrigin | None) -> tuple[tuple[Origin, ...], tuple[Origin, ...]]:
    """Supporting and conflicting origins, strongest first. An origin with passages on
    both sides counts on both: the outlet said both, and the reviewer should see it."""
    keys = [(origin.outlet_id, origin.origin_cluster_id)] if origin else []
    keys += [(j.passage.outlet_id, j.passage.origin_cluster_id) for j in decided]
    speakers = ([""] if origin else []) + [j.attributed_to if j.stance == SUPPORTS else "" for j in decided]
    groups = origin_groups(keys, vouched_by=vouchers(speakers))
    members: dict[int, list[str]] = {}
    names = ([origin.outlet] if origin else []) + [j.passage.outlet for j in decided]
    for group, name in zip(groups, names, strict=True):
        if name not in members.setdefault(group, []):
            members[group].append(name)
    best: dict[tuple[str, int], Judgement | None] = {}
    if origin:
        best[(SUPPORTS, groups[0])] = None
    for group, judgement in zip(groups[1 if origin else 0 :], decided, strict=True):
        key = (judgement.stance, group)
        if key in best:
            current = best[key]
            # The claim's own source (None) is the strongest support there is.
            if current is None or current.score >= judgement.score:
                continue
        best[key] = judgement
    sides: dict[str, list[Origin]] = {SUPPORTS: [], CONFLICTS: []}
    for (stance, group), strongest in best.items():
        strength = 1.0 if strongest is None else strongest.score
        sides[stance].append(Origin(tuple(members[group]), strength, strongest))
    for side in sides.values():
        side.sort(key=lambda o: (-o.strength, o.label))
    return tuple(sides[SUPPORTS]), tuple(sides[CONFLICTS])


def vouchers(speakers: Sequence[str]) -> list[str | None]:
    """For each supporting passage's named source ("" for its own voice), the one name that
    person goes by here, however it is spelt ("Zelensky", "President Volodymyr Zelenskyy")."""
    names: list[str] = []
    found: list[str | None] = []
    for speaker in speakers:
        if not speaker:
            found.append(None)
            continue
        known = next((name for name in names if same_person(name, speaker)), None)
        if known is None:
            names.append(speaker)
        found.append(known or speaker)
    return found


def _combined(origins: Sequence[Origin]) -> float:
    missed = 1.0
    for origin in origins:
        missed *= 1.0 - ORIGIN_WEIGHT * min(1.0, max(0.0, origin.strength))
    return 1.0 - missed


# --- Explanation ---------------------------------------------------------------------------


def explain(
    assessment: str,
    supporting: Sequence[Origin],
    conflicting: Sequence[Origin],
    *,
    examined: int,
    mentions: int,
    reporting: Sequence[Origin] = (),
) -> str:
    """One or two sentences a reviewer reads first: who supports, who conflicts and how."""
    reports = _reports_phrase(reporting)
    if assessment == REPORTED:
        return (
            f"Reported by {_count(len(reporting), 'outlet')} ({'; '.join(o.label for o in reporting)}), "
            "confirmed by none: they repeat it without confirming it."
        )
    if assessment == UNVERIFIED:
        if not examined:
            return "No other outlet's passage shares this claim's words."
        return (
            f"Of {examined} related passages from other outlets, none supports or disputes it ({mentions} mention it)."
        )
    parts = []
    if supporting:
        parts.append(
            f"{_count(len(supporting), 'outlet')} {'support' if len(supporting) > 1 else 'supports'}"
            f" ({'; '.join(o.label for o in supporting)})"
        )
    else:
        parts.append("no outlet supports it")
    if conflicting:
        details = "; ".join(_conflict_phrase(o) for o in conflicting)
        parts.append(f"{len(conflicting)} {'conflict' if len(conflicting) > 1 else 'conflicts'}: {details}")
    elif assessment == SINGLE_SOURCE:
        parts.append("no other independent outlet confirms or disputes it")
    else:
        parts.append("none conflicts")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "." + reports


def _reports_phrase(reporting: Sequence[Origin]) -> str:
    if not reporting:
        return ""
    verb = "repeats" if len(reporting) == 1 else "repeat"
    outlets = "; ".join(o.label for o in reporting)
    return f" {_count(len(reporting), 'more outlet')} ({outlets}) {verb} it without confirming it."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _conflict_phrase(origin: Origin) -> str:
    judgement = origin.judgement
    assert judgement is not None  # the claim's own source never conflicts with it
    if judgement.reason in ("figure_conflict", "time_conflict", "place_conflict"):
        return f'{origin.label} gives "{judgement.evidence_value}" instead of "{judgement.claim_value}"'
    if judgement.reason == "quote_misattributed":
        return (
            f"{origin.label} gives the quotation to {judgement.evidence_value or 'someone else'}, "
            f"not {judgement.claim_value or 'the claimant'}"
        )
    if judgement.reason == "denial":
        return f'{origin.label} reports a denial ("{judgement.details.get("denial", "")}")'
    if judgement.reason in ("refutation", "negated"):
        return f'{origin.label} says it is not so ("{judgement.details.get("denial", "")}")'
    return f"{origin.label} ({judgement.reason})"
