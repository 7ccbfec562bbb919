"""The claim list built for triage: by priority with the priority shown, one line per claim, its
outlets, assignment to any reviewer from the action bar, and each reviewer's saved views."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from factcheck.documents import Document
from factcheck.models import Claim, ClaimAppearance, SavedClaimFilter, Source
from factcheck.services.ingest import source_ingest
from tests.workspace.people import person, waiting_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

LIST = "/admin/factcheck/claim/"
VIEWS = "/admin/factcheck/claim/views/"


def rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    return [
        {
            "id": row.xpath("string(.//input[@name='_selected_action']/@value)"),
            "summary": row.xpath("string(.//td[contains(@class, 'field-claim_line')]//summary)"),
            "full": row.xpath("string(.//td[contains(@class, 'field-claim_line')]//details/p[1])"),
            "priority": row.xpath("string(.//td[contains(@class, 'field-priority_shown')])"),
            "outlets": row.xpath("string(.//td[contains(@class, 'field-outlet_count')])"),
            "assignee": row.xpath("string(.//td[contains(@class, 'field-assignee')])"),
        }
        for row in doc.xpath("//table[@id='result_list']/tbody/tr")
    ]


def appear(target: Claim, outlet: str, serial: int) -> None:
    text = f"{outlet} report number {serial}."
    source = source_ingest(document=Document(text=text, format="txt"), outlet_name=outlet).source
    assert source is not None
    passage = source.passages.create(position=0, text=target.text, start_offset=0, end_offset=len(target.text))
    ClaimAppearance.objects.create(claim=target, passage=passage, source=source, appeared_at=source.ingested_at)


def test_the_list_is_by_priority_one_line_a_claim_with_its_outlets(django_capture_on_commit_callbacks) -> None:
    client, _ = person("rita")
    long_text = "The dam at Karsk holds 3 million cubic metres of water, " * 5
    low, high = waiting_claim(long_text, 0.3), waiting_claim("Forty people drowned in Karsk.", 0.9)
    with django_capture_on_commit_callbacks(execute=False):
        for serial, outlet in enumerate(("Harbour Herald", "Valley Courier", "Harbour Herald")):
            appear(high, outlet, serial)
    shown = rows(client)
    assert [row["id"] for row in shown] == [str(high.pk), str(low.pk)]
    assert [row["priority"] for row in shown] == [f"{high.priority:.2f}", f"{low.priority:.2f}"]
    assert [row["outlets"] for row in shown] == ["2", "0"]
    assert shown[1]["summary"].endswith("…")
    assert len(shown[1]["summary"]) <= 110
    assert shown[1]["full"] == long_text
    assert Source.objects.count() == 3


def test_claims_are_assigned_to_any_reviewer_from_the_action_bar() -> None:
    client, _ = person("rita")
    _, eli = person("eli", "editor")
    person("visitor", None)
    first, second = waiting_claim("Forty people drowned.", 0.9), waiting_claim("The bridge cost 12 million.", 0.5)
    page = client.get(LIST).content.decode()
    doc = lxml.html.fromstring(page)
    offered = doc.xpath("//select[@name='assignee']/option/text()")
    assert "eli" in offered
    assert "rita" in offered
    assert "visitor" not in offered
    selected = [first.pk, second.pk]
    response = client.post(
        LIST, {"action": "assign_to_chosen", "assignee": eli.pk, "_selected_action": selected}, follow=True
    )
    assert "2 claim(s) assigned to eli" in response.content.decode()
    assert {c.assignee_id for c in Claim.objects.filter(pk__in=selected)} == {eli.pk}
    assert {c.status for c in Claim.objects.filter(pk__in=selected)} == {"in_review"}
    assert [row["assignee"] for row in rows(client)] == ["eli", "eli"]
    # "nobody" takes them back; a user who is not a reviewer is refused.
    visitor = get_user_model().objects.get(username="visitor")
    client.post(LIST, {"action": "assign_to_chosen", "assignee": visitor.pk, "_selected_action": selected})
    assert {c.assignee_id for c in Claim.objects.filter(pk__in=selected)} == {eli.pk}
    client.post(LIST, {"action": "assign_to_chosen", "assignee": "", "_selected_action": selected})
    assert {c.assignee_id for c in Claim.objects.filter(pk__in=selected)} == {None}


def test_a_reviewer_saves_opens_and_deletes_views_of_the_list() -> None:
    client, rita = person("rita")
    other, _ = person("rob")
    urgent = waiting_claim("Forty people drowned.", 0.9, assessment="conflicting")
    waiting_claim("The bridge cost 12 million.", 0.5, assessment="corroborated")
    query = "assessment__exact=conflicting&p=2&_popup=1"
    client.post(VIEWS, {"name": "  Contested  ", "query": query})
    saved = SavedClaimFilter.objects.get(user=rita)
    assert (saved.name, saved.query) == ("Contested", "assessment__exact=conflicting")
    doc = lxml.html.fromstring(client.get(LIST).content.decode())
    (link,) = doc.xpath("//div[@id='saved-views']//span[@class='saved-view']/a")
    assert link.text == "Contested"
    assert [row["id"] for row in rows(client, link.get("href"))] == [str(urgent.pk)]
    # Nobody else sees it, or can delete it.
    assert "Contested" not in other.get(LIST).content.decode()
    other.post(VIEWS, {"delete": saved.pk})
    assert SavedClaimFilter.objects.filter(pk=saved.pk).exists()
    # Saving the name again replaces its filters; an empty name or no filters is refused, kept nothing.
    client.post(VIEWS, {"name": "Contested", "query": "assessment__exact=corroborated"})
    assert SavedClaimFilter.objects.get(pk=saved.pk).query == "assessment__exact=corroborated"
    refused = client.post(VIEWS, {"name": " ", "query": "status__exact=new"}, follow=True)
    assert "give the view a name" in refused.content.decode().lower()
    client.post(VIEWS, {"name": "Everything", "query": "p=3"})
    assert SavedClaimFilter.objects.filter(user=rita).count() == 1
    client.post(VIEWS, {"delete": saved.pk})
    assert not SavedClaimFilter.objects.filter(pk=saved.pk).exists()
    assert client.get(VIEWS).status_code == 405


def test_a_hostile_view_name_and_query_stay_inert() -> None:
    client, rita = person("rita")
    client.post(VIEWS, {"name": '<img src=x onerror="alert(1)">', "query": 'q="><script>alert(1)</script>'})
    saved = SavedClaimFilter.objects.get(user=rita)
    page = client.get(LIST).content.decode()
    assert "<img src=x" not in page
    assert "<script>alert(1)</script>" not in page
    assert saved.query == "q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"
