"""Exports: the verdicts, the claim queue and the reviewers' stance corrections, as CSV or JSON.

Each export is defined once here (its columns, and what its rows load on top of the queryset it
is given) and served by the API (``GET /api/v1/verdicts/export/?format=csv``) and the admin (the
changelists' "Export" links) alike: the caller brings the queryset its own filters chose, so an
export holds what the list it comes from shows.

Streamed, so that memory stays flat however many rows (bench/exports.py): the rows are read with a
server-side cursor (``iterator(chunk_size=...)``), whatever a row counts is a subquery (never a
join that multiplies rows), what it lists is read once per chunk, and the response is written
a batch of rows at a time. Nothing here queries per row.

Claim texts, summaries and notes come from hostile articles: a CSV cell that a spreadsheet would
read as a formula is written as text (``csv_cell``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from factcheck import selectors
from factcheck.claimreview import public_url
from factcheck.roles import staff_name

T = TypeVar("T")

FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# Rows read from the database at a time (one round trip, plus one per prefetch); the rows of one
# chunk are all that is ever in memory.
CHUNK_SIZE = 2000
# Rows written to the client at a time: one write per row would cost more than the row.
ROWS_PER_WRITE = 500

# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Any], Any]
    schema: dict[str, Any]  # the JSON value's OpenAPI schema
    person: bool = False  # a user: named as staff_name names people to the viewer


@dataclass(frozen=True)
class Export:
    name: str  # names the file
    columns: tuple[Column, ...]
    # What the columns read, added to the caller's (filtered, ordered) queryset.
    load: Callable[[QuerySet[Any]], QuerySet[Any]]
    # What a row lists (a verdict's articles), read for a chunk of rows at once: one query a chunk.
    # (prefetch_related would do it too, at twice the time: a queryset made per row to hold it.)
    attach: Callable[[list[Any]], None] | None = None

    def rows(self, queryset: QuerySet[Any], *, to_reviewer: bool) -> Iterator[list[Any]]:
        people = [index for index, column in enumerate(self.columns) if column.person]
        for chunk in _batches(self.load(queryset).iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
            if self.attach is not None:
                self.attach(chunk)
            for obj in chunk:
                row = [column.value(obj) for column in self.columns]
                for index in people:
                    row[index] = staff_name(row[index], to_reviewer=to_reviewer)
                yield row

    def json_schema(self) -> dict[str, Any]:
        """The JSON export's OpenAPI schema: an array of objects, one per row."""
        properties = {column.name: column.schema for column in self.columns}
        return {"type": "array", "items": {"type": "object", "properties": properties, "required": list(properties)}}


# --- Column schemas -----------------------------------------------------------------------------

