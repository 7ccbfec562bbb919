"""Sources and tokens as the desk reads them: a source's passages link to the claims they gave and say
in words why they were worth checking, with no offsets; tokens carry a label, their client's role,
when issued and when last used, and are revoked (never added or edited) in the admin."""

from __future__ import annotations

from io import StringIO

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from factcheck.models import ApiTokenRecord, ClaimAppearance
from factcheck.services import tokens

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]


@pytest.fixture
def boss() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("boss", password="pw-for-tests-only"))
    return client


@pytest.mark.usefixtures("sample_corpus")
def test_a_sources_passages_link_to_their_claims_with_reasons_in_words(boss: Client) -> None:
    appearance = ClaimAppearance.objects.select_related("passage", "claim").order_by("pk").first()
    assert appearance is not None
    page = boss.get(reverse("admin:factcheck_source_change", args=[appearance.source_id])).content.decode()
    doc = lxml.html.fromstring(page)
    headers = [th.text_content().strip().lower() for th in doc.xpath("//div[contains(@class, 'inline-group')]//th")]
    assert "why worth checking" in headers
    assert not any("offset" in header for header in headers)
    review = reverse("admin:factcheck_claim_review", args=[appearance.claim_id])
    assert doc.xpath(f"//td[contains(@class, 'field-claims')]//a[@href='{review}']")
    reasons = " ".join(td.text_content() for td in doc.xpath("//td[contains(@class, 'field-reasons')]"))
    assert "gives a figure" in reasons
    assert "['" not in reasons
    assert "_" not in reasons
    passage_page = boss.get(reverse("admin:factcheck_passage_change", args=[appearance.passage_id])).content.decode()
    assert review in passage_page
    assert "Start offset" not in passage_page


def test_tokens_carry_a_label_role_and_last_use_and_are_revoked_not_edited(boss: Client) -> None:
    out = StringIO()
    call_command(
        "create_api_client", "Morning Wire", "--role", "reader", "--label", "Morning Wire CMS plug-in", stdout=out
    )
    secret = out.getvalue().strip().splitlines()[-1]
    token = AuthToken.objects.get()
    assert ApiTokenRecord.objects.get(token=token).label == "Morning Wire CMS plug-in"

    listing = lxml.html.fromstring(boss.get(reverse("admin:knox_authtoken_changelist")).content.decode())
    row = [cell.text_content().strip() for cell in listing.xpath("//table[@id='result_list']/tbody/tr[1]/*")]
    assert "Morning Wire CMS plug-in" in row
    assert "reader" in row
    assert "never" in row
    assert token.digest not in "".join(row)

    tokens._last_written.clear()
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert reader.get("/api/v1/verdicts/").status_code == 200
    first = ApiTokenRecord.objects.get(token=token).last_used_at
    assert first is not None
    assert reader.get("/api/v1/verdicts/").status_code == 200  # within the resolution: no second write
    assert ApiTokenRecord.objects.get(token=token).last_used_at == first

    assert boss.get("/admin/knox/authtoken/add/").status_code == 403
    change = boss.get(reverse("admin:knox_authtoken_change", args=[token.pk])).content.decode()
    assert 'name="user"' not in change
    boss.post(reverse("admin:knox_authtoken_delete", args=[token.pk]), {"post": "yes"})
    assert not AuthToken.objects.exists()
    assert reader.get("/api/v1/verdicts/").status_code == 401
