"""Public pages for readers (no sign-in): one per published fact-check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck import selectors
from factcheck.claimreview import appearances_by_source, claim_review, fact_check_title, json_ld_script
from factcheck.models import VerdictStatus
from factcheck.replicas import read_from_replica
from factcheck.roles import public_name

# Only these schemes become links; anything else stored as a source URL is shown as text.
_LINKABLE_SCHEMES = ("http://", "https://")


@require_safe
def fact_check_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/fact-checks/<slug>/: the claim, its rating, summary, correction and appearances, with
    the ClaimReview JSON-LD. A retracted fact-check says so, with its note and no markup
    (Google asks for the markup of retracted reviews to be removed); drafts, approved
    verdicts and unknown slugs are 404."""
    read_from_replica(request.user)
    verdict = selectors.public_verdict(slug)
    if verdict is None:
        raise Http404("No published fact-check at this address.")
    retracted = verdict.status == VerdictStatus.RETRACTED
    appearances = [
        {
            "outlet": appearance.source.outlet.name,
            "title": appearance.source.title or appearance.source.url or "",
            "url": _linkable(appearance.source.url),
            "published_at": appearance.source.published_at or appearance.appeared_at,
        }
        for appearance in appearances_by_source(verdict.claim)
    ]
    corrections = selectors.verdict_corrections(verdict)
    context = {
        "verdict": verdict,
        "claim": verdict.claim,
        "retracted": retracted,
        "corrected": verdict.status == VerdictStatus.CORRECTED,
        "title": fact_check_title(verdict),
        "appearances": appearances,
        "organization": {
            "name": settings.FACTCHECK_ORGANIZATION_NAME,
            "url": _linkable(settings.FACTCHECK_ORGANIZATION_URL),
            "logo": settings.FACTCHECK_ORGANIZATION_LOGO,
        },
        "reviewer": public_name(verdict.author),
        "cited": [_cited(evidence) for evidence in selectors.cited_evidence(verdict)],
        "corrections": corrections,
        "updated_at": corrections[-1][0] if corrections else None,
        # New evidence against the published rating is being reviewed: readers are told so.
        "under_review": verdict.is_stale or verdict.claim.has_new_evidence,
        "json_ld": None if retracted else json_ld_script(claim_review(verdict)),
    }
    return render(request, "factcheck/fact_check.html", context)


def _linkable(url: str | None) -> str:
    """The URL when it is one a reader may follow (http or https); "" otherwise."""
    return url if url and url.startswith(_LINKABLE_SCHEMES) else ""


def _cited(evidence: Any) -> dict[str, Any]:
    source = evidence.passage.source
    return {
        "outlet": source.outlet.name,
        "title": source.title,
        "url": _linkable(source.url),
        "published_at": source.published_at,
        "passage": evidence.passage.text,
    }
