"""Every admin page a reviewer opens renders, with its filters and search."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, RatingLabel, Source, Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale")]

MODELS = [Outlet, Source, Passage, Claim, CheckRun, Evidence, Verdict, RatingLabel]


@pytest.fixture
def admin_client_logged_in(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def rows() -> dict[type, object]:
    outlet = Outlet.objects.create(name="Fjord Bulletin", domain="fjord.example")
    source = Source.objects.create(
        outlet=outlet, text="Ice <b>melted</b>. Boats left.", content_hash="e" * 64, url="https://fjord.example/a"
    )
    passage = Passage.objects.create(
        source=source, position=0, text="Ice <b>melted</b>.", start_offset=0, end_offset=18
    )
    claim = Claim.objects.create(text="Ice melted", claimant="Harbour office")
    run = CheckRun.objects.create(claim=claim, status="succeeded", assessment="single_source", confidence=0.4)
    evidence = Evidence.objects.create(run=run, passage=passage, stance="supports", reason="wording_overlap")
    verdict = Verdict.objects.create(claim=claim, rating=RatingLabel.objects.get(slug="true"), summary="Yes.")
    return {
        Outlet: outlet,
        Source: source,
        Passage: passage,
        Claim: claim,
        CheckRun: run,
        Evidence: evidence,
        Verdict: verdict,
        RatingLabel: RatingLabel.objects.first(),
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_change_list_renders_with_search(admin_client_logged_in: Client, rows, model) -> None:
    url = reverse(f"admin:factcheck_{model._meta.model_name}_changelist")
    response = admin_client_logged_in.get(url, {"q": "melted"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_detail_page_renders(admin_client_logged_in: Client, rows, model) -> None:
    url = reverse(f"admin:factcheck_{model._meta.model_name}_change", args=[rows[model].pk])
    assert admin_client_logged_in.get(url).status_code == 200


def test_a_source_page_shows_its_passages_escaped(admin_client_logged_in: Client, rows) -> None:
    url = reverse("admin:factcheck_source_change", args=[rows[Source].pk])
    html = admin_client_logged_in.get(url).content.decode()
    assert "Ice &lt;b&gt;melted&lt;/b&gt;." in html
    assert "<b>melted</b>" not in html


def test_sources_and_passages_cannot_be_added_or_edited_by_hand(admin_client_logged_in: Client, rows) -> None:
    assert admin_client_logged_in.get(reverse("admin:factcheck_source_add")).status_code == 403
    assert admin_client_logged_in.get(reverse("admin:factcheck_passage_add")).status_code == 403
    passage_url = reverse("admin:factcheck_passage_change", args=[rows[Passage].pk])
    admin_client_logged_in.post(passage_url, {"text": "rewritten"})
    assert Passage.objects.get().text == "Ice <b>melted</b>."


def test_a_published_verdict_cannot_be_deleted(admin_client_logged_in: Client, rows) -> None:
    verdict = rows[Verdict]
    Verdict.objects.filter(pk=verdict.pk).update(status="published", published_at="2025-04-10T10:00Z")
    url = reverse("admin:factcheck_verdict_delete", args=[verdict.pk])
    assert admin_client_logged_in.post(url, {"post": "yes"}).status_code == 403
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    response = client.get(reverse("admin:factcheck_claim_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_recheck_action_queues_one_check_per_claim(admin_client_logged_in: Client, rows) -> None:
    claim = rows[Claim]
    url = reverse("admin:factcheck_claim_changelist")
    data = {"action": "recheck", "_selected_action": [claim.pk]}

    response = admin_client_logged_in.post(url, data, follow=True)
    admin_client_logged_in.post(url, data, follow=True)

    assert "1 check(s) queued" in response.content.decode()
    assert CheckRun.objects.filter(claim=claim, status="queued", trigger="manual").count() == 1


def test_a_check_run_page_shows_what_each_passage_said(admin_client_logged_in: Client, rows) -> None:
    evidence = rows[Evidence]
    evidence.details = {"claim_value": "11,000 soldiers", "evidence_value": "approximately 15,000 soldiers"}
    evidence.save()
    page = admin_client_logged_in.get(reverse("admin:factcheck_checkrun_change", args=[rows[CheckRun].pk]))
    assert "11,000 soldiers / approximately 15,000 soldiers" in page.content.decode()
    assert "Fjord Bulletin" in page.content.decode()


def test_bulk_actions_assign_and_archive_and_the_history_page_shows_who_changed_what(
    admin_client_logged_in: Client, rows
) -> None:
    claim = Claim.objects.create(text="Boats left the harbour", claimant="Harbour office")
    url = reverse("admin:factcheck_claim_changelist")
    admin_client_logged_in.post(url, {"action": "assign_to_me", "_selected_action": [claim.pk]}, follow=True)
    claim.refresh_from_db()
    assert claim.assignee is not None
    assert (claim.assignee.username, claim.status) == ("boss", "in_review")

    admin_client_logged_in.post(url, {"action": "archive", "_selected_action": [claim.pk]}, follow=True)
    claim.refresh_from_db()
    assert claim.status == "archived"

    history = admin_client_logged_in.get(reverse("admin:factcheck_claim_history", args=[claim.pk])).content.decode()
    assert "boss" in history
    assert "archived" in history


def test_a_published_verdict_cannot_be_edited_in_the_admin(admin_client_logged_in: Client, rows) -> None:
    verdict = rows[Verdict]
    Verdict.objects.filter(pk=verdict.pk).update(status="published", published_at="2025-04-10T10:00:00Z")
    page = admin_client_logged_in.get(reverse("admin:factcheck_verdict_change", args=[verdict.pk])).content.decode()
    assert 'name="summary"' not in page


def test_source_fetches_are_listed_read_only(admin_client_logged_in: Client) -> None:
    from factcheck.models import SourceFetch

    fetch = SourceFetch.objects.create(url="https://fjord.example/b", status="failed", error="the site answered 404")
    listing = admin_client_logged_in.get(reverse("admin:factcheck_sourcefetch_changelist"), {"q": "fjord"})
    assert "https://fjord.example/b" in listing.content.decode()
    page = admin_client_logged_in.get(reverse("admin:factcheck_sourcefetch_change", args=[fetch.pk])).content.decode()
    assert "the site answered 404" in page
    assert 'name="url"' not in page


def test_imported_reviews_are_listed_searched_and_filtered_read_only(admin_client_logged_in: Client) -> None:
    from factcheck.models import ImportedReview

    review = ImportedReview.objects.create(
        url="https://valleyledger.example/truth-gauge/bus-lanes/",
        publisher_name="Valley Ledger",
        publisher_site="valleyledger.example",
        claim_text="The new bus lanes cut journey times by half.",
        textual_rating="Mostly False",
        rating_value=3,
        worst_rating=1,
        best_rating=7,
        imported_from="https://valleyledger.example/feed.json",
    )
    ImportedReview.objects.create(
        url="https://harbourchecks.example/ferry/",
        publisher_name="Harbour Checks",
        publisher_site="harbourchecks.example",
        claim_text="Ferry fares doubled.",
        textual_rating="Wrong",
        imported_from="https://harbourchecks.example/ferry/",
    )
    changelist = reverse("admin:factcheck_importedreview_changelist")
    listing = admin_client_logged_in.get(changelist, {"q": "bus lanes"}).content.decode()
    assert "Mostly False (3 on 1 to 7)" in listing
    assert "Ferry fares" not in listing
    assert "?publisher_site=harbourchecks.example" in listing  # the filter by publisher site
    filtered = admin_client_logged_in.get(changelist, {"publisher_site": "harbourchecks.example"}).content.decode()
    assert "Ferry fares doubled." in filtered
    assert "bus lanes" not in filtered
    page = admin_client_logged_in.get(reverse("admin:factcheck_importedreview_change", args=[review.pk]))
    assert page.status_code == 200
    assert 'name="claim_text"' not in page.content.decode()
    assert admin_client_logged_in.get(reverse("admin:factcheck_importedreview_add")).status_code == 403


@pytest.mark.usefixtures("roles")
def test_the_desk_sees_the_models_added_since_the_roles_were_made_and_the_admin_role_has_every_permission(
    client: Client,
) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    reviewer = get_user_model().objects.create_user("rita", password="pw-for-tests-only", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    client.force_login(reviewer)

    for model in ("stancecorrection", "importedreview", "feed", "sourcefetch"):
        assert client.get(f"/admin/factcheck/{model}/").status_code == 200, model
    assert client.get("/admin/factcheck/webhooksubscription/").status_code == 403  # editors' and admins' only
    every = set(Permission.objects.filter(content_type__app_label="factcheck").values_list("codename", flat=True))
    admin_role = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert every <= admin_role
