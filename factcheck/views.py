"""Public pages for readers (no sign-in): one per published fact-check."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck import selectors
from factcheck.claimreview import appearances_by_source, claim_review, json_ld_script
from factcheck.models import VerdictStatus
from factcheck.replicas import read_from_replica

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
            "url": appearance.source.url if (appearance.source.url or "").startswith(_LINKABLE_SCHEMES) else "",
            "published_at": appearance.source.published_at or appearance.appeared_at,
        }
        for appearance in appearances_by_source(verdict.claim)
    ]
    context = {
        "verdict": verdict,
        "claim": verdict.claim,
        "retracted": retracted,
        "corrected": verdict.status == VerdictStatus.CORRECTED,
        "appearances": appearances,
        "json_ld": None if retracted else json_ld_script(claim_review(verdict)),
    }
    return render(request, "factcheck/fact_check.html", context)
