"""Reading other desks' fact-checks: schema.org ClaimReview from a page's markup or a JSON feed.
Pure: no Django import (services.imported_reviews stores what this reads).

- A page (HTML) is read as crawlers read it, with extruct: each ``<script type="application/ld+json">``
  block on its own (one broken block is refused with its reason, the others are still read) and the
  page's microdata (itemscope / itemprop).
- A JSON document is a ClaimReview, a list of them, an object holding them anywhere inside
  (``@graph``, ``itemListElement``, a DataFeed's ``dataFeedElement``, ``claimReview``...), or the
  answer of Google Fact Check Tools' ``claims:search`` (``{"claims": [{"text", "claimant",
  "claimDate", "claimReview": [{"publisher", "url", "textualRating", ...}]}]}``).

Wherever it is found, a ClaimReview is a node whose ``@type`` is, or lists, ClaimReview (nested in a
WebPage or an Article too). Its fields, as schema.org and Google's fact-check markup guide mean them:

- ``url``: the review's own page, its identity (relative URLs are read against the document's);
- ``author`` (else ``publisher``): the organisation that published it, its ``name`` and, from its
  ``url``, its site (a host name; the review URL's host when it gives none);
- ``claimReviewed``: the claim's text; ``itemReviewed`` (a Claim): its ``author`` (the claimant, a
  Person or Organization, or a plain name), ``datePublished`` (when the claim was made) and
  ``appearance`` / ``firstAppearance`` (CreativeWorks or URLs where it was made);
- ``reviewRating``: ``alternateName`` is the textual rating; ``ratingValue`` on the scale
  ``worstRating``..``bestRating``, which are 1 and 5 when not given (schema.org's defaults), so a
  value is never kept without the scale it was meant on;
- ``datePublished``: the review's date; ``name`` (else ``headline``): its title; ``inLanguage``.

A review is refused, with the reason, when it has no http(s) URL, no claim text, no publisher name or
no rating at all, when its rating lies outside its scale, or when a date it gives cannot be read.
Everything is bounded: a caller passes the byte cap it fetched under and the most reviews read from
one document; strings are cut to what the database keeps; URL-valued fields are kept only if http(s).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import extruct
from extruct.utils import parse_html

from factcheck.documents import strip_invisible_controls
from factcheck.fetching import JSON_CONTENT_TYPES, host_of

# The database's limits (models.ImportedReview); longer text is cut, a longer URL refused.
MAX_URL = 2000
MAX_PUBLISHER_NAME = 300
MAX_SITE = 253
MAX_TITLE = 500
MAX_CLAIMANT = 300
MAX_TEXTUAL_RATING = 300
MAX_LANGUAGE = 35
# A claim is a sentence or two; more is a page of text put in the wrong field.
MAX_CLAIM_TEXT = 5000
MAX_APPEARANCES = 50
# JSON nested deeper than this is not a feed of reviews (and recursing into it costs stack).
MAX_DEPTH = 12
# schema.org's Rating: "If bestRating is not present, it is assumed that 5 is used"; worstRating likewise 1.
DEFAULT_BEST_RATING = 5.0
DEFAULT_WORST_RATING = 1.0

HTML_TYPES = frozenset(["text/html", "application/xhtml+xml"])

_SPACE = re.compile(r"\s+")
# C0/C1 controls other than whitespace (PostgreSQL text cannot hold NUL); the invisible ones (bidirectional
# overrides, zero-width spaces) go as every text from outside goes (documents.strip_invisible_controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Unreadable(ValueError):
    """The document as a whole cannot be read (not JSON, not a page); the message says why."""


@dataclass(frozen=True)
class ReadReview:
    url: str
    publisher_name: str
    publisher_site: str
    title: str
    claim_text: str
    claimant: str
    claim_date: dt.date | None
    appearances: tuple[str, ...]
    textual_rating: str
    rating_value: float | None
    worst_rating: float | None
    best_rating: float | None
    review_date: dt.datetime | None
    language_code: str


@dataclass(frozen=True)
class Refusal:
    where: str  # the review's URL when it has one, else its place in the document ("review 3", "JSON-LD block 2")
    reason: str


@dataclass(frozen=True)
class ReadResult:
    reviews: tuple[ReadReview, ...]
    refused: tuple[Refusal, ...]


class _Refused(Exception):
    pass


def read_claimreviews(body: bytes, *, content_type: str, base_url: str, max_reviews: int) -> ReadResult:
    """The ClaimReviews a page or JSON document holds, each read or refused with its reason.

    content_type is the media type without parameters ("" when unknown: the body decides); base_url
    is where the document came from (relative URLs are read against it). The same review found twice
    (a page marking it up in JSON-LD and in microdata, say) is read once, as found first. Raises
    Unreadable when the document itself cannot be read.
    """
    refused: list[Refusal] = []
    kind = _kind(body, content_type)
    nodes = list(_json_nodes(body)) if kind == "json" else list(_page_nodes(body, base_url, refused))
    reviews: dict[str, ReadReview] = {}
    for position, node in enumerate(nodes, start=1):
        if len(reviews) >= max_reviews:
            refused.append(
                Refusal(where="document", reason=f"only the first {max_reviews} reviews of a document are read")
            )
            break
        try:
            review = _review(node, base_url)
        except _Refused as refusal:
            url = _url(node.get("url"), base_url)
            refusal_read = Refusal(where=url or f"review {position}", reason=str(refusal))
            if refusal_read not in refused:  # the same review marked up twice is refused once
                refused.append(refusal_read)
            continue
        reviews.setdefault(review.url, review)
    return ReadResult(reviews=tuple(reviews.values()), refused=tuple(refused))


def _kind(body: bytes, content_type: str) -> str:
    if content_type in JSON_CONTENT_TYPES:
        return "json"
    if content_type in HTML_TYPES:
        return "html"
    # No type, or a generic one (text/plain, a file): what the body starts with decides.
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"{", b"[") else "html"


# -- finding the ClaimReview nodes ---------------------------------------------------------------


def _json_nodes(body: bytes) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Unreadable("the JSON document is not UTF-8") from None
    except ValueError as error:
        raise Unreadable(f"not valid JSON ({error})") from None
    except RecursionError:
        raise Unreadable("the JSON document is nested too deeply") from None
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        yield from _google_claims(data["claims"])
        return
    yield from _claimreviews_in(data)


def _page_nodes(body: bytes, base_url: str, refused: list[Refusal]) -> Iterator[dict[str, Any]]:
    try:
        tree = parse_html(body, encoding="UTF-8")
    except (ValueError, TypeError) as error:  # lxml: an empty document, say
        raise Unreadable(f"not a readable page ({error})") from None
    if tree is None:
        raise Unreadable("not a readable page")
    # Each JSON-LD block on its own: extruct gives up on every block of a page when one is broken.
    for number, script in enumerate(tree.xpath('//script[@type="application/ld+json"]'), start=1):
        try:
            blocks = extruct.extract(script, base_url=base_url, syntaxes=["json-ld"], errors="strict")["json-ld"]
        except (ValueError, RecursionError) as error:
            refused.append(Refusal(where=f"JSON-LD block {number}", reason=f"not valid JSON ({error})"))
            continue
        yield from _claimreviews_in(blocks)
    microdata = extruct.extract(tree, base_url=base_url, syntaxes=["microdata"], uniform=True, errors="log")
    yield from _claimreviews_in(microdata.get("microdata", []))


def _claimreviews_in(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every node typed ClaimReview, wherever it is nested (not looking inside one)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _claimreviews_in(item, depth + 1)
    elif isinstance(data, dict):
        if "ClaimReview" in _types(data):
            yield data
            return
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _claimreviews_in(value, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    """The node's types by their local names: "ClaimReview", "schema:ClaimReview" and
    "http://schema.org/ClaimReview" are one type."""
    raw = node.get("@type", node.get("type", []))
    names = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:#]", name)[-1] for name in names if isinstance(name, str)}


def _google_claims(claims: list[Any]) -> Iterator[dict[str, Any]]:
    """Google Fact Check Tools' claims, as the ClaimReview nodes they stand for."""
    for claim in claims:
        if not isinstance(claim, dict) or not isinstance(claim.get("claimReview"), list):
            continue
        for review in claim["claimReview"]:
            if not isinstance(review, dict):
                continue
            publisher = _first_node(review.get("publisher"))
            site = publisher.get("site")
            yield {
                "@type": "ClaimReview",
                "url": review.get("url"),
                "name": review.get("title"),
                "claimReviewed": claim.get("text"),
                "author": {"name": publisher.get("name"), "url": f"https://{site}/" if isinstance(site, str) else None},
                "datePublished": review.get("reviewDate"),
                "inLanguage": review.get("languageCode"),
                "reviewRating": {"alternateName": review.get("textualRating")},
                "itemReviewed": {"author": {"name": claim.get("claimant")}, "datePublished": claim.get("claimDate")},
            }


