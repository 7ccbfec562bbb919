"""The claim review page in the admin, on the sample corpus (the browser tests drive it too)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from factcheck.documents import Document
from factcheck.models import Claim, Verdict
from factcheck.services.checks import claim_check_now
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import source_ingest
from factcheck.workspace.review import highlight, marked_difference

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles", "sample_corpus")]


def staff(name: str, role: str | None) -> Client:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-only", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def review_url(claim: Claim) -> str:
    return reverse("admin:factcheck_claim_review", args=[claim.pk])


def ostrel_claim() -> Claim:
    return Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")


def test_the_page_shows_the_figures_table_with_each_outlets_value() -> None:
    page = staff("rita", "reviewer").get(review_url(ostrel_claim())).content.decode()
    table = page[page.index('id="figures-table"') : page.index("</table>", page.index('id="figures-table"'))]
    assert "Figures differ" in page
    assert "at least 30 people" in table
    assert "Brightwater Tribune" in table
    assert "at_least" in table
    assert "12 people" in table or "Twelve people" in table
    assert '<mark class="conflicts figure"' in page


def test_quotation_provenance_marks_the_reworded_and_the_misattributed() -> None:
    claim = claim_submit(
        text='Teodor Malesh said: "Drazhin is hunting for new soldiers abroad because it has no intention of ending'
        ' this war."',
        claimant="Teodor Malesh",
    )
    claim_check_now(claim_id=claim.pk)
    page = staff("rita", "reviewer").get(review_url(claim)).content.decode()
    assert "Quotation provenance" in page
    assert "verbatim" in page
    assert "re-worded (a variant)" in page
    assert "<del>hunting</del>" in page


def test_article_text_is_rendered_inert(django_capture_on_commit_callbacks) -> None:
    hostile = (
        'Officials said 12 people were killed in Ostrel <script>alert("x")</script> and '
        '<img src=x onerror="alert(1)"> when the missile hit the railway station.'
    )
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(document=Document(text=hostile, format="txt"), outlet_name="Hostile <b>Herald</b>")
    claim = ostrel_claim()
    claim_check_now(claim_id=claim.pk)
    page = staff("rita", "reviewer").get(review_url(claim)).content.decode()
    assert "Hostile &lt;b&gt;Herald&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_a_reviewer_drafts_and_another_editor_publishes_from_the_page() -> None:
    claim = ostrel_claim()
    reviewer, editor = staff("rita", "reviewer"), staff("eli", "editor")
    evidence = claim.check_runs.filter(status="succeeded").latest("pk").evidence.filter(stance="conflicts").first()
    assert evidence is not None
    saved = reviewer.post(
        review_url(claim),
        {
            "action": "save",
            "rating": "mixed",
            "summary": "12 in two outlets, 30 in one.",
            "cited": [evidence.pk],
            "claim_version": claim.version,
        },
        follow=True,
    )
    assert "Verdict saved." in saved.content.decode()
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert list(verdict.cited_evidence.all()) == [evidence]

    page = editor.get(review_url(claim)).content.decode()
    assert 'id="publish-verdict"' in page
    editor.post(review_url(claim), {"action": "publish", "verdict": verdict.pk, "version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == "published"
    assert verdict.approved_by is not None
    assert verdict.approved_by.username == "eli"


def test_an_editor_is_told_why_they_cannot_publish_their_own_draft() -> None:
    claim = ostrel_claim()
    editor = staff("edna", "editor")
    editor.post(
        review_url(claim), {"action": "save", "rating": "true", "summary": "Twelve.", "claim_version": claim.version}
    )
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    response = editor.post(
        review_url(claim), {"action": "publish", "verdict": verdict.pk, "version": verdict.version}, follow=True
    )
    page = response.content.decode()
    assert "four-eyes: another editor must publish" in page.lower()
    assert Verdict.objects.get(pk=verdict.pk).status == "draft"


def test_a_stale_form_does_not_overwrite_a_newer_draft() -> None:
    claim = ostrel_claim()
    reviewer = staff("rita", "reviewer")
    reviewer.post(
        review_url(claim), {"action": "save", "rating": "true", "summary": "First.", "claim_version": claim.version}
    )
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    form = {"action": "save", "verdict": verdict.pk, "version": verdict.version, "rating": "mixed"}
    reviewer.post(review_url(claim), {**form, "summary": "Second."})
    response = reviewer.post(review_url(claim), {**form, "summary": "Stale."}, follow=True)
    assert "changed since you read it" in response.content.decode()
    assert Verdict.objects.get(pk=verdict.pk).summary == "Second."


def test_staff_without_the_reviewer_role_are_refused() -> None:
    assert staff("visitor", None).get(review_url(ostrel_claim())).status_code == 403


def test_highlighting_escapes_everything_and_skips_bad_spans() -> None:
    text = "<b>12</b> people & more"
    marked = highlight(text, [{"start": 3, "end": 5, "label": "figure"}, {"start": 4, "end": 99}], "supports")
    assert marked == '&lt;b&gt;<mark class="supports figure" title="figure">12</mark>&lt;/b&gt; people &amp; more'
    assert marked_difference("hunting for new soldiers", "searching for fresh troops") == (
        "<del>hunting</del> <ins>searching</ins> for <del>new soldiers</del> <ins>fresh troops</ins>"
    )


def test_the_page_says_what_the_check_searched_and_rechecks_the_whole_archive_on_request() -> None:
    claim = ostrel_claim()
    reviewer = staff("rita", "reviewer")
    page = reviewer.get(review_url(claim)).content.decode()
    searched = page[page.index('id="searched">') : page.index("</span>", page.index('id="searched">'))]
    assert "passages published 2025-" in searched
    assert reviewer.post(review_url(claim), {"action": "recheck_archive"}).status_code == 302
    run = claim.check_runs.get(status="queued")
    assert run.whole_archive
