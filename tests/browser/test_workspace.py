"""The reviewer's workspace in a real browser: a reviewer drafts a verdict on the claim with
conflicting figures, an editor publishes it, the public page shows it; hostile article text
stays inert; the page reads without JavaScript and needs no outside network."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Dialog, expect

from factcheck.documents import Document
from factcheck.models import CheckRun, Claim, Verdict
from factcheck.services.checks import claim_check_now
from factcheck.services.ingest import source_ingest

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from tests.browser.conftest import BrowserPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process", "default_rating_scale", "roles"),
]

PASSWORD = "a long browser password"
SCREENSHOTS = "var/screenshots"


def person(name: str, role: str) -> None:
    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))


def sign_in(page: BrowserPage, live_server: LiveServer, name: str) -> None:
    from tests.browser.conftest import signed_in

    page.context.clear_cookies()
    signed_in(page, live_server, name, PASSWORD)


@pytest.fixture
def corpus(committed_sample_corpus: None) -> Claim:
    """The sample corpus, checked (tasks run in this process as they are committed)."""
    person("rita", "reviewer")
    person("eli", "editor")
    return Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")


def review_url(live_server: LiveServer, claim: Claim) -> str:
    return f"{live_server.url}/admin/factcheck/claim/{claim.pk}/review/"


def test_a_reviewer_drafts_an_editor_publishes_and_readers_see_it(
    page: BrowserPage, live_server: LiveServer, corpus: Claim
) -> None:
    sign_in(page, live_server, "rita")
    page.goto(review_url(live_server, corpus))

    expect(page.locator("#assessment")).to_have_text("Conflicting")
    figures = page.locator("#figures-table")
    expect(figures).to_contain_text("at least 30 people")
    expect(figures).to_contain_text("Brightwater Tribune")
    expect(figures).to_contain_text(re.compile(r"12 people|Twelve people"))
    expect(figures.locator("tr.ws-conflicts mark").first).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/review-page-reviewer.png", full_page=True)

    page.select_option("#rating", "mixed")
    page.fill("#summary", "Two independent outlets give 12 dead; Brightwater Tribune gives at least 30.")
    page.locator(".ws-cite input").first.check()
    page.locator("#summary").press("Control+s")  # the keyboard shortcut saves the draft
    expect(page.locator(".messagelist")).to_contain_text("Verdict saved.")
    verdict = Verdict.objects.get(claim=corpus, is_current=True)
    assert verdict.status == "draft"
    assert verdict.cited_evidence.count() == 1

    sign_in(page, live_server, "eli")
    page.goto(review_url(live_server, corpus))
    page.locator("#publish-verdict").click()
    expect(page.locator(".messagelist")).to_contain_text("Verdict published.")
    page.get_by_role("link", name="Public page").click()

    expect(page.locator("body")).to_contain_text("Mixed")
    expect(page.locator("body")).to_contain_text("Two independent outlets give 12 dead")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.screenshot(path=f"{SCREENSHOTS}/public-fact-check.png", full_page=True)
    assert page.blocked_requests == []


def test_hostile_article_text_stays_inert(page: BrowserPage, live_server: LiveServer, corpus: Claim) -> None:
    hostile = (
        "Officials said 12 people were killed in Ostrel <script>window.pwned = 1</script> when the missile hit "
        'the railway station <img src=x onerror="window.pwned = 2"> on Wednesday.'
    )
    source_ingest(document=Document(text=hostile, format="txt"), outlet_name='Hostile <i onmouseover="x">Herald</i>')
    claim_check_now(claim_id=corpus.pk)
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)

    sign_in(page, live_server, "rita")
    page.goto(review_url(live_server, corpus))

    expect(page.locator(".ws-evidence")).to_contain_text("<script>window.pwned = 1</script>")
    expect(page.locator(".ws-evidence")).to_contain_text('<img src=x onerror="window.pwned = 2">')
    assert page.evaluate("window.pwned") is None
    assert page.locator(".ws-evidence img").count() == 0
    assert dialogs == []
    page.screenshot(path=f"{SCREENSHOTS}/review-page-hostile.png", full_page=True)


def test_the_page_reads_without_javascript_and_n_opens_the_next_claim(
    page: BrowserPage, page_without_js: BrowserPage, live_server: LiveServer, corpus: Claim
) -> None:
    sign_in(page_without_js, live_server, "rita")
    page_without_js.goto(review_url(live_server, corpus))
    expect(page_without_js.locator("#figures-table")).to_contain_text("at least 30 people")
    expect(page_without_js.locator("#explanation")).to_contain_text("Brightwater Tribune")

    sign_in(page, live_server, "rita")
    page.goto(review_url(live_server, corpus))
    next_url = page.locator("#next-claim").get_attribute("href")
    assert next_url
    page.locator("body").press("n")
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_the_queue_overview_shows_counts_and_the_activity_chart(
    page: BrowserPage, live_server: LiveServer, corpus: Claim
) -> None:
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/factcheck/claim/queue/")
    expect(page.locator("h1")).to_contain_text("Claim queue")
    expect(page.locator("svg.qo-chart")).to_have_count(1)
    checked_today = CheckRun.objects.filter(status="succeeded").count()  # the corpus was checked just now
    expect(page.locator("table.chart-data")).to_contain_text(str(checked_today))
    page.screenshot(path=f"{SCREENSHOTS}/queue-overview.png", full_page=True)
    assert page.blocked_requests == []