# -- reading one ClaimReview ---------------------------------------------------------------------


def _review(node: dict[str, Any], base_url: str) -> ReadReview:
    url = _url(node.get("url"), base_url)
    if not url:
        raise _Refused("no http(s) URL of its own")
    if len(url) > MAX_URL:
        raise _Refused(f"its URL is longer than {MAX_URL} characters")
    claim_text = _text(node.get("claimReviewed"), MAX_CLAIM_TEXT)
    if not claim_text:
        raise _Refused("no claim text (claimReviewed)")
    publisher = _first_node(node.get("author")) or _first_node(node.get("publisher"))
    publisher_name = _text(publisher.get("name"), MAX_PUBLISHER_NAME)
    if not publisher_name:
        raise _Refused("no publisher (author or publisher with a name)")
    site = host_of(_url(publisher.get("url"), base_url) or url)
    claim = _first_node(node.get("itemReviewed"))
    textual, value, worst, best = _rating(_first_node(node.get("reviewRating")))
    appearances = [found for key in ("firstAppearance", "appearance") for found in _urls(claim.get(key), base_url)]
    return ReadReview(
        url=url,
        publisher_name=publisher_name,
        publisher_site=site[:MAX_SITE],
        title=_text(node.get("name") or node.get("headline"), MAX_TITLE),
        claim_text=claim_text,
        claimant=_text(_first_node(claim.get("author")).get("name"), MAX_CLAIMANT),
        claim_date=_date(claim.get("datePublished"), "the claim's date"),
        appearances=tuple(dict.fromkeys(appearances))[:MAX_APPEARANCES],
        textual_rating=textual,
        rating_value=value,
        worst_rating=worst,
        best_rating=best,
        review_date=_moment(node.get("datePublished"), "the review's date"),
        language_code=_language(node.get("inLanguage")),
    )


