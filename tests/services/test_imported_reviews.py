"""Other desks' fact-checks imported from saved pages and a feed of real-shaped publishers
(tests/fixtures/claimreviews/, README there), served from a loopback server: what is imported,
updated, unchanged and refused with its reason, and nothing duplicated on re-import."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from bench.feed_farm import FeedServer, Page, feed_farm
from factcheck import claimreview_read
from factcheck.models import Claim, ImportedReview, ImportedReviewMatch
from factcheck.services.imported_reviews import NOT_ITS_SOURCE, reviews_import, reviews_import_sources_due
from workers.tasks import import_claimreview_sources

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private")]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claimreviews"
PAGES = {
    "/harbour-checks-ferry.html": "text/html; charset=utf-8",
    "/valley-ledger-meter.html": "text/html",
    "/northwire-two-claims.html": "text/html; charset=utf-8",
    "/lantern-microdata.html": "text/html",
    "/broken.html": "text/html",
    "/feed.json": "application/json",
}


# What the command says of a location whose reviews cover none of our claims.
NONE_MATCHED = "; 0 of our claims may be covered by them (see each claim's review page)"


@pytest.fixture
def farm() -> Iterator[FeedServer]:
    with feed_farm() as server:
        for path, content_type in PAGES.items():
            server.pages[path] = Page((FIXTURES / path.lstrip("/")).read_bytes(), content_type)
        yield server


def counts(report: Any) -> tuple[int, int, int, int]:
    return (report.imported, report.updated, report.unchanged, len(report.refused))


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone.json"


EXPECTED = [
    ("/harbour-checks-ferry.html", (1, 0, 0, 0)),
    ("/valley-ledger-meter.html", (1, 0, 0, 0)),
    ("/northwire-two-claims.html", (2, 0, 0, 0)),
    ("/lantern-microdata.html", (1, 0, 0, 0)),
    ("/broken.html", (0, 0, 0, 3)),
    ("/feed.json", (3, 0, 0, 1)),
]


def test_it_imports_each_publishers_reviews_and_counts_what_came_of_each(farm: FeedServer) -> None:
    reports = {path: reviews_import(location=farm.base + path) for path, _ in EXPECTED}
    assert {path: counts(report) for path, report in reports.items()} == dict(EXPECTED)
    assert not any(report.failed for report in reports.values())
    assert ImportedReview.objects.count() == 8
    created = [review_id for report in reports.values() for review_id in report.changed_ids]
    assert sorted(created) == sorted(ImportedReview.objects.values_list("pk", flat=True))


def test_it_keeps_every_field_and_the_rating_scale_it_was_given_on(farm: FeedServer) -> None:
    reviews_import(location=f"{farm.base}/valley-ledger-meter.html")
    reviews_import(location=f"{farm.base}/harbour-checks-ferry.html")
    meter = ImportedReview.objects.get(publisher_site="valleyledger.example")
    assert meter.url == "https://valleyledger.example/truth-gauge/2025/mar/10/bus-plan-journey-times/"
    assert (meter.publisher_name, meter.title) == (
        "Valley Ledger Truth Gauge",
        "Did the mayor's bus plan cut journey times by half?",
    )
    assert (meter.claim_text, meter.claimant, meter.claim_date) == (
        "The new bus lanes cut journey times across the city by half.",
        "Mayor Ines Okafor",
        dt.date(2025, 3, 2),
    )
    assert (meter.textual_rating, meter.rating_value, meter.worst_rating, meter.best_rating) == (
        "Mostly False",
        3.0,
        1.0,
        7.0,
    )
    assert meter.review_date == dt.datetime(2025, 3, 10, 19, tzinfo=dt.UTC)
    assert meter.appearances == ["https://cityhall.example/speeches/2025-03-02-state-of-the-city"]
    assert (meter.language_code, meter.imported_from) == ("en", f"{farm.base}/valley-ledger-meter.html")
    ferry = ImportedReview.objects.get(publisher_site="harbourchecks.example")
    assert (ferry.textual_rating, ferry.rating_value, ferry.best_rating) == (
        "Wrong. The average fare rose by 8%, not 100%.",
        None,
        None,
    )
    assert ferry.appearances == [
        "https://social.example/morventait/status/1001",
        "https://islandradio.example/2025/01/28/fares-debate",
    ]


def test_two_reviews_on_one_page_and_microdata_are_each_kept(farm: FeedServer) -> None:
    reviews_import(location=f"{farm.base}/northwire-two-claims.html")
    reviews_import(location=f"{farm.base}/lantern-microdata.html")
    northwire = ImportedReview.objects.filter(publisher_site="factuel.northwire.example").order_by("url")
    assert [(r.url.rsplit("#", 1)[1], r.textual_rating, r.language_code) for r in northwire] == [
        ("claim-1", "Faux", "fr"),
        ("claim-2", "Trompeur", "fr"),
    ]
    lantern = ImportedReview.objects.get(publisher_name="The Lantern")
    # A relative itemprop URL is read against the page it was on.
    assert lantern.url == f"{farm.base}/fact-check/gull-point-lighthouse-demolition/"
    assert lantern.publisher_site == "thelantern.example"
    assert (lantern.claimant, lantern.textual_rating, lantern.rating_value) == ("Viral chain message", "Unproven", 3.0)


def test_it_refuses_what_it_cannot_read_saying_why(farm: FeedServer) -> None:
    broken = reviews_import(location=f"{farm.base}/broken.html")
    feed = reviews_import(location=f"{farm.base}/feed.json")
    reasons = [(refusal.where, refusal.reason.split(" (")[0]) for refusal in [*broken.refused, *feed.refused]]
    assert reasons == [
        ("JSON-LD block 1", "not valid JSON"),
        ("https://quaysideverify.example/checks/harbour-wall/", "no claim text"),
        ("https://quaysideverify.example/checks/ferry-strike/", "its rating 9 is outside its scale 1 to 5"),
        ("review 4", "no http(s) URL of its own"),
    ]
    assert not ImportedReview.objects.filter(publisher_name="Quayside Verify").exists()


def test_importing_again_changes_nothing_and_a_changed_rating_is_updated_in_place(farm: FeedServer) -> None:
    first = {path: reviews_import(location=farm.base + path) for path, _ in EXPECTED}
    stored = {r.url: (r.pk, r.updated_at) for r in ImportedReview.objects.all()}

    again = {path: reviews_import(location=farm.base + path) for path, _ in EXPECTED}
    assert {path: (r.imported, r.updated, r.unchanged) for path, r in again.items()} == {
        path: (0, 0, first[path].imported) for path in first
    }
    assert all(report.changed_ids == [] for report in again.values())
    assert {r.url: (r.pk, r.updated_at) for r in ImportedReview.objects.all()} == stored

    page = farm.pages["/valley-ledger-meter.html"]
    farm.pages["/valley-ledger-meter.html"] = Page(
        page.body.replace(b'"ratingValue": "3"', b'"ratingValue": "2"').replace(b"Mostly False", b"False"),
        page.content_type,
    )
    edited = reviews_import(location=f"{farm.base}/valley-ledger-meter.html")
    assert counts(edited) == (0, 1, 0, 0)
    meter = ImportedReview.objects.get(publisher_site="valleyledger.example")
    assert edited.changed_ids == [meter.pk]
    assert (meter.pk, meter.textual_rating, meter.rating_value, meter.best_rating) == (
        stored[meter.url][0],
        "False",
        2.0,
        7.0,
    )
    assert meter.updated_at > stored[meter.url][1]
    assert meter.first_imported_at < meter.updated_at
    assert ImportedReview.objects.count() == len(stored)


def test_another_source_naming_a_stored_review_cannot_rewrite_it(farm: FeedServer) -> None:
    reviews_import(location=f"{farm.base}/valley-ledger-meter.html")
    meter = ImportedReview.objects.get(publisher_site="valleyledger.example")
    page = farm.pages["/valley-ledger-meter.html"]
    farm.pages["/copycat.html"] = Page(page.body.replace(b"Mostly False", b"True"), page.content_type)

    copied = reviews_import(location=f"{farm.base}/copycat.html")

    assert counts(copied) == (0, 0, 0, 1)
    assert copied.refused[0].where == meter.url
    assert copied.refused[0].reason == NOT_ITS_SOURCE
    assert copied.changed_ids == []
    meter.refresh_from_db()
    assert (meter.textual_rating, meter.imported_from) == ("Mostly False", f"{farm.base}/valley-ledger-meter.html")


def test_the_reviews_own_site_may_change_it_whoever_imported_it_first(farm: FeedServer) -> None:
    def review(rating: str) -> bytes:
        return json.dumps(
            [
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "url": f"{farm.base}/checks/ferry-fares",
                    "claimReviewed": "Ferry fares doubled this winter.",
                    "author": {"@type": "Organization", "name": "Loopback Checks"},
                    "reviewRating": {"@type": "Rating", "alternateName": rating},
                }
            ]
        ).encode()

    farm.pages["/aggregator.json"] = Page(review("False"), "application/json")
    farm.pages["/checks/ferry-fares"] = Page(review("Half true"), "application/json")

    assert counts(reviews_import(location=f"{farm.base}/aggregator.json")) == (1, 0, 0, 0)
    assert counts(reviews_import(location=f"{farm.base}/checks/ferry-fares")) == (0, 1, 0, 0)
    assert ImportedReview.objects.get().textual_rating == "Half true"


def test_a_private_address_is_refused_unless_private_urls_are_allowed(farm: FeedServer, settings: Any) -> None:
    settings.FACTCHECK_ALLOW_PRIVATE_URLS = False
    report = reviews_import(location=f"{farm.base}/feed.json")
    assert report.failed
    assert report.error.startswith("refused: 127.0.0.1 is not a public address")
    assert farm.requests == []
    assert not ImportedReview.objects.exists()


@pytest.mark.parametrize(
    ("location", "error"),
    [
        pytest.param("closed-port", "could not fetch: 127.0.0.1:", id="unreachable"),
        pytest.param("farm:missing.json", "could not fetch: the site answered 404", id="not-found"),
        pytest.param("farm:image.png", "refused: the page is image/png", id="not-a-page"),
        pytest.param("farm:not-json.json", "unreadable: not valid JSON", id="broken-json"),
        pytest.param("file:///etc/passwd", "refused: only http and https URLs, or files", id="file-url"),
        pytest.param(str(FIXTURES / "absent.json"), "unreadable: the file cannot be read", id="no-file"),
    ],
)
def test_a_location_that_cannot_be_read_fails_with_its_reason(farm: FeedServer, location: str, error: str) -> None:
    farm.pages["/image.png"] = Page(b"\x89PNG", "image/png")
    farm.pages["/not-json.json"] = Page(b"{'single': 'quotes'}", "application/json")
    if location == "closed-port":
        location = closed_port_url()
    location = location.replace("farm:", farm.base + "/", 1)
    report = reviews_import(location=location)
    assert report.error.startswith(error), report.error
    assert counts(report) == (0, 0, 0, 0)


def test_it_reads_a_file_and_no_file_beyond_the_byte_cap(settings: Any) -> None:
    report = reviews_import(location=str(FIXTURES / "feed.json"))
    assert counts(report) == (3, 0, 0, 1)
    assert ImportedReview.objects.get(url__endswith="/school-meals/").imported_from == str(FIXTURES / "feed.json")
    settings.FACTCHECK_FEED_MAX_BYTES = 1000
    too_big = reviews_import(location=str(FIXTURES / "northwire-two-claims.html"))
    assert too_big.error == "unreadable: the file is more than the 1000 bytes allowed"


def test_it_reads_at_most_the_configured_number_of_reviews_of_a_document(farm: FeedServer, settings: Any) -> None:
    settings.FACTCHECK_CLAIMREVIEW_MAX_REVIEWS = 2
    report = reviews_import(location=f"{farm.base}/feed.json")
    assert (report.imported, report.refused[-1].reason) == (2, "only the first 2 reviews of a document are read")


def test_the_parser_cuts_text_to_the_lengths_the_model_keeps() -> None:
    limits = {
        "url": claimreview_read.MAX_URL,
        "publisher_name": claimreview_read.MAX_PUBLISHER_NAME,
        "publisher_site": claimreview_read.MAX_SITE,
        "title": claimreview_read.MAX_TITLE,
        "claimant": claimreview_read.MAX_CLAIMANT,
        "textual_rating": claimreview_read.MAX_TEXTUAL_RATING,
        "language_code": claimreview_read.MAX_LANGUAGE,
    }
    stored = {}
    for name in limits:
        field = ImportedReview._meta.get_field(name)
        assert isinstance(field, models.Field)
        stored[name] = field.max_length
    assert limits == stored


def test_the_command_says_what_came_of_each_location_and_fails_if_one_could_not_be_read(farm: FeedServer) -> None:
    out, err = StringIO(), StringIO()
    gone = closed_port_url()
    with pytest.raises(CommandError, match="1 of 3 locations failed"):
        call_command(
            "import_claimreviews", f"{farm.base}/broken.html", gone, f"{farm.base}/feed.json", stdout=out, stderr=err
        )
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{farm.base}/broken.html: imported 0, updated 0, unchanged 0, refused 3{NONE_MATCHED}"
    assert lines[1].startswith("    refused JSON-LD block 1: not valid JSON")
    assert f"{farm.base}/feed.json: imported 3, updated 0, unchanged 0, refused 1{NONE_MATCHED}" in lines
    assert "    refused review 4: no http(s) URL of its own" in lines
    assert f"[2/3] reading {gone}" in err.getvalue()
    assert f"{gone}: failed: could not fetch: 127.0.0.1:" in err.getvalue()

    out = StringIO()
    call_command("import_claimreviews", f"{farm.base}/feed.json", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines()[0] == (
        f"{farm.base}/feed.json: imported 0, updated 0, unchanged 3, refused 1{NONE_MATCHED}"
    )


def test_an_imported_review_covering_a_claim_we_have_is_matched_to_it_and_only_once(farm: FeedServer) -> None:
    ours = Claim.objects.create(text="Water bills in the county will rise by 30% next spring.")
    Claim.objects.create(text="The harbour festival drew record crowds on Saturday.")

    first = reviews_import(location=f"{farm.base}/feed.json")
    again = reviews_import(location=f"{farm.base}/feed.json")

    assert first.matched == 1
    assert again.matched == 0  # nothing changed: nothing matched again
    match = ImportedReviewMatch.objects.get()
    assert match.claim == ours
    assert match.review.claim_text == "Water bills will rise by 30% next spring."


def test_the_periodic_task_imports_every_configured_source_one_failing_stopping_none(
    farm: FeedServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    gone = closed_port_url()
    settings.FACTCHECK_CLAIMREVIEW_SOURCES = [f"{farm.base}/feed.json", gone, f"{farm.base}/lantern-microdata.html"]
    with caplog.at_level(logging.INFO, logger="factcheck.services.imported_reviews"):
        results = import_claimreview_sources()
    assert [(r["location"], r["imported"], bool(r["error"])) for r in results] == [
        (f"{farm.base}/feed.json", 3, False),
        (gone, 0, True),
        (f"{farm.base}/lantern-microdata.html", 1, False),
    ]
    assert ImportedReview.objects.count() == 4
    assert f"importing ClaimReviews from {gone} failed: could not fetch" in caplog.text
    # The next round waits for its interval: the beat asks every minute.
    assert import_claimreview_sources() == []
    assert len([path for path, _ in farm.requests if path == "/feed.json"]) == 1


def test_no_round_runs_when_the_interval_is_zero_or_no_source_is_configured(farm: FeedServer, settings: Any) -> None:
    settings.FACTCHECK_CLAIMREVIEW_SOURCES = [f"{farm.base}/feed.json"]
    settings.FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES = 0
    assert reviews_import_sources_due() == []
    settings.FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES = 60
    settings.FACTCHECK_CLAIMREVIEW_SOURCES = []
    assert reviews_import_sources_due() == []
    assert farm.requests == []


def test_an_unforeseen_error_in_one_source_is_logged_and_the_others_are_imported(
    farm: FeedServer, settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from factcheck.services import imported_reviews

    real = imported_reviews.read_claimreviews

    def failing_on_the_feed(body: bytes, **kwargs: Any) -> Any:
        if kwargs["base_url"].endswith("/feed.json"):
            raise RuntimeError("a parser bug")
        return real(body, **kwargs)

    monkeypatch.setattr(imported_reviews, "read_claimreviews", failing_on_the_feed)
    settings.FACTCHECK_CLAIMREVIEW_SOURCES = [f"{farm.base}/feed.json", f"{farm.base}/northwire-two-claims.html"]
    reports = reviews_import_sources_due()
    assert [(r.error, r.imported) for r in reports] == [("unexpected error: RuntimeError", 0), ("", 2)]
    assert f"importing ClaimReviews from {farm.base}/feed.json failed" in caplog.text
