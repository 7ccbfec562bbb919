"""The claim review page: everything a reviewer needs to rate one claim, on one screen.

The claim and where it appeared; the automatic assessment and when it was computed; the
evidence grouped by independent origin and outlet, with the words that decided each stance
highlighted in place; a table of the figures when they differ; where a quotation appears
verbatim, re-worded or not at all; the verdict form; and the history. Article text is
hostile input: it is escaped piece by piece, and only our own markup is marked safe.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from factcheck import selectors
from factcheck.crosscheck.assess import REPORTED_REASON, vouchers
from factcheck.crosscheck.independence import origin_groups
from factcheck.crosscheck.reasons import (
    STANCE_CHOICE_WORDS,
    counted_in_words,
    qualifier_in_words,
    reason_in_words,
    stance_in_words,
)
from factcheck.crosscheck.stance import ClaimText, analyse_claim
from factcheck.crosscheck.text import SentenceChanges, sentence_changes
from factcheck.history import history_changes
from factcheck.models import (
    CheckRun,
    Claim,
    ClaimAppearance,
    ClaimMatchSuggestion,
    Evidence,
    RatingLabel,
    SourceRevision,
    Stance,
    StanceCorrection,
    SuggestionStatus,
    Verdict,
)
from factcheck.roles import can_publish, can_review
from factcheck.services import reviews
from factcheck.services.checks import claim_check_request
from factcheck.services.claims import SuggestionError, suggestion_confirm, suggestion_reject
from factcheck.services.corrections import evidence_stance_correct
from factcheck.services.review_matches import ReviewMatchError, review_match_confirm, review_match_reject

QUOTE_REASONS = {
    "quote_verbatim": "verbatim",
    "quote_near_verbatim": "nearly verbatim",
    "quote_variant": "re-worded (a variant)",
    "quote_misattributed": "given to someone else",
    "quote_other_speaker": "similar words by someone else",
}


# --- Highlighting ------------------------------------------------------------------------------


def highlight(text: str, spans: Iterable[dict[str, Any]], stance: str) -> SafeString:
    """``text`` escaped, with the spans that decided the stance wrapped in <mark>.
    Spans come from the engine; bad or overlapping ones are skipped, never trusted."""
    pieces: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.get("start", 0), s.get("end", 0))):
        start, end = int(span.get("start", -1)), int(span.get("end", -1))
        if start < position or end <= start or end > len(text):
            continue
        pieces.append(conditional_escape(text[position:start]))
        label = str(span.get("label", ""))
        pieces.append(format_html('<mark class="{} {}" title="{}">{}</mark>', stance, label, label, text[start:end]))
        position = end
    pieces.append(conditional_escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped or built by format_html


def _compared_word(word: str) -> str:
    """A word as wordings are compared: "Soldiers." and "soldiers" are the same word."""
    return "".join(character for character in word.casefold() if character.isalnum()) or word


def marked_difference(claimed: str, found: str) -> SafeString:
    """The found wording against the claimed one, word by word: <del> what the claim has and
    the passage lacks, <ins> what the passage says instead. Punctuation and case are no change
    (a quotation ending a sentence in one outlet and mid-sentence in another is the same words)."""
    old, new = claimed.split(), found.split()
    pieces = []
    matcher = difflib.SequenceMatcher(
        a=[_compared_word(w) for w in old], b=[_compared_word(w) for w in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(conditional_escape(" ".join(new[b1:b2])))
            continue
        if a2 > a1:
            pieces.append(format_html("<del>{}</del>", " ".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(format_html("<ins>{}</ins>", " ".join(new[b1:b2])))
    return mark_safe(" ".join(pieces))  # noqa: S308 - every piece is escaped or built by format_html


# --- What the page shows ------------------------------------------------------------------------


@dataclass
class OutletEvidence:
    outlet: str
    items: list[Evidence] = field(default_factory=list)


@dataclass
class OriginEvidence:
    number: int
    outlets: list[OutletEvidence] = field(default_factory=list)

    @property
    def stances(self) -> set[str]:
        return {e.stance for o in self.outlets for e in o.items}


@dataclass(frozen=True)
class FigureRow:
    value: str  # the figure as a reviewer reads it: "at least 30"
    counts: str  # what it counts: "people killed"
    outlet: str
    passage: SafeString
    stance: str


@dataclass(frozen=True)
class QuoteRow:
    outlet: str
    kind: str
    wording: SafeString
    speaker: str
    conflict: bool


def group_by_origin(evidence: Sequence[Evidence]) -> list[OriginEvidence]:
    """Evidence grouped by independent origin (copies, one outlet's reports, and outlets that
    vouch on one named source together), then by outlet; the groups with conflicts first,
    then by strength."""
    keys = [(e.passage.source.outlet_id, e.passage.source.origin_cluster_id) for e in evidence]
    speakers = [str(e.details.get("attributed_to", "")) if e.stance == "supports" else "" for e in evidence]
    groups: dict[int, OriginEvidence] = {}
    for number, item in zip(origin_groups(keys, vouched_by=vouchers(speakers)), evidence, strict=True):
        origin = groups.setdefault(number, OriginEvidence(number + 1))
        outlet = next((o for o in origin.outlets if o.outlet == item.passage.source.outlet.name), None)
        if outlet is None:
            outlet = OutletEvidence(item.passage.source.outlet.name)
            origin.outlets.append(outlet)
        outlet.items.append(item)
    return sorted(groups.values(), key=lambda g: ("conflicts" not in g.stances, "supports" not in g.stances, g.number))


def figure_in_words(figure: dict[str, Any]) -> str:
    """The number as written with its qualifier in words, when the words do not already say it:
    "at least 30", "about 15,000", "12"."""
    text = str(figure.get("text", ""))
    qualifier = qualifier_in_words(str(figure.get("qualifier", "")))
    if not qualifier or text.casefold().startswith(qualifier) or not any(c.isdigit() for c in text):
        return text
    return f"{qualifier} {text}"


def figure_rows(evidence: Sequence[Evidence]) -> list[FigureRow]:
    rows = []
    for item in evidence:
        figure = item.details.get("evidence_figure")
        if not figure:
            continue
        rows.append(
            FigureRow(
                value=figure_in_words(figure),
                counts=counted_in_words(figure),
                outlet=item.passage.source.outlet.name,
                passage=highlight(item.passage.text, item.spans, item.stance),
                stance=item.stance,
            )
        )
    return rows


def claim_figure(evidence: Sequence[Evidence]) -> tuple[str, str]:
    """How the claim itself states the figure that was compared ("at least 30"), and what it counts."""
    for item in evidence:
        figure = item.details.get("claim_figure")
        if figure:
            return figure_in_words(figure), counted_in_words(figure)
    return "", ""


def evidence_in_words(item: Evidence) -> str:
    """What a passage does to the claim, as the desk says it: "contradicts: gives a different figure"."""
    return f"{stance_in_words(item.stance).capitalize()}: {reason_in_words(item.reason, item.details)}"


def moment(value: Any) -> str:
    """A date and time as the page shows it: the time only when one is known (a source dated by day
    is stored at midnight in the desk's time zone, services.ingest, and "00:00" would be a time
    nobody gave)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.time() == dt.time.min:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M")


