"""Ingesting articles: one transaction per source, the same article never twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from factcheck import task_names
from factcheck.documents import Document
from factcheck.fetching import host_of
from factcheck.models import Outlet, Source, SourceRevision
from factcheck.services.dispatch import enqueue_on_commit

_validate_url = URLValidator(schemes=["http", "https"])


class IngestRefused(Exception):
    """The document cannot become a source as given; the message says why."""


class Outcome(StrEnum):
    CREATED = "created"
    # The same article again (same text from the same outlet): the stored source is it.
    DUPLICATE = "duplicate"
    # Not stored, because storing it would lose something: identical text from ANOTHER
    # outlet (one text is one source), or a stored URL with other text (the stored text is
    # kept). ``detail`` names the source in the way and why; nothing is changed.
    CONFLICT = "conflict"


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    source: Source
    detail: str


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_ingest(
    *,
    document: Document,
    outlet_name: str = "",
    url: str = "",
    published_at: dt.datetime | dt.date | None = None,
    file_name: str = "",
) -> IngestResult:
    """Store a document as a Source and queue its splitting into passages.

    Values given here override the document's own metadata. Ingesting text that is
    already stored (same normalised content) changes nothing and says which source holds
    it: a DUPLICATE from the same outlet, a CONFLICT from another outlet. A URL that is
    already stored with other text is a CONFLICT too: the stored text is kept.
    """
    url = (url or document.url).strip()
    if url:
        _check_url(url)
    outlet_name = (outlet_name or document.outlet or _domain(url)).strip()
    if not outlet_name:
        raise IngestRefused("no outlet: give one (--outlet, --outlet-from-filename) or put it in the file's metadata")
    digest = content_hash(document.text)

    existing = _existing_source(digest, url, outlet_name[:200])
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            outlet, _ = Outlet.objects.get_or_create(name=outlet_name[:200], defaults={"domain": _domain(url)})
            source = Source.objects.create(
                outlet=outlet,
                url=url or None,
                title=document.title[:500],
                author=document.author[:300],
                published_at=_aware(published_at or document.published),
                text=document.text,
                content_hash=digest,
                format=document.format,
                file_name=file_name[:500],
            )
            enqueue_on_commit(task_names.SPLIT_SOURCE, source.pk)
    except IntegrityError:
        # Another ingest of the same article won the race between our check and insert.
        existing = _existing_source(digest, url, outlet_name[:200])
        if existing is None:
            raise
        return existing
    return IngestResult(Outcome.CREATED, source, f"source {source.pk} from {outlet.name}")


def source_revise(*, source_id: int, document: Document) -> SourceRevision | None:
    """Record a later text of a stored article (its outlet edited it) as a revision of it; None when
    the text is the one stored, or a revision already recorded. The source's own text, passages and
    checks are left as they were: they are what its claims were computed from."""
    digest = content_hash(document.text)
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source_id)
        if digest == source.content_hash or source.revisions.filter(content_hash=digest).exists():
            return None
        return SourceRevision.objects.create(
            source=source, text=document.text, content_hash=digest, title=document.title[:500]
        )


def _existing_source(digest: str, url: str, outlet_name: str) -> IngestResult | None:
    same_text = Source.objects.select_related("outlet").filter(content_hash=digest).first()
    if same_text is not None:
        if same_text.outlet.name != outlet_name:
            return IngestResult(
                Outcome.CONFLICT,
                same_text,
                f"the same text is already stored as source {same_text.pk} from {same_text.outlet.name}; "
                f"one text is stored once, so this copy from {outlet_name} was not stored",
            )
        return IngestResult(Outcome.DUPLICATE, same_text, f"already ingested as source {same_text.pk}")
    same_url = Source.objects.select_related("outlet").filter(url=url).first() if url else None
    if same_url is not None:
        return IngestResult(
            Outcome.CONFLICT,
            same_url,
            f"this URL is already stored as source {same_url.pk} from {same_url.outlet.name} with other text; "
            "the stored text was kept and this text was not stored",
        )
    return None


def _check_url(url: str) -> None:
    try:
        _validate_url(url)
    except ValidationError:
        raise IngestRefused(f"invalid URL {url!r}: give an absolute http(s) URL") from None
    if len(url) > 2000:
        raise IngestRefused("URL longer than 2,000 characters")


def _domain(url: str) -> str:
    return host_of(url).removeprefix("www.")


def _aware(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    """Dates become midnight in the configured time zone; naive datetimes are read in it too."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
