"""The claim review page: everything a reviewer needs to rate one claim, on one screen.

The claim and where it appeared; the automatic assessment and when it was computed; the
evidence grouped by independent origin and outlet, with the words that decided each stance
highlighted in place; a table of the figures when they differ; where a quotation appears
verbatim, re-worded or not at all; the verdict form; and the history. Article text is
hostile input: it is escaped piece by piece, and only our own markup is marked safe.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from factcheck import selectors
from factcheck.crosscheck.assess import vouchers
from factcheck.crosscheck.independence import origin_groups
from factcheck.crosscheck.stance import ClaimText, analyse_claim
from factcheck.history import history_changes
from factcheck.models import CheckRun, Claim, ClaimAppearance, Evidence, RatingLabel, Verdict
from factcheck.roles import can_publish, can_review
from factcheck.services import reviews
from factcheck.services.checks import claim_check_request

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


def marked_difference(claimed: str, found: str) -> SafeString:
    """The found wording against the claimed one, word by word: <del> what the claim has and
    the passage lacks, <ins> what the passage says instead."""
    old, new = claimed.split(), found.split()
    pieces = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
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
    value: str
    qualifier: str
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


def figure_rows(evidence: Sequence[Evidence]) -> list[FigureRow]:
    rows = []
    for item in evidence:
        figure = item.details.get("evidence_figure")
        if not figure:
            continue
        rows.append(
            FigureRow(
                value=str(item.details.get("evidence_value") or figure.get("text", "")),
                qualifier=str(figure.get("qualifier", "")),
                outlet=item.passage.source.outlet.name,
                passage=highlight(item.passage.text, item.spans, item.stance),
                stance=item.stance,
            )
        )
    return rows


def claim_figure(evidence: Sequence[Evidence]) -> tuple[str, str]:
    """How the claim itself states the figure that was compared, and its qualifier."""
    for item in evidence:
        figure = item.details.get("claim_figure")
        if figure:
            return str(item.details.get("claim_value") or figure.get("text", "")), str(figure.get("qualifier", ""))
    return "", ""


def quote_rows(evidence: Sequence[Evidence]) -> list[QuoteRow]:
    rows = []
    for item in evidence:
        if item.reason not in QUOTE_REASONS:
            continue
        claimed = str(item.details.get("quotation", ""))
        span = next((s for s in item.spans if s.get("label") == "quotation"), None)
        found = item.passage.text[span["start"] : span["end"]] if span else ""
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


def workspace_context(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    run = selectors.latest_check(claim)
    evidence = list(selectors.check_run_evidence(run)) if run else []
    for item in evidence:
        item.highlighted = highlight(item.passage.text, item.spans, item.stance)  # type: ignore[attr-defined]
    decided = [e for e in evidence if e.stance in ("supports", "conflicts")]
    verdict = claim.verdicts.filter(is_current=True).select_related("rating", "author").first()
    figures = figure_rows(decided)
    claimed_value, claimed_qualifier = claim_figure(decided)
    quotations = [q.text for q in analyse_claim(ClaimText(claim.text, claim.claimant)).quotations]
    quoted_outlets = {row.outlet for row in quote_rows(evidence)}
    examined = sorted({e.passage.source.outlet.name for e in evidence} - quoted_outlets)
    return {
        **admin.site.each_context(request),
        "claim": claim,
        "appearances": list(claim.appearances.all()),
        "first_appearance": selectors.first_appearance(claim),
        "run": run,
        "searched": searched_text(run.searched) if run else "",
        "pending_check": claim.check_runs.filter(status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]).exists(),
        "origins": group_by_origin(evidence),
        "figures": figures,
        "figures_differ": any(row.stance == "conflicts" for row in figures),
        "claimed_value": claimed_value,
        "claimed_qualifier": claimed_qualifier,
        "quotations": quotations,
        "quote_rows": quote_rows(evidence),
        "quote_absent_in": examined if quotations else [],
        "evidence": evidence,
        "verdict": verdict,
        "cited": set(verdict.cited_evidence.values_list("pk", flat=True)) if verdict else set(),
        "ratings": RatingLabel.objects.filter(is_active=True),
        "can_publish": can_publish(request.user),
        "contributed": bool(verdict and verdict.contributors.filter(pk=request.user.pk).exists()),
        "history": history_changes(claim.history.select_related("history_user")[:30]),
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
        elif action == "publish":
            verdict = get_object_or_404(Verdict, pk=request.POST.get("verdict"), claim=claim)
            reviews.verdict_publish(verdict_id=verdict.pk, expected_version=_version(request), by=request.user)
            messages.success(request, "Verdict published.")
        else:
            messages.error(request, "Unknown action.")
    except reviews.WorkflowError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(here)


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


def _version(request: HttpRequest, name: str = "version") -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise reviews.WorkflowError("the form is missing the version it was loaded with; reload the page")
    return int(value)