def quote_rows(evidence: Sequence[Evidence]) -> list[QuoteRow]:
    rows = []
    for item in evidence:
        if item.reason not in QUOTE_REASONS:
            continue
        claimed = str(item.details.get("quotation", ""))
        span = next((s for s in item.spans if s.get("label") == "quotation"), None)
        found = item.passage.text[span["start"] : span["end"]] if span else ""
        if not found:
            continue  # nothing of the quotation to show (a passage with like words, said by someone else)
        verbatim = item.reason == "quote_verbatim"
        rows.append(
            QuoteRow(
                outlet=item.passage.source.outlet.name,
                kind=QUOTE_REASONS[item.reason],
                wording=conditional_escape(found) if verbatim else marked_difference(claimed, found),
                speaker=str(item.details.get("evidence_speaker", "")),
                conflict=item.stance == "conflicts",
            )
        )
    return rows


@dataclass(frozen=True)
class RevisionNotice:
    outlet: str
    recorded_at: Any
    changes: SentenceChanges
    source_url: str


def revision_notices(claim: Claim) -> list[RevisionNotice]:
    """The articles this claim appeared in that their outlets have revised since, with what changed."""
    source_ids = {appearance.source_id for appearance in claim.appearances.all()}
    revisions = SourceRevision.objects.filter(source_id__in=source_ids).select_related("source__outlet")
    return [
        RevisionNotice(
            outlet=revision.source.outlet.name,
            recorded_at=revision.recorded_at,
            changes=sentence_changes(revision.source.text, revision.text),
            source_url=reverse("admin:factcheck_source_change", args=[revision.source_id]),
        )
        for revision in revisions.order_by("recorded_at", "pk")
    ]