ID = {"type": "integer"}
TEXT = {"type": "string"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
URLS = {"type": "array", "items": {"type": "string", "format": "uri"}}


def _attr(name: str) -> Callable[[Any], Any]:
    def value(obj: Any) -> Any:
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj

    return value


# --- Verdicts -----------------------------------------------------------------------------------


VERDICT_FIELDS = (
    *("status", "slug", "summary", "correction_note", "published_at", "updated_at", "claim", "rating"),
    *("claim__text", "claim__claimant", "claim__claim_date", "rating__slug", "rating__name", "rating__value"),
)


def _load_verdicts(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return (
        queryset.select_related(None)  # the list's own (author, approver): not exported
        .select_related("claim", "rating")
        .only(*VERDICT_FIELDS)  # not the JSON fields, parsed for nothing
        .prefetch_related(None)  # the list's own (the cited evidence): counted instead
        .annotate(export_evidence_count=selectors.counted_cited_evidence())
    )


def _attach_appearance_urls(verdicts: list[Any]) -> None:
    """Each verdict's ``export_appearances``: the addresses of the articles its claim appeared in,
    oldest first, each once (never the articles' text)."""
    appearances = selectors.appearance_urls(claim_ids={verdict.claim_id for verdict in verdicts})
    urls: dict[int, dict[str, None]] = {}
    for claim_id, url in appearances:
        if url:
            urls.setdefault(claim_id, {})[url] = None
    for verdict in verdicts:
        verdict.export_appearances = list(urls.get(verdict.claim_id, ()))


VERDICTS = Export(
    name="verdicts",
    columns=(
        Column("id", _attr("pk"), ID),
        Column("url", public_url, nullable({"type": "string", "format": "uri"})),
        Column("status", _attr("status"), TEXT),
        Column("rating", _attr("rating.slug"), TEXT),
        Column("rating_name", _attr("rating.name"), TEXT),
        Column("rating_value", _attr("rating.value"), nullable(ID)),
        Column("summary", _attr("summary"), TEXT),
        Column("correction_note", _attr("correction_note"), TEXT),
        Column("published_at", _attr("published_at"), nullable(DATE_TIME)),
        Column("updated_at", _attr("updated_at"), DATE_TIME),
        Column("claim", _attr("claim_id"), ID),
        Column("claim_text", _attr("claim.text"), TEXT),
        Column("claimant", _attr("claim.claimant"), TEXT),
        Column("claim_date", _attr("claim.claim_date"), nullable(DATE)),
        Column("appearances", _attr("export_appearances"), URLS),
        Column("evidence_count", _attr("export_evidence_count"), ID),
    ),
    load=_load_verdicts,
    attach=_attach_appearance_urls,
)


# --- The claim queue ----------------------------------------------------------------------------


def _load_claims(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return (
        queryset.select_related("assignee")
        .defer("worthiness_reasons")
        .prefetch_related(None)  # the queue's current-verdict prefetch: a subquery here
        .annotate(outlet_count=selectors.counted_outlets(), export_current_verdict=selectors.current_verdict_id())
    )


CLAIMS = Export(
    name="claims",
    columns=(
        Column("id", _attr("pk"), ID),
        Column("text", _attr("text"), TEXT),
        Column("claimant", _attr("claimant"), TEXT),
        Column("claim_date", _attr("claim_date"), nullable(DATE)),
        Column("status", _attr("status"), TEXT),
        Column("assessment", _attr("assessment"), TEXT),
        Column("confidence", _attr("confidence"), nullable(NUMBER)),
        Column("check_worthiness", _attr("check_worthiness"), NUMBER),
        Column("priority", _attr("priority"), NUMBER),
        Column("appearance_count", _attr("appearance_count"), ID),
        Column("outlet_count", _attr("outlet_count"), ID),
        Column("has_new_evidence", _attr("has_new_evidence"), BOOLEAN),
        Column("assignee", _attr("assignee"), nullable(TEXT), person=True),
        Column("current_verdict", _attr("export_current_verdict"), nullable(ID)),
        Column("created_at", _attr("created_at"), DATE_TIME),
        Column("updated_at", _attr("updated_at"), DATE_TIME),
    ),
    load=_load_claims,
)


# --- Stance corrections -------------------------------------------------------------------------


def _load_corrections(queryset: QuerySet[Any]) -> QuerySet[Any]:
    # The outlet and address through foreign keys (one row each), never the article's text.
    return queryset.select_related("corrected_by").annotate(
        export_outlet=F("passage__source__outlet__name"), export_source_url=F("passage__source__url")
    )


STANCE_CORRECTIONS = Export(
    name="stance-corrections",
    columns=(
        Column("id", _attr("pk"), ID),
        Column("corrected_at", _attr("corrected_at"), DATE_TIME),
        Column("corrected_by", _attr("corrected_by"), nullable(TEXT), person=True),
        Column("claim", _attr("claim_id"), ID),
        Column("claim_text", _attr("claim_text"), TEXT),
        Column("passage", _attr("passage_id"), ID),
        Column("passage_text", _attr("passage_text"), TEXT),
        Column("outlet", _attr("export_outlet"), TEXT),
        Column("source_url", _attr("export_source_url"), nullable(TEXT)),
        Column("evidence", _attr("evidence_id"), nullable(ID)),
        Column("machine_stance", _attr("machine_stance"), TEXT),
        Column("machine_reason", _attr("machine_reason"), TEXT),
        Column("human_stance", _attr("human_stance"), TEXT),
        Column("note", _attr("note"), TEXT),
    ),
    load=_load_corrections,
)


# --- Writers ------------------------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``
    (shown, not run); lists are joined with spaces (URLs hold none); dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written to it: csv.writer's row, as text."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(export: Export, rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield writer.writerow([column.name for column in export.columns]).encode()
    for batch in _batches(rows, ROWS_PER_WRITE):
        yield "".join(writer.writerow([csv_cell(value) for value in row]) for row in batch).encode()


def json_chunks(export: Export, rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """A JSON array, one object per row (one per line), written as the rows come."""
    names = [column.name for column in export.columns]
    separator = b"[\n"
    for batch in _batches(rows, ROWS_PER_WRITE):
        objects = [orjson.dumps(dict(zip(names, row, strict=True))) for row in batch]
        yield separator + b",\n".join(objects)
        separator = b",\n"
    yield b"]\n" if separator != b"[\n" else b"[]\n"


WRITERS = {"csv": csv_chunks, "json": json_chunks}


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def _each_in_request_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Under ASGI, each chunk made in the request's own thread (thread-sensitive), where its database
    connection and cursor live: given a synchronous iterator, Django's ASGI handler would read it
    whole into memory before sending the first byte."""

    def advance() -> bytes | None:
        return next(chunks, None)

    step = sync_to_async(advance, thread_sensitive=True)
    while (chunk := await step()) is not None:
        yield chunk


def streaming_response(
    export: Export, queryset: QuerySet[Any], *, file_format: str, request: Any, to_reviewer: bool
) -> StreamingHttpResponse:
    """The export of ``queryset`` as a file to download, in ``file_format`` (one of FORMATS)."""
    chunks = WRITERS[file_format](export, export.rows(queryset, to_reviewer=to_reviewer))
    django_request = getattr(request, "_request", request)  # a DRF request wraps Django's
    content = _each_in_request_thread(chunks) if isinstance(django_request, ASGIRequest) else chunks
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[file_format])
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{export.name}-{day}.{file_format}"'
    # Drafts and reviewers' notes: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
