"""The desk's pages checked by axe-core (from npm, package-lock.json) in Debian's Chromium, in the
light and the dark mode: no serious or critical violation on the home, the claim list, the review
page (with another desk's fact-check to decide on, as the home lists it), the queue overview or the
public page. The counts of every violation, by impact, are written to
var/axe/report.json for the notes."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from factcheck.models import Claim, ImportedReview, ImportedReviewMatch, RatingLabel
from factcheck.services import reviews
from tests.browser.conftest import REPO_ROOT, BrowserPage, signed_in
from tests.browser.test_workspace import PASSWORD, person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process", "default_rating_scale", "roles"),
]

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT = REPO_ROOT / "var" / "axe" / "report.json"
BLOCKING = ("serious", "critical")
# What each page must show while it is checked (another desk's fact-check waiting for a reviewer).
SECTIONS_SHOWN = {"home": "Checked by other desks?", "review page": "Already fact-checked?"}


@pytest.fixture
def axe_page(page_for_axe: BrowserPage) -> BrowserPage:
    if not AXE.is_file():
        message = f"axe-core is not installed ({AXE}): run `make browser-deps` (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    page_for_axe.set_viewport_size({"width": 1280, "height": 900})
    return page_for_axe


def violations(page: BrowserPage) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_the_desks_pages_have_no_serious_or_critical_accessibility_violation(
    axe_page: BrowserPage, live_server: Any, committed_sample_corpus: None
) -> None:
    person("rita", "reviewer")
    person("eli", "editor")
    claim = Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")
    public = published(claim)
    # Another desk's fact-check waiting for a reviewer: its sections on the home and the review page.
    review = ImportedReview.objects.create(
        url="https://dravafactlab.example/checks/ostrel",
        publisher_name="Drava Fact Lab",
        publisher_site="dravafactlab.example",
        claim_text="A Korvan missile strike on Ostrel's main railway station killed 12 people.",
        textual_rating="Accurate",
        imported_from="https://dravafactlab.example/feed.json",
    )
    ImportedReviewMatch.objects.create(claim=claim, review=review, score=0.5)
    base = live_server.url
    pages = {
        "home": "/admin/",
        "claim list": "/admin/factcheck/claim/",
        "review page": f"/admin/factcheck/claim/{claim.pk}/review/",
        "queue overview": "/admin/factcheck/claim/queue/",
        "public page": f"/fact-checks/{public}/",
    }
    signed_in(axe_page, live_server, "rita", PASSWORD)
    report: dict[str, dict[str, Any]] = {}
    blocking: list[str] = []
    for scheme in ("light", "dark"):
        axe_page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
        for name, path in pages.items():
            axe_page.goto(base + path)
            assert SECTIONS_SHOWN.get(name, "") in axe_page.content(), f"{name}: no {SECTIONS_SHOWN[name]!r}"
            found = violations(axe_page)
            report[f"{name} ({scheme})"] = {
                "by_impact": dict(Counter(v["impact"] for v in found)),
                "violations": found,
            }
            blocking += [
                f"{name} ({scheme}): {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
                for v in found
                if v["impact"] in BLOCKING
            ]
    assert axe_page.blocked_requests == []  # nothing loaded from outside the site, in either mode
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert not blocking, "\n".join(blocking)


def published(claim: Claim) -> str:
    """A verdict on the claim, drafted by rita and published by eli through the services; its slug."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    verdict = reviews.verdict_draft(
        claim_id=claim.pk,
        by=users.get(username="rita"),
        rating_id=RatingLabel.objects.get(slug="mixed").pk,
        summary="Two independent outlets give 12 dead; one gives at least 30.",
        cited_evidence_ids=list(
            claim.check_runs.filter(status="succeeded")
            .latest("pk")
            .evidence.filter(stance="conflicts")
            .values_list("pk", flat=True)[:1]
        ),
    )
    verdict = reviews.verdict_publish(verdict_id=verdict.pk, expected_version=None, by=users.get(username="eli"))
    assert verdict.slug
    return verdict.slug