def next_claim_for(user: Any, *, after: Claim) -> Claim | None:
    """The most urgent other claim assigned to the user, else the most urgent unassigned one."""
    queue = selectors.claim_queue(public_only=False).exclude(pk=after.pk)
    waiting = ("needs_review", "in_review")
    return (
        queue.filter(assignee=user, status__in=waiting).first()
        or queue.filter(assignee__isnull=True, status="needs_review").first()
    )


def searched_text(windows: list[list[str]]) -> str:
    """What a check searched, for the reviewer: "passages published 2025-03-21 to 2025-05-20 and
    2026-11-07 to 2027-01-06", or "the whole archive"."""
    if not windows:
        return "the whole archive"
    return "passages published " + " and ".join(f"{first} to {last}" for first, last in windows)


def latest_corrections(corrections: Iterable[StanceCorrection]) -> dict[int, StanceCorrection]:
    """The latest of these stance corrections of each passage, by passage id."""
    latest: dict[int, StanceCorrection] = {}
    for correction in sorted(corrections, key=lambda c: (c.corrected_at, c.pk)):
        latest[correction.passage_id] = correction
    return latest


def pending_suggestions(claim: Claim) -> QuerySet[ClaimMatchSuggestion]:
    """Pending "possibly the same fact" suggestions this claim is on either side of."""
    pending = ClaimMatchSuggestion.objects.filter(status=SuggestionStatus.PENDING)
    return pending.filter(Q(claim=claim) | Q(candidate=claim)).select_related("claim", "candidate").order_by("pk")


