"""Exports (factcheck/exports.py): what each row holds, that spreadsheets never run a cell, and that
the cost in queries does not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.client import AsyncRequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factcheck import exports, selectors
from factcheck.claimreview import fact_check_url
from factcheck.models import (
    CheckRun,
    Claim,
    ClaimAppearance,
    Evidence,
    Outlet,
    Passage,
    RatingLabel,
    Source,
    StanceCorrection,
    Verdict,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale")]


# --- Cells ----------------------------------------------------------------------------------------

FORMULA_CELLS = [
    ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Twelve died = a lie", "Twelve died = a lie"),  # only the first character counts
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), FORMULA_CELLS)
def test_it_writes_text_a_spreadsheet_would_run_as_text(text: str, expected: str) -> None:
    assert exports.csv_cell(text) == expected


def test_it_leaves_numbers_dates_and_flags_as_they_are() -> None:
    moment = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    assert exports.csv_cell(-0.5) == -0.5  # a negative number is a number, not a formula
    assert exports.csv_cell(None) == ""
    assert exports.csv_cell(True) == "true"
    assert exports.csv_cell(moment) == "2026-03-01T09:30:00+00:00"
    assert exports.csv_cell(["https://a.example/1", "https://b.example/2"]) == "https://a.example/1 https://b.example/2"
    assert exports.csv_cell(["-1 trick"]) == "'-1 trick"


# --- Rows -----------------------------------------------------------------------------------------


def _verdict(n: int, *, status: str = "published", urls: tuple[str, ...] = (), cited: int = 0) -> Verdict:
    outlet, _ = Outlet.objects.get_or_create(name="Harbour Herald")
    claim = Claim.objects.create(text=f"Claim {n}: =1+1", claimant="Mayor", claim_date="2026-02-01")
    for position, url in enumerate(urls):
        source = Source.objects.create(
            outlet=outlet, text=f"Text {n} {position}", content_hash=f"{n:032}{position:032}", url=url
        )
        passage = Passage.objects.create(source=source, position=0, text="x", start_offset=0, end_offset=1)
        ClaimAppearance.objects.create(claim=claim, passage=passage, source=source, appeared_at=source.ingested_at)
    published = timezone.now() if status in ("published", "corrected", "retracted") else None
    verdict = Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug="false"),
        summary=f"Summary {n}",
        status=status,
        published_at=published,
        slug=f"claim-{n}" if published else None,
        correction_note="@note" if status == "corrected" else "",
    )
    if cited:
        run = CheckRun.objects.create(claim=claim, status="succeeded")
        source = Source.objects.create(outlet=outlet, text=f"Evidence {n}", content_hash=f"e{n:063}")
        for position in range(cited):
            passage = Passage.objects.create(source=source, position=position, text="y", start_offset=0, end_offset=1)
            evidence = Evidence.objects.create(run=run, passage=passage, stance="conflicts", reason="denial")
            verdict.cited_evidence.add(evidence)
        # Evidence the check found and the verdict does not cite: not counted.
        passage = Passage.objects.create(source=source, position=cited, text="z", start_offset=0, end_offset=1)
        Evidence.objects.create(run=run, passage=passage, stance="mentions", reason="attributed")
    return verdict


def _export(export: exports.Export, queryset: Any, file_format: str, *, to_reviewer: bool = True) -> bytes:
    response = exports.streaming_response(
        export, queryset, file_format=file_format, request=RequestFactory().get("/"), to_reviewer=to_reviewer
    )
    return b"".join(response)


def test_it_exports_a_verdict_with_its_claim_appearances_and_evidence_count() -> None:
    verdict = _verdict(1, urls=("https://a.example/1", "https://b.example/2"), cited=2)
    rows = json.loads(_export(exports.VERDICTS, selectors.verdicts_for_api(public_only=True), "json"))
    assert verdict.published_at is not None
    assert rows == [
        {
            "id": verdict.pk,
            "url": fact_check_url(verdict),
            "status": "published",
            "rating": "false",
            "rating_name": verdict.rating.name,
            "rating_value": verdict.rating.value,
            "summary": "Summary 1",
            "correction_note": "",
            "published_at": verdict.published_at.isoformat(),
            "updated_at": Verdict.objects.get(pk=verdict.pk).updated_at.isoformat(),
            "claim": verdict.claim_id,
            "claim_text": "Claim 1: =1+1",
            "claimant": "Mayor",
            "claim_date": "2026-02-01",
            "appearances": ["https://a.example/1", "https://b.example/2"],
            "evidence_count": 2,
        }
    ]


def test_it_counts_evidence_without_multiplying_rows() -> None:
    _verdict(1, urls=("https://a.example/1", "https://b.example/2", "https://c.example/3"), cited=3)
    _verdict(2)
    rows = json.loads(_export(exports.VERDICTS, selectors.verdicts_for_api(public_only=False), "json"))
    assert sorted((row["claim_text"], row["evidence_count"], len(row["appearances"])) for row in rows) == [
        ("Claim 1: =1+1", 3, 3),
        ("Claim 2: =1+1", 0, 0),
    ]


def test_it_writes_a_csv_a_spreadsheet_reads_safely() -> None:
    _verdict(1, status="corrected", urls=("https://a.example/1", "https://b.example/2"))
    text = _export(exports.VERDICTS, selectors.verdicts_for_api(public_only=True), "csv").decode()
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == [column.name for column in exports.VERDICTS.columns]
    cells = dict(zip(header, row, strict=True))
    assert cells["claim_text"] == "Claim 1: =1+1"
    assert cells["correction_note"] == "'@note"
    assert cells["appearances"] == "https://a.example/1 https://b.example/2"
    assert cells["published_at"].endswith("+00:00")


def test_an_empty_export_is_a_header_or_an_empty_array() -> None:
    queryset = selectors.verdicts_for_api(public_only=True)
    assert _export(exports.VERDICTS, queryset, "csv").decode().strip() == ",".join(
        column.name for column in exports.VERDICTS.columns
    )
    assert json.loads(_export(exports.VERDICTS, queryset, "json")) == []


def test_it_names_people_as_the_api_does() -> None:
    person = get_user_model().objects.create_user("rita.r", first_name="Rita", last_name="Ruiz")
    Claim.objects.create(text="Assigned", status="needs_review", assignee=person)
    queryset = selectors.claim_queue(public_only=False)
    reviewer = json.loads(_export(exports.CLAIMS, queryset, "json", to_reviewer=True))
    reader = json.loads(_export(exports.CLAIMS, queryset, "json", to_reviewer=False))
    assert reviewer[0]["assignee"] == "rita.r"
    assert reader[0]["assignee"] == "Rita Ruiz"


def test_it_exports_stance_corrections_with_their_outlet_and_address() -> None:
    verdict = _verdict(1, urls=("https://a.example/1",))
    appearance = verdict.claim.appearances.get()
    correction = StanceCorrection.objects.create(
        claim=verdict.claim,
        passage=appearance.passage,
        claim_text="=cmd",
        passage_text="The mayor denied it.",
        machine_stance="supports",
        human_stance="conflicts",
        note="A denial.",
    )
    rows = json.loads(_export(exports.STANCE_CORRECTIONS, selectors.stance_corrections(), "json"))
    assert rows[0]["id"] == correction.pk
    assert (rows[0]["outlet"], rows[0]["source_url"]) == ("Harbour Herald", "https://a.example/1")
    text = _export(exports.STANCE_CORRECTIONS, selectors.stance_corrections(), "csv").decode()
    assert "'=cmd" in text


# --- Cost -----------------------------------------------------------------------------------------


def _queries(export: exports.Export, queryset: Any, file_format: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _export(export, queryset, file_format)
    return len(queries.captured_queries)


@pytest.mark.parametrize("file_format", exports.FORMATS)
def test_it_costs_the_same_queries_for_3_verdicts_as_for_30(file_format: str) -> None:
    for n in range(3):
        _verdict(n, urls=(f"https://a.example/{n}", f"https://b.example/{n}"), cited=1)
    few = _queries(exports.VERDICTS, selectors.verdicts_for_api(public_only=False), file_format)
    for n in range(3, 30):
        _verdict(n, status="corrected", urls=(f"https://a.example/{n}",), cited=2)
    many = _queries(exports.VERDICTS, selectors.verdicts_for_api(public_only=False), file_format)
    assert few == many == 2  # the verdicts with claim and rating, then their claims' appearances


def test_it_costs_the_same_queries_for_3_claims_as_for_30() -> None:
    person = get_user_model().objects.create_user("rita")
    for n in range(3):
        Claim.objects.create(text=f"Claim {n}", status="needs_review", assignee=person)
    few = _queries(exports.CLAIMS, selectors.claim_queue(public_only=False), "csv")
    for n in range(3, 30):
        _verdict(n)
        Claim.objects.create(text=f"Open {n}", status="needs_review", assignee=person)
    many = _queries(exports.CLAIMS, selectors.claim_queue(public_only=False), "csv")
    assert few == many == 1


# --- Streaming --------------------------------------------------------------------------------------


def test_it_streams_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "ROWS_PER_WRITE", 4)
    for n in range(10):
        _verdict(n)
    response = exports.streaming_response(
        exports.VERDICTS,
        selectors.verdicts_for_api(public_only=False),
        file_format="json",
        request=RequestFactory().get("/"),
        to_reviewer=True,
    )
    chunks = list(response)
    assert len(chunks) == 4  # 4 + 4 + 2 rows, then the closing bracket
    assert len(json.loads(b"".join(chunks))) == 10
    assert response["Content-Disposition"].startswith('attachment; filename="verdicts-')


def test_under_asgi_it_streams_asynchronously_rather_than_being_read_whole() -> None:
    _verdict(1)
    response = exports.streaming_response(
        exports.VERDICTS,
        selectors.verdicts_for_api(public_only=False),
        file_format="csv",
        request=AsyncRequestFactory().get("/"),
        to_reviewer=True,
    )
    assert response.is_async  # Django would read a synchronous iterator whole under ASGI

    async def read() -> bytes:
        return b"".join([chunk async for chunk in response])

    header, row = list(csv.reader(io.StringIO(async_to_sync(read)().decode())))
    assert dict(zip(header, row, strict=True))["claim_text"] == "Claim 1: =1+1"