def _rating(rating: dict[str, Any]) -> tuple[str, float | None, float | None, float | None]:
    """(textual rating, value, worst, best); the scale is given with a value, never without one."""
    textual = _text(rating.get("alternateName"), MAX_TEXTUAL_RATING)
    raw_value = _scalar(rating.get("ratingValue"))
    if raw_value in (None, ""):
        if not textual:
            raise _Refused("no rating (neither alternateName nor ratingValue)")
        return textual, None, None, None
    value = _number(raw_value)
    if value is None:
        # Some publishers write the verdict itself in ratingValue ("False"): a textual rating.
        return textual or _text(raw_value, MAX_TEXTUAL_RATING), None, None, None
    best = _bound(rating.get("bestRating"), DEFAULT_BEST_RATING, "bestRating")
    worst = _bound(rating.get("worstRating"), DEFAULT_WORST_RATING, "worstRating")
    if worst >= best:
        raise _Refused(f"its rating scale {_shown(worst)} to {_shown(best)} is empty")
    if not worst <= value <= best:
        raise _Refused(f"its rating {_shown(value)} is outside its scale {_shown(worst)} to {_shown(best)}")
    return textual, value, worst, best


def _bound(raw: Any, default: float, name: str) -> float:
    raw = _scalar(raw)
    if raw in (None, ""):
        return default
    number = _number(raw)
    if number is None:
        raise _Refused(f"its {name} is not a number")
    return number


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    try:
        number = float(str(raw).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _shown(number: float) -> str:
    return f"{number:g}"


def _date(raw: Any, what: str) -> dt.date | None:
    moment = _moment(raw, what)
    return moment.date() if moment is not None else None


def _moment(raw: Any, what: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time (a date is read as its midnight, UTC; a time without offset as UTC)."""
    text = _text(_scalar(raw), 100)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Refused(f"{what} {text!r} cannot be read (ISO 8601 expected)") from None
    if moment.year < 1900:
        raise _Refused(f"{what} {text!r} is before 1900")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _language(raw: Any) -> str:
    """inLanguage: a code ("en", "pt-BR") or a Language node (its alternateName, else its name)."""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    if isinstance(raw, dict):
        raw = raw.get("alternateName") or raw.get("name")
    return _text(raw, MAX_LANGUAGE)


def _first_node(raw: Any) -> dict[str, Any]:
    """The first of one or several nodes; a plain string is a node with that name."""
    if isinstance(raw, list):
        raw = next((item for item in raw if isinstance(item, dict | str)), None)
    if isinstance(raw, str):
        return {"name": raw}
    return raw if isinstance(raw, dict) else {}


def _scalar(raw: Any) -> Any:
    """A property given as a list ("ratingValue": ["3"]) or a typed value ({"@value": "3"}): its first value."""
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if isinstance(raw, dict):
        raw = raw.get("@value")
    return raw


def _text(raw: Any, limit: int) -> str:
    raw = _scalar(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return ""
    text = _SPACE.sub(" ", _CONTROL.sub("", strip_invisible_controls(str(raw)))).strip()
    return text[:limit].rstrip()


def _url(raw: Any, base_url: str) -> str:
    """An absolute http(s) URL, or "" (a relative one is read against the document's URL)."""
    if isinstance(raw, dict):
        raw = raw.get("url") or raw.get("@id")
    text = _text(raw, MAX_URL + 1)
    if not text or " " in text:
        return ""
    try:
        absolute = urljoin(base_url, text)
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    return absolute if parts.scheme in ("http", "https") and parts.hostname else ""


def _urls(raw: Any, base_url: str) -> Iterator[str]:
    for item in raw if isinstance(raw, list) else [raw]:
        url = _url(item, base_url)
        if url and len(url) <= MAX_URL:
            yield url
