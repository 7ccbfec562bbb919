"""No N+1 in the API: what a page costs in queries does not grow with what is on it.

Each test measures the same request over a small and a ten times larger world (more verdicts
on the page, more appearances and cited evidence behind one verdict) and expects the same
number of queries, under a small fixed ceiling. Requests carry a real knox token, so the
authentication, role and throttling queries are counted as an API client pays them.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck.api import pagination
from factcheck.models import CheckRun, Claim, ClaimAppearance, Evidence, Outlet, Passage, RatingLabel, Source, Verdict
from factcheck.services.queue import claims_appearance_count_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

# What any request may cost at most: token (knox reads the token and the user's tokens), role,
# permissions, then the page itself (count, rows, one prefetch per relation).
CEILING = 12
_serial = itertools.count()


@pytest.fixture(autouse=True)
def _pages_built_every_time(settings) -> None:
    """What is measured is the building of a page: readers' pages would otherwise come from
    the cache on the measured (second) request, at no query whatever the page holds."""
    settings.FACTCHECK_PUBLIC_API_CACHE_SECONDS = 0


def client_with_token(role: str) -> APIClient:
    user = get_user_model().objects.create_user(f"{role}-{next(_serial)}")
    user.groups.add(Group.objects.get(name=role))
    _, token = AuthToken.objects.create(user=user, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def outlets() -> list[Outlet]:
    return [Outlet.objects.create(name=f"Outlet {i}") for i in range(4)]


def add_source(outlet: Outlet) -> Source:
    n = next(_serial)
    return Source.objects.create(
        outlet=outlet,
        url=f"https://outlet.example/{n}",
        title=f"Report {n}",
        published_at=timezone.now() - dt.timedelta(hours=n),
        text=f"Report {n}. Twelve people died.",
        content_hash=f"{n:064x}",
    )


def add_passages(outlets: list[Outlet], text: str, count: int) -> list[Passage]:
    """``count`` passages stating ``text``, each in its own source, the outlets taking turns."""
    return [
        Passage.objects.create(
            source=add_source(outlets[i % len(outlets)]), position=0, text=text, start_offset=0, end_offset=12
        )
        for i in range(count)
    ]


def publish(outlets: list[Outlet], *, appearances: int = 2, cited: int = 2) -> Verdict:
    """A published verdict on a claim that appeared ``appearances`` times, citing ``cited`` pieces
    of evidence from the claim's latest check."""
    n = next(_serial)
    claim = Claim.objects.create(text=f"Claim {n}: twelve people died.", claimant="Teodor Malesh", status="published")
    passages = add_passages(outlets, claim.text, max(appearances, cited))
    for passage in passages[:appearances]:
        ClaimAppearance.objects.create(
            claim=claim, passage=passage, source=passage.source, appeared_at=passage.source.published_at
        )
    claims_appearance_count_refresh(claim_ids=[claim.pk])  # as the services that add appearances do
    run = CheckRun.objects.create(claim=claim, status="succeeded", assessment="corroborated")
    evidence = [
        Evidence.objects.create(run=run, passage=passage, stance="supports", reason="figure_agrees")
        for passage in passages[:cited]
    ]
    verdict = Verdict.objects.create(
        claim=claim,
        rating=RatingLabel.objects.get(slug="true"),
        summary="Confirmed by other outlets.",
        status="published",
        published_at=timezone.now() - dt.timedelta(minutes=n),
        slug=f"claim-{n}",
    )
    verdict.cited_evidence.set(evidence)
    return verdict


