"""schema.org ClaimReview for published fact-checks, as Google's fact-check markup guide asks.

``claim_review(verdict)`` returns the JSON-LD object: the required fields (``claimReviewed``,
``reviewRating`` with ``alternateName``, ``url``, ``author``) and the recommended ones
(``datePublished``, ``itemReviewed``: the Claim with its author, date, appearances and first
appearance). Only published and corrected verdicts have one: Google asks publishers to remove
the markup of a retracted review, and drafts are not public.

``json_ld_script(data)`` serialises it into a ``<script type="application/ld+json">`` element
that article text cannot break out of.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from factcheck import selectors
from factcheck.models import ON_RECORD_VERDICT_STATUSES, PUBLIC_VERDICT_STATUSES, Claim, ClaimAppearance, Verdict

# The default scale's bounds (migration 0003), used when no active label carries a number.
DEFAULT_WORST_RATING = 1
DEFAULT_BEST_RATING = 5

JsonLd = dict[str, Any]


class NotPublished(Exception):
    """The verdict has no public ClaimReview: it is not published or corrected, or has no slug."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        if verdict.status not in PUBLIC_VERDICT_STATUSES:
            reason = f"its status is {verdict.status!r}, not published or corrected"
        else:
            reason = "it has no slug, so no public page"
        super().__init__(f"Verdict {verdict.pk} has no ClaimReview: {reason}.")


def fact_check_url(verdict: Verdict) -> str:
    """The absolute address of the verdict's public page."""
    path = reverse("fact-check", kwargs={"slug": verdict.slug})
    return settings.FACTCHECK_PUBLIC_BASE_URL.rstrip("/") + path


def fact_check_title(verdict: Verdict) -> str:
    """The title of a published fact-check: its page's, and claims:search's ``title``."""
    return f"Fact-check: {verdict.rating.name} — {Truncator(verdict.claim.text).chars(80)}"


def public_url(verdict: Verdict) -> str | None:
    """The address of the verdict's public page, if it has one (on record, with a slug)."""
    if not verdict.slug or verdict.status not in ON_RECORD_VERDICT_STATUSES:
        return None
    return fact_check_url(verdict)


def claim_review(verdict: Verdict) -> JsonLd:
    """The ClaimReview JSON-LD object of a published or corrected verdict; raises NotPublished
    otherwise. A verdict loaded by ``selectors.verdict_with_claim_and_appearances`` (or
    ``published_verdict_for_review``) costs one more query (the rating scale's bounds); any
    other is reloaded that way first, so the cost never grows with the appearances."""
    if not _is_loaded(verdict) and verdict.status in PUBLIC_VERDICT_STATUSES:
        verdict = selectors.verdict_with_claim_and_appearances(verdict.pk)
    if verdict.status not in PUBLIC_VERDICT_STATUSES or not verdict.slug:
        raise NotPublished(verdict)
    assert verdict.published_at is not None  # a database constraint for published/corrected verdicts

    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": fact_check_url(verdict),
        "claimReviewed": verdict.claim.text,
        "datePublished": _iso_date(verdict.published_at),
        "author": organization(),
        "reviewRating": _review_rating(verdict),
        "itemReviewed": _item_reviewed(verdict.claim),
    }


def organization() -> JsonLd:
    """The publisher, as ClaimReview's ``author``: the organisation, never the reviewer (settings)."""
    author: JsonLd = {"@type": "Organization", "name": settings.FACTCHECK_ORGANIZATION_NAME}
    if settings.FACTCHECK_ORGANIZATION_URL:
        author["url"] = settings.FACTCHECK_ORGANIZATION_URL
    if settings.FACTCHECK_ORGANIZATION_LOGO:
        author["logo"] = urljoin(settings.FACTCHECK_PUBLIC_BASE_URL + "/", settings.FACTCHECK_ORGANIZATION_LOGO)
    return author


