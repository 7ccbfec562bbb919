"""The admin's "Export CSV" and "Export JSON" links: the file holds what the changelist shows, for
whoever may view the changelist."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from factcheck.models import Claim, Passage, RatingLabel, Source, StanceCorrection, Verdict
from tests.workspace.people import person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]


@pytest.fixture
def verdicts() -> dict[str, Verdict]:
    rating = RatingLabel.objects.get(slug="false")
    published = Verdict.objects.create(
        claim=Claim.objects.create(text="=HYPERLINK(1) the dam burst", status="published"),
        rating=rating,
        summary="It did not.",
        status="published",
        published_at=timezone.now(),
        slug="the-dam-burst",
    )
    draft = Verdict.objects.create(
        claim=Claim.objects.create(text="The bridge fell", status="rated"), rating=rating, summary="Draft."
    )
    return {"published": published, "draft": draft}


def body(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content).decode()


def test_it_links_the_exports_with_the_current_filters(verdicts) -> None:
    client, _ = person("rita")
    page = client.get(reverse("admin:factcheck_verdict_changelist"), {"status__exact": "draft"}).content.decode()
    assert f'href="{reverse("admin:factcheck_verdict_export", args=["csv"])}?status__exact=draft"' in page
    assert "Export JSON" in page


@pytest.mark.parametrize("model", ["verdict", "claim", "stancecorrection"])
def test_every_exporting_changelist_shows_its_links(model: str) -> None:
    client, _ = person("rita")
    page = client.get(reverse(f"admin:factcheck_{model}_changelist")).content.decode()
    assert reverse(f"admin:factcheck_{model}_export", args=["json"]) in page


def test_it_exports_what_the_changelist_shows(verdicts) -> None:
    client, _ = person("rita")
    url = reverse("admin:factcheck_verdict_export", args=["csv"])
    everything = list(csv.DictReader(io.StringIO(body(client.get(url)))))
    assert {int(row["id"]) for row in everything} == {v.pk for v in verdicts.values()}
    published = list(csv.DictReader(io.StringIO(body(client.get(url, {"status__exact": "published"})))))
    assert [row["claim_text"] for row in published] == ["'=HYPERLINK(1) the dam burst"]
    searched = json.loads(body(client.get(reverse("admin:factcheck_verdict_export", args=["json"]), {"q": "bridge"})))
    assert [row["id"] for row in searched] == [verdicts["draft"].pk]


def test_it_exports_the_claim_queue_in_the_changelists_order() -> None:
    client, _ = person("rita")
    low = Claim.objects.create(text="Low", status="needs_review", check_worthiness=0.1)
    high = Claim.objects.create(text="High", status="needs_review", check_worthiness=0.9)
    Claim.objects.create(text="Archived", status="archived")
    rows = json.loads(
        body(client.get(reverse("admin:factcheck_claim_export", args=["json"]), {"status": "needs_review"}))
    )
    assert [row["id"] for row in rows] == [high.pk, low.pk]


def test_it_exports_stance_corrections(verdicts) -> None:
    outsider, _ = person("otto", role=None)  # staff, with no role: no view permission
    assert outsider.get(reverse("admin:factcheck_stancecorrection_export", args=["json"])).status_code == 403
    client, user = person("rita")  # reviewers see the corrections (migration 0031)
    claim = verdicts["published"].claim
    source = Source.objects.create(outlet_id=_outlet(), text="Dam text", content_hash="d" * 64)
    passage = Passage.objects.create(source=source, position=0, text="It burst.", start_offset=0, end_offset=9)
    StanceCorrection.objects.create(
        claim=claim,
        passage=passage,
        claim_text=claim.text,
        passage_text=passage.text,
        machine_stance="supports",
        human_stance="mentions",
        corrected_by=user,
    )
    rows = json.loads(body(client.get(reverse("admin:factcheck_stancecorrection_export", args=["json"]))))
    assert [(row["claim"], row["corrected_by"], row["outlet"]) for row in rows] == [(claim.pk, "rita", "Dam Daily")]


def _outlet() -> int:
    from factcheck.models import Outlet

    return Outlet.objects.create(name="Dam Daily").pk


def test_only_those_who_may_view_the_changelist_export(verdicts) -> None:
    url = reverse("admin:factcheck_verdict_export", args=["csv"])
    nobody, nobody_user = person("stan", role=None)  # staff, without a role: no view permission
    assert nobody.get(url).status_code == 403
    nobody_user.user_permissions.add(Permission.objects.get(codename="view_verdict"))
    assert nobody.get(url).status_code == 200


def test_an_unknown_format_is_not_found_and_a_bad_filter_goes_back_to_the_list(verdicts) -> None:
    client, _ = person("rita")
    assert client.get(reverse("admin:factcheck_verdict_export", args=["xlsx"])).status_code == 404
    bad = client.get(reverse("admin:factcheck_verdict_export", args=["csv"]), {"no_such_field": "1"})
    assert bad.status_code == 302
    assert bad["Location"] == reverse("admin:factcheck_verdict_changelist") + "?e=1"