def queries(client: APIClient, path: str) -> tuple[int, dict]:
    """The queries of one request, after one unmeasured request (per-process caches warm)."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(captured), response.json()


@pytest.mark.parametrize("role", ["reader", "reviewer"])
def test_the_verdict_list_costs_the_same_for_3_or_30_verdicts(outlets, role) -> None:
    client = client_with_token(role)
    for _ in range(3):
        publish(outlets)
    few, page = queries(client, "/api/v1/verdicts/?page_size=50")
    assert page["count"] == 3
    for _ in range(27):
        publish(outlets, appearances=3, cited=3)
    many, page = queries(client, "/api/v1/verdicts/?page_size=50")
    assert page["count"] == 30
    assert all(len(v["cited_evidence"]) in (2, 3) for v in page["results"])
    assert few == many <= CEILING


@pytest.mark.parametrize("role", ["reader", "reviewer"])
def test_the_claim_list_costs_the_same_for_3_or_30_claims(outlets, role) -> None:
    client = client_with_token(role)
    for _ in range(3):
        publish(outlets)
    few, page = queries(client, "/api/v1/claims/?page_size=50")
    assert page["count"] == 3
    for _ in range(27):
        publish(outlets, appearances=4)
    many, page = queries(client, "/api/v1/claims/?page_size=50")
    assert page["count"] == 30
    assert all(c["current_verdict"] is not None and c["appearance_count"] >= 2 for c in page["results"])
    assert few == many <= CEILING


def claim_list_sql(client: APIClient, path: str) -> list[str]:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries if "factcheck_claim" in query["sql"]]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/claims/?page_size=20", "/api/v1/claims/?page_size=20&status=published&ordering=-appearance_count"],
)
def test_the_claim_list_reads_stored_fields_and_counts_a_bounded_number_of_rows(outlets, path) -> None:
    client = client_with_token("reviewer")
    for _ in range(3):
        publish(outlets, appearances=3)
    sql = claim_list_sql(client, path)
    # No appearance is read or counted per claim: the count and the priority are stored.
    assert not [q for q in sql if "factcheck_claimappearance" in q]
    counts = [q for q in sql if q.startswith("SELECT COUNT(")]
    assert len(counts) == 1
    assert f"LIMIT {pagination.COUNT_LIMIT + 1}" in counts[0]
    assert "ORDER BY" not in counts[0]


def test_the_claim_count_stops_at_the_limit_and_says_so(outlets, monkeypatch) -> None:
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 4)
    client = client_with_token("reviewer")
    for _ in range(7):
        publish(outlets, appearances=1)

    first = client.get("/api/v1/claims/?page_size=2").json()
    assert (first["count"], first["count_capped"], len(first["results"])) == (4, True, 2)
    # A page past the limit is still there, counted far enough to know whether another follows.
    third = client.get("/api/v1/claims/?page_size=2&page=3").json()
    assert (third["count"], third["count_capped"], third["next"] is not None) == (7, False, True)
    last = client.get("/api/v1/claims/?page_size=2&page=4").json()
    assert (last["count"], last["count_capped"], last["next"], len(last["results"])) == (7, False, None, 1)
    ids = [
        c["id"]
        for page in range(1, 5)
        for c in client.get(f"/api/v1/claims/?page_size=2&page={page}").json()["results"]
    ]
    assert sorted(ids) == sorted(Claim.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("ordering", "order_by"),
    [
        ("", '"priority" DESC, "factcheck_claim"."created_at" DESC, "factcheck_claim"."id" DESC'),
        ("appearance_count", '"appearance_count" ASC, "factcheck_claim"."id" ASC'),
        ("-confidence", '"confidence" DESC, "factcheck_claim"."id" DESC'),
    ],
)
def test_every_ordering_is_its_index_key_ending_in_the_id(outlets, ordering, order_by) -> None:
    # The id last: claims of equal value keep one order across pages, read from the index.
    publish(outlets)
    sql = claim_list_sql(client_with_token("reviewer"), f"/api/v1/claims/?page_size=2&ordering={ordering}")
    page_query = next(q for q in sql if q.startswith('SELECT "factcheck_claim"."id"'))
    assert page_query.split("ORDER BY ")[1].startswith('"factcheck_claim".' + order_by)


def test_a_verdict_detail_costs_the_same_whatever_it_cites(outlets) -> None:
    client = client_with_token("reader")
    small = publish(outlets, appearances=1, cited=1)
    large = publish(outlets, appearances=20, cited=20)

    few, small_body = queries(client, f"/api/v1/verdicts/{small.pk}/")
    many, large_body = queries(client, f"/api/v1/verdicts/{large.pk}/")

    assert len(small_body["cited_evidence"]) == 1
    assert len(large_body["cited_evidence"]) == 20
    assert few == many <= CEILING


def test_a_claim_detail_costs_the_same_however_often_it_appeared(outlets) -> None:
    client = client_with_token("reader")
    small = publish(outlets, appearances=1)
    large = publish(outlets, appearances=20)

    few, small_body = queries(client, f"/api/v1/claims/{small.claim_id}/")
    many, large_body = queries(client, f"/api/v1/claims/{large.claim_id}/")

    assert (small_body["appearance_count"], large_body["appearance_count"]) == (1, 20)
    assert few == many <= CEILING


def test_a_claimreview_costs_the_same_however_many_appearances(outlets) -> None:
    client = client_with_token("reader")
    small = publish(outlets, appearances=1)
    large = publish(outlets, appearances=20)

    few, small_review = queries(client, f"/api/v1/verdicts/{small.pk}/claimreview/")
    many, large_review = queries(client, f"/api/v1/verdicts/{large.pk}/claimreview/")

    assert len(small_review["itemReviewed"]["appearance"]) == 1
    assert len(large_review["itemReviewed"]["appearance"]) == 20
    assert few == many <= CEILING