def json_ld_script(data: JsonLd) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``.

    ``<``, ``>`` and ``&`` are written as JSON escapes (``\\u003C`` …), as Django's
    ``json_script`` does, so text such as ``</script>`` or ``<!--`` inside a claim cannot end
    the element or open a comment; the JSON still parses to the same object. (``json_script``
    itself always writes ``type="application/json"``, which search engines do not read.)
    """
    text = json.dumps(data, ensure_ascii=True, sort_keys=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def appearances_by_source(claim: Claim) -> list[ClaimAppearance]:
    """One appearance per source (its earliest), earliest first, undated ones last; read from
    the prefetched ``claim.appearances``."""
    seen: set[int] = set()
    distinct: list[ClaimAppearance] = []
    for appearance in sorted(claim.appearances.all(), key=_appearance_order):
        if appearance.source_id not in seen:
            seen.add(appearance.source_id)
            distinct.append(appearance)
    return distinct


# --- Parts -------------------------------------------------------------------------------------


def _is_loaded(verdict: Verdict) -> bool:
    """True when the claim, rating and appearances were loaded with the verdict."""
    for name in ("claim", "rating"):
        if not Verdict._meta.get_field(name).is_cached(verdict):  # type: ignore[union-attr]
            return False
    return "appearances" in getattr(verdict.claim, "_prefetched_objects_cache", {})


def _review_rating(verdict: Verdict) -> JsonLd:
    rating: JsonLd = {"@type": "Rating"}
    value = verdict.rating.value
    if value is not None:
        worst, best = selectors.rating_scale_bounds() or (DEFAULT_WORST_RATING, DEFAULT_BEST_RATING)
        # A label taken off the scale after the verdict used it still has to lie within the bounds.
        rating.update(ratingValue=value, bestRating=max(best, value), worstRating=min(worst, value))
    # Labels outside the numeric scale ("Unproven") carry only their name, as Google allows.
    rating["alternateName"] = verdict.rating.name
    return rating


def _item_reviewed(claim: Claim) -> JsonLd:
    item: JsonLd = {"@type": "Claim"}
    if claim.claimant.strip():
        item["author"] = {"@type": _claimant_type(claim), "name": claim.claimant.strip()}
    first = selectors.first_appearance(claim)
    appearances = appearances_by_source(claim)
    if first is None and appearances:
        first = appearances[0]
    claim_date = claim.claim_date or (_appearance_date(first) if first is not None else None)
    if claim_date is not None:
        item["datePublished"] = claim_date.isoformat()
    if appearances:
        item["appearance"] = [_creative_work(appearance) for appearance in appearances]
    if first is not None:
        item["firstAppearance"] = _creative_work(first)
    return item


def _creative_work(appearance: ClaimAppearance) -> JsonLd:
    source = appearance.source
    work: JsonLd = {"@type": "CreativeWork"}
    if source.url:
        work["url"] = source.url
    if source.title.strip():
        work["headline"] = source.title.strip()
    published = _appearance_date(appearance)
    if published is not None:
        work["datePublished"] = published.isoformat()
    work["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return work


def _appearance_date(appearance: ClaimAppearance) -> date | None:
    moment = appearance.source.published_at or appearance.appeared_at
    return _local_date(moment) if moment is not None else None


def _appearance_order(appearance: ClaimAppearance) -> tuple[bool, datetime, int]:
    moment = appearance.appeared_at or appearance.source.published_at
    return (moment is None, moment or datetime.min.replace(tzinfo=timezone.get_fixed_timezone(0)), appearance.pk)


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _iso_date(moment: datetime) -> str:
    return _local_date(moment).isoformat()


# Words that name an institution rather than a person ("the Defence Ministry", "Korvan army").
_ORGANIZATION_WORDS = re.compile(
    r"\b(ministry|ministries|government|army|armed forces|forces|military|navy|police|agency|office|"
    r"department|council|committee|commission|parliament|assembly|senate|congress|party|union|"
    r"association|federation|embassy|administration|authority|authorities|command|headquarters|"
    r"company|corporation|corp|inc|ltd|group|institute|university|organi[sz]ation|bank|court|"
    r"presidency|kremlin|pentagon|white house|press service|news agency)\b",
    re.IGNORECASE,
)
# Words that make the claimant a person even beside an institution ("a ministry spokesman").
_PERSON_WORDS = re.compile(
    r"\b(spokes(?:man|woman|person)|minister|president|secretary|general|commander|officer|"
    r"official|director|chief|mr|mrs|ms|dr)\b\.?",
    re.IGNORECASE,
)


def _claimant_type(claim: Claim) -> str:
    """``Organization`` for an institution or one of the outlets it appeared in, else ``Person``."""
    name = claim.claimant.strip()
    outlets = {appearance.source.outlet.name.casefold() for appearance in claim.appearances.all()}
    if name.casefold() in outlets:
        return "Organization"
    if _ORGANIZATION_WORDS.search(name) and not _PERSON_WORDS.search(name):
        return "Organization"
    return "Person"
