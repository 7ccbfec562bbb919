"""The claim review page in the admin, on the sample corpus (the browser tests drive it too)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from factcheck.documents import Document
from factcheck.models import Claim, ClaimMatchSuggestion, Verdict
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
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(?:<strong>)?(.*?)(?:</strong>)?</td>", table)]
    # Each figure with its qualifier in words and what it counts; no engine code shown.
    assert "at least 30" in cells
    assert "Brightwater Tribune" in cells
    assert "at_least" not in table
    assert "12" in cells or "Twelve" in cells
    assert any(cell.startswith("people") and "kill" in cell for cell in cells), cells
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


def evidence_section(page: str) -> str:
    return page[page.index('<section class="ws-evidence">') : page.index('<section class="ws-verdict">')]


def test_the_evidence_reads_in_words_with_no_engine_code() -> None:
    claim = ostrel_claim()
    run = claim.check_runs.filter(status="succeeded").latest("pk")
    reasons = set(run.evidence.values_list("reason", flat=True))
    assert "figure_conflict" in reasons
    section = evidence_section(staff("rita", "reviewer").get(review_url(claim)).content.decode())
    assert "Contradicts: gives a different figure" in section
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]*>", " ", section)), "an engine code is shown"
    assert "Origin 1" not in section


def test_reports_are_shown_apart_from_confirmations() -> None:
    claim = ostrel_claim()
    run = claim.check_runs.filter(status="succeeded").latest("pk")
    report = run.evidence.filter(stance="conflicts").first()
    assert report is not None
    # As the learned layer records a passage that repeats the claim on someone's word.
    run.evidence.filter(pk=report.pk).update(stance="mentions", reason="reported")
    page = staff("rita", "reviewer").get(review_url(claim)).content.decode()
    reports = page[page.index('<section class="ws-reports">') : page.index("</section>", page.index("ws-reports"))]
    confirmations = page[page.index('<section class="ws-evidence">') : page.index('<section class="ws-reports">')]
    assert "A report is not a confirmation" in reports
    assert report.passage.source.outlet.name in reports
    assert "repeats it on someone else" in reports
    assert "repeats it on someone else" not in confirmations


def test_a_wording_change_ignores_punctuation_and_case() -> None:
    assert marked_difference("sent 11,000 soldiers.", "Sent 11,000 soldiers") == "Sent 11,000 soldiers"
    assert marked_difference("sent soldiers.", "sent troops") == "sent <del>soldiers.</del> <ins>troops</ins>"


def test_a_time_is_shown_only_when_one_was_given() -> None:
    from django.utils import timezone

    from factcheck.workspace.review import moment

    day = timezone.make_aware(dt.datetime(2025, 4, 23))
    assert moment(day) == "2025-04-23"
    assert moment(day + dt.timedelta(hours=7, minutes=5)) == "2025-04-23 07:05"
    assert moment(None) == ""


def test_pending_suggestions_are_shown_and_decided_on_the_page() -> None:
    claim = ostrel_claim()
    other = claim_submit(text="Officials said twelve people died in the strike on the Ostrel railway station.")
    suggestion = ClaimMatchSuggestion.objects.create(claim=other, candidate=claim, score=0.7)
    reviewer = staff("rita", "reviewer")
    page = reviewer.get(review_url(claim)).content.decode()
    assert "Possibly the same claim" in page
    assert other.text in page
    rejected = reviewer.post(
        review_url(claim), {"action": "suggestion_reject", "suggestion": suggestion.pk}, follow=True
    )
    assert "Suggestion rejected" in rejected.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert suggestion.decided_by is not None
    assert suggestion.decided_by.username == "rita"
    assert other.text not in reviewer.get(review_url(claim)).content.decode()
    # A suggestion about other claims cannot be decided from this page, nor a forged id.
    elsewhere = ClaimMatchSuggestion.objects.create(
        claim=other, candidate=claim_submit(text="A ferry sank off Karsk with 40 people aboard."), score=0.6
    )
    for forged in (elsewhere.pk, "x1", ""):
        response = reviewer.post(review_url(claim), {"action": "suggestion_confirm", "suggestion": forged})
        assert response.status_code == 404
    assert ClaimMatchSuggestion.objects.get(pk=elsewhere.pk).status == "pending"


def published_verdict(claim: Claim) -> Verdict:
    staff("rita", "reviewer").post(
        review_url(claim), {"action": "save", "rating": "mixed", "summary": "12 or 30.", "claim_version": claim.version}
    )
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    staff("eli", "editor").post(review_url(claim), {"action": "publish", "verdict": verdict.pk, "version": 1})
    verdict.refresh_from_db()
    assert verdict.status == "published"
    return verdict


def test_an_editor_corrects_a_published_verdict_from_the_page() -> None:
    claim = ostrel_claim()
    verdict = published_verdict(claim)
    editor = staff("ed", "editor")
    page = editor.get(review_url(claim)).content.decode()
    assert 'id="correct-form"' in page
    assert 'id="retract-form"' in page
    assert 'id="correct-form"' not in staff("rob", "reviewer").get(review_url(claim)).content.decode()
    form = {"action": "correct", "verdict": verdict.pk, "version": verdict.version, "rating": "mixed"}
    missing_note = editor.post(review_url(claim), {**form, "summary": "12 dead, 30 in one.", "note": " "}, follow=True)
    assert "a correction needs a public note" in missing_note.content.decode().lower()
    done = editor.post(
        review_url(claim),
        {**form, "summary": "12 dead; one outlet said 30.", "note": "Summary made clearer."},
        follow=True,
    )
    assert "Verdict corrected" in done.content.decode()
    verdict.refresh_from_db()
    assert (verdict.status, verdict.summary, verdict.correction_note) == (
        "corrected",
        "12 dead; one outlet said 30.",
        "Summary made clearer.",
    )
    # A new rating waits for a second editor (four-eyes), who confirms it from the page.
    editor.post(
        review_url(claim),
        {**form, "version": verdict.version, "rating": "false", "summary": "Wrong.", "note": "Re-rated."},
    )
    verdict.refresh_from_db()
    assert verdict.proposed_correction
    assert verdict.rating.slug == "mixed"
    other = staff("eva", "editor")
    assert "A rating correction awaits a second editor" in other.get(review_url(claim)).content.decode()
    other.post(review_url(claim), {"action": "correction_confirm", "verdict": verdict.pk, "version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.rating.slug == "false"
    assert not verdict.proposed_correction


def test_an_editor_retracts_a_published_verdict_from_the_page_and_a_reviewer_cannot() -> None:
    claim = ostrel_claim()
    verdict = published_verdict(claim)
    form = {"action": "retract", "verdict": verdict.pk, "version": verdict.version, "note": "The figures were wrong."}
    refused = staff("rob", "reviewer").post(review_url(claim), form, follow=True)
    assert "only editors may retract" in refused.content.decode().lower()
    assert Verdict.objects.get(pk=verdict.pk).status == "published"
    staff("ed", "editor").post(review_url(claim), form)
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert (verdict.status, verdict.correction_note, claim.status) == (
        "retracted",
        "The figures were wrong.",
        "needs_review",
    )


def test_an_undated_claim_says_its_date_is_unknown(django_capture_on_commit_callbacks) -> None:
    text = "Officials in Karsk said 40 people were evacuated when the river burst its banks on the outskirts."
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(document=Document(text=text, format="txt"), outlet_name="Undated Echo")
    claim = Claim.objects.get(origin_source__outlet__name="Undated Echo")
    assert claim.claim_date is None
    page = staff("rita", "reviewer").get(review_url(claim)).content.decode()
    header = page[page.index('<section class="ws-claim">') : page.index("</section>")]
    assert "First appeared: date unknown" in header
    assert "(date unknown)" in header


def test_the_quotation_table_lists_only_passages_where_the_quotation_was_found() -> None:
    from factcheck.models import Evidence, Outlet, Passage, Source
    from factcheck.workspace.review import quote_rows

    source = Source(outlet=Outlet(name="Signal & Ledger"))
    text = '"No country is neutral," Malesh said.'
    found = Evidence(
        passage=Passage(source=source, text=text),
        stance="conflicts",
        reason="quote_misattributed",
        spans=[{"start": 1, "end": 21, "label": "quotation"}],
        details={"quotation": "No country is neutral,", "evidence_speaker": "Malesh"},
    )
    like_words = Evidence(passage=Passage(source=source, text=text), stance="mentions", reason="quote_other_speaker")
    rows = quote_rows([found, like_words])
    assert [(row.outlet, row.kind, row.speaker) for row in rows] == [
        ("Signal & Ledger", "given to someone else", "Malesh")
    ]