def workspace_context(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    run = selectors.latest_check(claim)
    evidence = list(selectors.check_run_evidence(run)) if run else []
    corrections = list(claim.stance_corrections.select_related("corrected_by", "passage__source__outlet"))
    corrected = latest_corrections(corrections)
    for item in evidence:
        item.highlighted = highlight(item.passage.text, item.spans, item.stance)  # type: ignore[attr-defined]
        item.in_words = evidence_in_words(item)  # type: ignore[attr-defined]
        correction = corrected.get(item.passage_id)
        item.correction = correction  # type: ignore[attr-defined]
        item.corrected_words = STANCE_CHOICE_WORDS[correction.human_stance] if correction else ""  # type: ignore[attr-defined]
    decided = [e for e in evidence if e.stance in ("supports", "conflicts")]
    # A report repeats the claim on someone's word: shown apart, never among the confirmations.
    reports = [e for e in evidence if e.reason == REPORTED_REASON]
    mentions = [e for e in evidence if e not in decided and e not in reports]
    verdict = claim.verdicts.filter(is_current=True).select_related("rating", "author").first()
    figures = figure_rows(decided)
    claimed_value, claimed_counts = claim_figure(decided)
    quotations = [q.text for q in analyse_claim(ClaimText(claim.text, claim.claimant)).quotations]
    quoted_outlets = {row.outlet for row in quote_rows(evidence)}
    examined = sorted({e.passage.source.outlet.name for e in evidence} - quoted_outlets)
    first = selectors.first_appearance(claim)
    return {
        **admin.site.each_context(request),
        "claim": claim,
        "appearances": list(claim.appearances.all()),
        "first_appearance": first,
        "first_appeared_at": moment(first.appeared_at) if first else "",
        "run": run,
        "searched": searched_text(run.searched) if run else "",
        "pending_check": claim.check_runs.filter(status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).exists(),
        "origins": group_by_origin(decided),
        "reports": reports,
        "mentions": mentions,
        "figures": figures,
        "figures_differ": any(row.stance == "conflicts" for row in figures),
        "claimed_value": claimed_value,
        "claimed_counts": claimed_counts,
        "quotations": quotations,
        "quote_rows": quote_rows(evidence),
        "quote_absent_in": examined if quotations else [],
        "evidence": evidence,
        "suggestions": list(pending_suggestions(claim)),
        "already_checked": selectors.already_checked(claim),
        "revisions": revision_notices(claim),
        "verdict": verdict,
        "cited": set(verdict.cited_evidence.values_list("pk", flat=True)) if verdict else set(),
        "ratings": RatingLabel.objects.filter(is_active=True),
        "can_publish": can_publish(request.user),
        "contributed": bool(verdict and verdict.contributors.filter(pk=request.user.pk).exists()),
        "history": history_changes(claim.history.select_related("history_user")[:30]),
        "corrections": [
            (c, stance_in_words(c.machine_stance), stance_in_words(c.human_stance)) for c in corrections[:30]
        ],
        "stance_choices": [(value, STANCE_CHOICE_WORDS[value]) for value in Stance.values],
        "verdict_history": history_changes(verdict.history.select_related("history_user")[:30]) if verdict else [],
        "next_claim": next_claim_for(request.user, after=claim),
        "title": f"Review claim {claim.pk}",
    }


# --- The view --------------------------------------------------------------------------------------


def claim_review_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    if not can_review(request.user):
        raise PermissionDenied
    appearances = ClaimAppearance.objects.select_related("source__outlet", "passage").order_by("appeared_at", "id")
    claim = get_object_or_404(
        Claim.objects.select_related("assignee").prefetch_related(Prefetch("appearances", queryset=appearances)),
        pk=claim_id,
    )
    if request.method == "POST":
        return _act(request, claim)
    return TemplateResponse(request, "admin/factcheck/claim_review.html", workspace_context(request, claim))


def _act(request: HttpRequest, claim: Claim) -> HttpResponse:
    action = request.POST.get("action", "")
    here = reverse("admin:factcheck_claim_review", args=[claim.pk])
    try:
        if action in ("recheck", "recheck_archive"):
            claim_check_request(claim_id=claim.pk, whole_archive=action == "recheck_archive")
            messages.info(request, "A new check is queued; reload in a moment to see its result.")
        elif action == "save":
            _save_verdict(request, claim)
            messages.success(request, "Verdict saved.")
        elif action in _VERDICT_ACTIONS:
            verdict = get_object_or_404(Verdict, pk=_posted_id(request, "verdict"), claim=claim)
            messages.success(request, _VERDICT_ACTIONS[action](request, verdict))
        elif action == "correct_stance":
            evidence = get_object_or_404(Evidence, pk=_posted_id(request, "evidence"), run__claim=claim)
            correction = evidence_stance_correct(
                evidence_id=evidence.pk,
                by=request.user,
                stance=request.POST.get("stance", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(
                request,
                f"Recorded: {evidence.passage.source.outlet.name}'s passage {stance_in_words(correction.human_stance)} "
                "the claim. The checker learns from it at its next training.",
            )
        elif action in ("suggestion_confirm", "suggestion_reject"):
            messages.success(request, _decide_suggestion(request, claim, confirm=action == "suggestion_confirm"))
        elif action in ("review_match_confirm", "review_match_reject"):
            messages.success(request, _decide_review_match(request, claim, confirm=action == "review_match_confirm"))
        else:
            messages.error(request, "Unknown action.")
    except reviews.WorkflowError as error:
        messages.error(request, error.message)
    except (SuggestionError, ReviewMatchError) as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(here)


def _publish(request: HttpRequest, verdict: Verdict) -> str:
    reviews.verdict_publish(verdict_id=verdict.pk, expected_version=_version(request), by=request.user)
    return "Verdict published."


def _correct(request: HttpRequest, verdict: Verdict) -> str:
    """An editor's correction from the page: the rating and summary as the form has them, with the
    public note saying what changed (a changed rating waits for a second editor under four-eyes)."""
    rating = RatingLabel.objects.filter(slug=request.POST.get("rating", ""), is_active=True).first()
    if rating is None:
        raise reviews.WorkflowError("choose the corrected rating")
    corrected = reviews.verdict_correct(
        verdict_id=verdict.pk,
        expected_version=_version(request),
        by=request.user,
        correction_note=request.POST.get("note", ""),
        rating_id=rating.pk,
        summary=request.POST.get("summary", ""),
    )
    if corrected.proposed_correction:
        return "Correction proposed: another editor must confirm the new rating before it is public."
    return "Verdict corrected; the public page shows the note."


def _retract(request: HttpRequest, verdict: Verdict) -> str:
    reviews.verdict_retract(
        verdict_id=verdict.pk, expected_version=_version(request), by=request.user, note=request.POST.get("note", "")
    )
    return "Verdict retracted; its public page now says so, and the claim is back in the queue."


def _confirm_correction(request: HttpRequest, verdict: Verdict) -> str:
    reviews.verdict_correction_confirm(verdict_id=verdict.pk, expected_version=_version(request), by=request.user)
    return "Correction confirmed and published."


def _withdraw_correction(request: HttpRequest, verdict: Verdict) -> str:
    reviews.verdict_correction_withdraw(verdict_id=verdict.pk, expected_version=_version(request), by=request.user)
    return "Proposed correction withdrawn."


# What an editor does to the claim's verdict from the page: each through the review services.
_VERDICT_ACTIONS = {
    "publish": _publish,
    "correct": _correct,
    "retract": _retract,
    "correction_confirm": _confirm_correction,
    "correction_withdraw": _withdraw_correction,
}


def _decide_suggestion(request: HttpRequest, claim: Claim, *, confirm: bool) -> str:
    """A pending suggestion this claim is on (either side), confirmed (merged) or rejected."""
    suggestion = get_object_or_404(pending_suggestions(claim), pk=_posted_id(request, "suggestion"))
    if confirm:
        suggestion_confirm(suggestion_id=suggestion.pk, decided_by=request.user)
        return "Merged: the two claims are now one."
    suggestion_reject(suggestion_id=suggestion.pk, decided_by=request.user)
    return "Suggestion rejected: they stay two claims."


def _decide_review_match(request: HttpRequest, claim: Claim, *, confirm: bool) -> str:
    """Another desk's fact-check, linked to this claim or set aside (nothing of it enters our verdict)."""
    match_id = _posted_id(request, "match")
    if confirm:
        review_match_confirm(match_id=match_id, claim_id=claim.pk, decided_by=request.user)
        return "Linked: the other desk's fact-check is recorded as covering this claim."
    review_match_reject(match_id=match_id, claim_id=claim.pk, decided_by=request.user)
    return "Set aside: that fact-check is about another claim."


def _save_verdict(request: HttpRequest, claim: Claim) -> Verdict:
    rating = RatingLabel.objects.filter(slug=request.POST.get("rating", ""), is_active=True).first()
    summary = request.POST.get("summary", "").strip()
    if rating is None or not summary:
        raise reviews.WorkflowError("choose a rating and write a summary")
    cited = [int(pk) for pk in request.POST.getlist("cited") if pk.isdigit()]
    verdict_id = request.POST.get("verdict", "")
    if verdict_id.isdigit():
        return reviews.verdict_update(
            verdict_id=int(verdict_id),
            expected_version=_version(request),
            by=request.user,
            rating_id=rating.pk,
            summary=summary,
            cited_evidence_ids=cited,
        )
    # A first draft rates the wording the reviewer read: refused if the claim changed since.
    return reviews.verdict_draft(
        claim_id=claim.pk,
        by=request.user,
        rating_id=rating.pk,
        summary=summary,
        cited_evidence_ids=cited,
        expected_claim_version=_version(request, "claim_version"),
    )


def _posted_id(request: HttpRequest, name: str) -> int:
    """A row id the form posted; 0 (no row) for anything but digits, so a tampered form gets a 404."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _version(request: HttpRequest, name: str = "version") -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise reviews.WorkflowError("the form is missing the version it was loaded with; reload the page")
    return int(value)
