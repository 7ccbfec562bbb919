"""The desk's day in a real browser at 1280 px: a reviewer triages from the home page, reads the
contested claim in words and drafts; an editor publishes, then corrects from the page; the public
page shows the correction."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import ViewportSize, expect

from factcheck.models import Claim, StanceCorrection, Verdict
from tests.browser.test_workspace import PASSWORD, SCREENSHOTS, person, sign_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from tests.browser.conftest import BrowserPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process", "default_rating_scale", "roles"),
]

DESK_WIDTH: ViewportSize = {"width": 1280, "height": 900}
# The README's desk walkthrough shows these steps; to refresh its pictures:
#   FACTCHECK_WALKTHROUGH_DIR=docs/walkthrough make test-browser
WALKTHROUGH = Path(os.environ.get("FACTCHECK_WALKTHROUGH_DIR") or f"{SCREENSHOTS}/walkthrough")


def step(page: BrowserPage, name: str) -> None:
    """One picture of the walkthrough: what the screen shows (not the whole page), at 1280 px."""
    WALKTHROUGH.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(WALKTHROUGH / f"{name}.png"))


ENGINE_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def desk(committed_sample_corpus: None) -> Claim:
    person("rita", "reviewer")
    person("eli", "editor")
    person("eva", "editor")
    # The name readers see on the public page (never the login).
    get_user_model().objects.filter(username="rita").update(first_name="Rita", last_name="Novak")
    return Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")


def test_a_reviewer_triages_from_the_home_page_and_an_editor_publishes_then_corrects(
    page: BrowserPage, live_server: LiveServer, desk: Claim
) -> None:
    assert PASSWORD
    page.set_viewport_size(DESK_WIDTH)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    step(page, "1-sign-in")
    sign_in(page, live_server, "rita")
    home = page.locator("#desk-home")
    expect(home.locator("#desk-queue tbody tr").first).to_be_visible()
    expect(home.locator(".desk-count", has_text="Need review")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/desk-home.png", full_page=True)
    step(page, "2-desk-home")

    # The claim list, from the home's count: one line per claim, priority, outlets and assignee in view.
    home.locator(".desk-count", has_text="Need review").click()
    expect(page.locator("#result_list")).to_be_visible()
    first_row = page.locator("#result_list tbody tr").first
    filters = page.locator("#changelist-filter").bounding_box()
    assert filters is not None
    for column in ("field-priority_shown", "field-outlet_count", "field-assessment", "field-assignee", "field-review"):
        cell = first_row.locator(f"td.{column}")
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None
        # Nothing under the filter panel, nothing past the screen's edge.
        assert box["x"] + box["width"] <= min(filters["x"], DESK_WIDTH["width"]), f"{column} is cut off at 1280 px"
    heights = [row.bounding_box()["height"] for row in page.locator("#result_list tbody tr").all()[:10]]  # type: ignore[index]
    assert max(heights) < 60, f"a claim takes more than one line: {heights}"
    page.screenshot(path=f"{SCREENSHOTS}/claim-list.png", full_page=True)
    step(page, "3-triage")

    # The contested claim, in words: no engine code anywhere on the page's evidence.
    page.goto(f"{live_server.url}/admin/factcheck/claim/{desk.pk}/review/")
    expect(page.locator("#assessment")).to_have_text("Conflicting")
    evidence = page.locator(".ws-evidence")
    expect(evidence).to_contain_text("Contradicts: gives a different figure")
    assert not ENGINE_CODE.search(evidence.inner_text())
    assert not ENGINE_CODE.search(page.locator("#figures-table").inner_text())
    page.screenshot(path=f"{SCREENSHOTS}/review-contested.png", full_page=True)
    step(page, "4-review")
    # The checker read one passage wrong: the reviewer says which stance is right.
    wrong = evidence.locator("li").first
    wrong.locator(".ws-teach summary").click()
    wrong.locator("select[name=stance]").select_option("mentions")
    wrong.locator("input[name=note]").fill("Dozens is a headline's word, not a toll.")
    wrong.get_by_role("button", name="Record the correction").click()
    expect(page.locator(".messagelist")).to_contain_text("The checker learns from it")
    expect(page.locator(".ws-corrected").first).to_contain_text("Corrected by rita")
    assert (
        StanceCorrection.objects.filter(claim=desk, human_stance="mentions", corrected_by__username="rita").count() == 1
    )
    page.locator(".ws-evidence").scroll_into_view_if_needed()
    step(page, "5-evidence")
    page.select_option("#rating", "mixed")
    page.fill("#summary", "Two independent outlets give 12 dead; one gives at least 30.")
    for cited in page.locator(".ws-cite input").all()[:2]:
        cited.check()
    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("Verdict saved.")
    page.locator("#verdict-form").scroll_into_view_if_needed()
    step(page, "6-draft")

    sign_in(page, live_server, "eli")
    page.goto(f"{live_server.url}/admin/factcheck/claim/{desk.pk}/review/")
    page.locator("#publish-verdict").click()
    expect(page.locator(".messagelist")).to_contain_text("Verdict published.")
    page.locator(".ws-verdict").scroll_into_view_if_needed()
    # The correction, reached and sent from the keyboard.
    page.locator("#correct summary").focus()
    page.keyboard.press("Enter")
    page.fill("#correct-summary", "Two independent outlets give 12 dead; Brightwater Tribune gives at least 30.")
    page.fill("#correct-note", "Named the outlet that gives the higher toll.")
    step(page, "7-publish-and-correct")
    page.locator("#correct-verdict").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Verdict corrected")
    verdict = Verdict.objects.get(claim=desk, is_current=True)
    assert verdict.status == "corrected"
    page.screenshot(path=f"{SCREENSHOTS}/review-corrected.png", full_page=True)

    page.get_by_role("link", name="Public page").click()
    expect(page.locator("body")).to_contain_text("Named the outlet that gives the higher toll.")
    expect(page.locator("#corrections")).to_contain_text("Named the outlet that gives the higher toll.")
    expect(page.locator(".byline")).to_contain_text("reviewed by Rita Novak")
    expect(page.locator("#evidence")).to_contain_text("Brightwater Tribune")
    expect(page.locator("header.site")).to_contain_text(settings.FACTCHECK_ORGANIZATION_NAME)
    public_url = page.url

    # Another editor retracts it; a reader then finds a tombstone, not a missing page.
    sign_in(page, live_server, "eva")
    page.goto(f"{live_server.url}/admin/factcheck/claim/{desk.pk}/review/")
    page.locator("#retract summary").click()
    page.fill("#retract-note", "The toll figures were from an unverified early report.")
    page.locator("#retract-verdict").click()
    expect(page.locator(".messagelist")).to_contain_text("Verdict retracted")
    page.context.clear_cookies()
    page.goto(public_url)
    expect(page.locator("h1")).to_have_text("This fact-check was retracted")
    expect(page.locator(".notice.retracted")).to_contain_text("unverified early report")
    step(page, "8-public-page")
    assert page.blocked_requests == []
