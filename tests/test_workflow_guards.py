"""Every transition the workflow forbids, tried on every path that could make it: the REST
API, the admin's forms (signed in with a real session and submitting the page's own form,
CSRF token included, as a browser does), the reviewer's review page and the history pages.

Each case is one row of CASES: a path, a forbidden change, and what must hold afterwards.
The rows are the table the issue asks for; each guard was removed once to see its rows
fail (see the issue note).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from factcheck.models import CheckRun, Claim, Evidence, Outlet, Passage, RatingLabel, Source, Verdict
from factcheck.services import reviews

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_rating_scale", "roles")]

PASSWORD = "pw-for-tests-only"


def make_user(name: str, role: str | None, *, staff: bool = True) -> Any:
    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def people() -> dict[str, Any]:
    return {
        "reviewer": make_user("rita", "reviewer"),
        "reviewer2": make_user("ravi", "reviewer"),
        "editor": make_user("edna", "editor"),
        "editor2": make_user("eli", "editor"),
        "staff": make_user("stan", None),  # staff status, no role, no permission
        "reader": make_user("newsroom", "reader", staff=False),
    }


@dataclass
class World:
    published: Claim  # rated by rita, published by eli
    public_verdict: Verdict
    drafted: Claim  # rated by rita (a draft), not yet published
    draft: Verdict
    open: Claim  # checked, nobody rated it
    other_evidence: Evidence  # evidence of the open claim, not of the others
    own_evidence: Evidence  # evidence of the drafted claim
    conflicting_source: Source


@pytest.fixture
def world(people: dict[str, Any]) -> World:
    """The states, reached through the services as the desk would reach them."""
    ours = Outlet.objects.create(name="Harbour Herald")
    theirs = Outlet.objects.create(name="Coast Courier")
    source = Source.objects.create(outlet=ours, text="Twelve died. Rain fell.", content_hash="1" * 64)
    conflicting = Source.objects.create(outlet=theirs, text="Thirty died. Wind rose.", content_hash="2" * 64)
    passage = Passage.objects.create(source=source, position=0, text="Twelve died.", start_offset=0, end_offset=12)
    other = Passage.objects.create(source=conflicting, position=0, text="Thirty died.", start_offset=0, end_offset=12)
    claims = [
        Claim.objects.create(text=text, claimant="Harbour office", status="needs_review", origin_source=source)
        for text in ("Twelve people died in the strike.", "The station was a military hub.", "Forty were hurt.")
    ]
    published, drafted, open_claim = claims
    evidence = {}
    for claim in claims:
        run = CheckRun.objects.create(claim=claim, status="succeeded", assessment="conflicting")
        evidence[claim.pk] = Evidence.objects.create(run=run, passage=other, stance="conflicts", reason="figure")
        Evidence.objects.create(run=run, passage=passage, stance="supports", reason="figure_agrees")
    true = RatingLabel.objects.get(slug="true").pk
    public = reviews.verdict_draft(claim_id=published.pk, by=people["reviewer"], rating_id=true, summary="Yes.")
    reviews.verdict_publish(verdict_id=public.pk, expected_version=None, by=people["editor2"])
    draft = reviews.verdict_draft(
        claim_id=drafted.pk,
        by=people["reviewer"],
        rating_id=true,
        summary="Draft.",
        cited_evidence_ids=[evidence[drafted.pk].pk],
    )
    for row in (published, drafted, open_claim, public, draft):
        row.refresh_from_db()
    return World(
        published=published,
        public_verdict=public,
        drafted=drafted,
        draft=draft,
        open=open_claim,
        other_evidence=evidence[open_claim.pk],
        own_evidence=evidence[drafted.pk],
        conflicting_source=conflicting,
    )


# --- The paths ---------------------------------------------------------------------------------------


def browser(user: Any) -> Client:
    """A client that signs in through the admin's login form and must send CSRF tokens."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 302, "signing in failed"
    return client


def submit_form(client: Client, url: str, changes: dict[str, Any], *, form_id: str | None = None) -> Any:
    """Open the page and submit its form as a browser would: every field as the page filled
    it (hidden ones included), with ``changes`` typed over them. A field the page does not
    offer cannot be submitted (a read-only field is not an input); None removes a field."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    document = lxml.html.fromstring(page.content)
    # The admin's header holds a sign-out form: the page's own form is another one.
    forms = [f for f in document.forms if f.get("id") == form_id or (form_id is None and f.get("id") != "logout-form")]
    form = next(f for f in forms if f.method.upper() == "POST")
    values: dict[str, Any] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value if isinstance(value, list) else [value]
    return client.post(url, values, follow=True)


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def etag(client: APIClient, url: str) -> str:
    return str(client.get(url)["ETag"])


def admin_change(model: str, pk: int) -> str:
    return reverse(f"admin:factcheck_{model}_change", args=[pk])


def review_page(claim: Claim) -> str:
    return reverse("admin:factcheck_claim_review", args=[claim.pk])


# --- What must hold after a refused attempt ------------------------------------------------------------


def snapshot(world: World) -> dict[str, Any]:
    """Everything a forbidden change could have touched."""
    claims = Claim.objects.filter(pk__in=[world.published.pk, world.drafted.pk, world.open.pk]).order_by("pk")
    verdicts = Verdict.objects.filter(claim__in=claims).order_by("pk")
    return {
        "claims": list(
            claims.values(
                "pk", "text", "claimant", "claim_date", "status", "origin_source", "assignee", "has_new_evidence"
            )
        ),
        "verdicts": list(
            verdicts.values(
                "pk", "status", "rating", "summary", "slug", "author", "approved_by", "is_stale", "correction_note"
            )
        ),
        "proposals": list(verdicts.values_list("proposed_correction", flat=True)),
        "citations": sorted(Verdict.cited_evidence.through._default_manager.values_list("verdict_id", "evidence_id")),
    }


# --- The table ------------------------------------------------------------------------------------------

# An attempt takes the people, the world and ``ready``: it calls ready() once its legitimate
# setup is done (a retraction first, a page opened, someone else's concurrent edit), just
# before the forbidden request; what ready() saw is what must still hold afterwards.
Attempt = Callable[[dict[str, Any], World, Callable[[], None]], Any]


def _api_publish(who: str, verdict: str) -> Attempt:
    def attempt(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
        target = getattr(world, verdict)
        client = api(people[who])
        url = f"/api/v1/verdicts/{target.pk}/"
        ready()
        return client.post(url + "publish/", HTTP_IF_MATCH=etag(client, url))

    return attempt


def api_retract_draft(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = api(people["editor"])
    url = f"/api/v1/verdicts/{world.draft.pk}/"
    ready()
    return client.post(url + "retract/", {"note": "Withdrawn."}, HTTP_IF_MATCH=etag(client, url))


def api_publish_retracted(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    reviews.verdict_retract(verdict_id=world.public_verdict.pk, expected_version=None, by=people["editor"], note="x")
    client = api(people["editor"])
    url = f"/api/v1/verdicts/{world.public_verdict.pk}/"
    ready()
    return client.post(url + "publish/", HTTP_IF_MATCH=etag(client, url))


def api_correct_with_blank_note(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = api(people["editor"])
    url = f"/api/v1/verdicts/{world.public_verdict.pk}/"
    ready()
    return client.post(url + "correct/", {"correction_note": "  ", "summary": "No."}, HTTP_IF_MATCH=etag(client, url))


def _api_edit_claim(claim: str, changes: dict[str, Any], *, stale_first: bool = False) -> Attempt:
    def attempt(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
        if stale_first:
            reviews.verdict_mark_stale(verdict_id=world.public_verdict.pk, reason="new evidence")
        client = api(people["reviewer"])
        url = f"/api/v1/claims/{getattr(world, claim).pk}/"
        ready()
        return client.patch(url, changes, HTTP_IF_MATCH=etag(client, url))

    return attempt


def api_rating_correction_by_one_editor(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    """An editor proposes a new rating, then tries to confirm it themself."""
    client = api(people["editor"])
    url = f"/api/v1/verdicts/{world.public_verdict.pk}/"
    client.post(url + "correct/", {"correction_note": "Revised.", "rating": "false"}, HTTP_IF_MATCH=etag(client, url))
    ready()
    return client.post(url + "confirm-correction/", HTTP_IF_MATCH=etag(client, url))


def api_editor_publishes_a_draft_they_changed(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = api(people["editor"])
    url = f"/api/v1/verdicts/{world.draft.pk}/"
    client.patch(url, {"summary": "Rewritten by the editor."}, HTTP_IF_MATCH=etag(client, url))
    ready()
    return client.post(url + "publish/", HTTP_IF_MATCH=etag(client, url))


def api_assign_to_a_reader(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = api(people["reviewer"])
    url = f"/api/v1/claims/{world.open.pk}/"
    ready()
    return client.post(url + "assign/", {"assignee": "newsroom"}, HTTP_IF_MATCH=etag(client, url))


def api_cite_another_claims_evidence(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = api(people["reviewer"])
    url = f"/api/v1/verdicts/{world.draft.pk}/"
    ready()
    return client.patch(url, {"cited_evidence": [world.other_evidence.pk]}, HTTP_IF_MATCH=etag(client, url))


def _admin_claim_form(claim: str, changes: Callable[[dict[str, Any], World], dict[str, Any]]) -> Attempt:
    """Submit the claim's admin form with ``changes(people, world)`` typed over its fields."""

    def attempt(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
        target = getattr(world, claim)
        ready()
        return submit_form(browser(people["reviewer"]), admin_change("claim", target.pk), changes(people, world))

    return attempt


def admin_stale_claim_form(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer"])
    url = admin_change("claim", world.open.pk)
    page = client.get(url)
    form = next(f for f in lxml.html.fromstring(page.content).forms if f.get("id") == "claim_form")
    values = dict(form.form_values())
    # Someone else edits the claim through the API while this page is open.
    reviews.claim_update(
        claim_id=world.open.pk, expected_version=world.open.version, by=people["reviewer2"], changes={"claimant": "X"}
    )
    ready()
    return client.post(url, {**values, "claimant": "Overwritten"}, follow=True)


def admin_stale_verdict_form(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer"])
    url = admin_change("verdict", world.draft.pk)
    page = lxml.html.fromstring(client.get(url).content)
    values = dict(next(f for f in page.forms if f.get("id") == "verdict_form").form_values())
    reviews.verdict_update(
        verdict_id=world.draft.pk, expected_version=world.draft.version, by=people["reviewer2"], summary="Newer."
    )
    ready()
    return client.post(url, {**values, "summary": "Stale page."}, follow=True)


def admin_edit_published_verdict(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["editor"])
    url = admin_change("verdict", world.public_verdict.pk)
    token = client.cookies["csrftoken"].value
    forged = {
        "csrfmiddlewaretoken": token,
        "summary": "Correction: it was all fine.",
        "slug": "new-slug",
        "is_stale": "on",
        "cited_evidence": [world.other_evidence.pk],
        "rating": RatingLabel.objects.get(slug="false").pk,
    }
    ready()
    return client.post(url, forged, follow=True)


def admin_add_second_verdict_with_another_author(
    people: dict[str, Any], world: World, ready: Callable[[], None]
) -> Any:
    client = browser(people["editor"])
    false = RatingLabel.objects.get(slug="false").pk
    changes = {
        "claim": str(world.published.pk),
        "rating": str(false),
        "summary": "False.",
        "author": people["editor2"].pk,
    }
    ready()
    return submit_form(client, reverse("admin:factcheck_verdict_add"), changes)


def admin_staff_deletes_draft(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["staff"])
    url = reverse("admin:factcheck_verdict_delete", args=[world.draft.pk])
    ready()
    return client.post(url, {"post": "yes", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def admin_reviewer_deletes_draft(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer"])
    url = reverse("admin:factcheck_verdict_delete", args=[world.draft.pk])
    ready()
    return client.post(url, {"post": "yes", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def admin_archive_claim_with_stale_public_verdict(
    people: dict[str, Any], world: World, ready: Callable[[], None]
) -> Any:
    reviews.verdict_mark_stale(verdict_id=world.public_verdict.pk, reason="new evidence")
    client = browser(people["reviewer"])
    data = {
        "action": "archive",
        "_selected_action": [world.published.pk],
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    ready()
    return client.post(reverse("admin:factcheck_claim_changelist"), data, follow=True)


def _history_revert(model: str, target: str) -> Attempt:
    """django-simple-history's revert page: gone (a history record is never written back)."""

    def attempt(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
        row = getattr(world, target)
        first = row.history.earliest("history_date")
        client = browser(people["editor"])
        url = f"{admin_change(model, row.pk)}history/{first.history_id}/"
        ready()
        return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}, follow=True)

    return attempt


def review_page_reviewer_publishes(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer2"])
    ready()
    # The page offers a reviewer no publish button: the forged request turns the draft form into one.
    return submit_form(client, review_page(world.drafted), {"action": "publish"}, form_id="verdict-form")


def review_page_author_editor_publishes(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    """An editor drafts on the page, then presses publish on their own draft."""
    client = browser(people["editor"])
    submit_form(client, review_page(world.open), {"rating": "false", "summary": "No."}, form_id="verdict-form")
    page = client.get(review_page(world.open))
    publish = next(f for f in lxml.html.fromstring(page.content).forms if "publish" in dict(f.form_values()).values())
    ready()
    return client.post(review_page(world.open), dict(publish.form_values()), follow=True)


def review_page_stale_draft_save(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer"])
    page = client.get(review_page(world.drafted))
    form = next(f for f in lxml.html.fromstring(page.content).forms if f.get("id") == "verdict-form")
    values = dict(form.form_values())
    reviews.verdict_update(
        verdict_id=world.draft.pk, expected_version=world.draft.version, by=people["reviewer2"], summary="Newer."
    )
    ready()
    return client.post(review_page(world.drafted), {**values, "summary": "Stale page."}, follow=True)


def review_page_draft_after_the_claim_changed(people: dict[str, Any], world: World, ready: Callable[[], None]) -> Any:
    client = browser(people["reviewer"])
    page = client.get(review_page(world.open))
    form = next(f for f in lxml.html.fromstring(page.content).forms if f.get("id") == "verdict-form")
    values = dict(form.form_values())
    reviews.claim_update(
        claim_id=world.open.pk, expected_version=world.open.version, by=people["reviewer2"], changes={"text": "Fifty."}
    )
    ready()
    return client.post(review_page(world.open), {**values, "rating": "true", "summary": "Yes."}, follow=True)


@dataclass(frozen=True)
class Case:
    path: str
    forbidden: str
    attempt: Attempt
    # Besides "nothing changed": a check of the answer (status code, message shown).
    answer: Callable[[Any], bool] = lambda response: True


def refused(*codes: int) -> Callable[[Any], bool]:
    return lambda response: response.status_code in codes


def shows(text: str) -> Callable[[Any], bool]:
    return lambda response: response.status_code == 200 and text.lower() in response.content.decode().lower()


# fmt: off
CASES = [
    Case("api", "publish a retracted verdict", api_publish_retracted, refused(409)),
    Case("api", "retract a draft", api_retract_draft, refused(409)),
    Case("api", "a reviewer publishes", _api_publish("reviewer", "draft"), refused(403)),
    Case(
        "api",
        "the author's editor colleague publishes a draft they changed",
        api_editor_publishes_a_draft_they_changed,
        refused(403),
    ),
    Case(
        "api",
        "re-word a claim whose verdict is drafted",
        _api_edit_claim("drafted", {"text": "The station was a depot."}),
        refused(409),
    ),
    Case(
        "api",
        "re-word a published claim once its verdict is stale",
        _api_edit_claim("published", {"text": "Thirty people died in the strike."}, stale_first=True),
        refused(409),
    ),
    Case(
        "api",
        "re-attribute a published claim",
        _api_edit_claim("published", {"claimant": "Someone else"}),
        refused(409),
    ),
    Case("api", "re-date a published claim", _api_edit_claim("published", {"claim_date": "2020-01-01"}), refused(409)),
    Case("api", "correct with a blank note", api_correct_with_blank_note, refused(400, 409)),
    Case("api", "one editor changes a public rating alone", api_rating_correction_by_one_editor, refused(403)),
    Case("api", "assign a claim to a reader", api_assign_to_a_reader, refused(409)),
    Case("api", "cite another claim's evidence", api_cite_another_claims_evidence, refused(409)),
    Case(
        "admin",
        "re-word a published claim",
        _admin_claim_form("published", lambda people, world: {"text": "Thirty people died."}),
        shows(""),  # the field is read-only on the page: the forged value is ignored
    ),
    Case(
        "admin",
        "re-attribute a published claim",
        _admin_claim_form("published", lambda people, world: {"claimant": "Someone else"}),
        shows(""),  # the field is read-only on the page: the forged value is ignored
    ),
    Case(
        "admin",
        "re-word a claim whose verdict is drafted",
        _admin_claim_form("drafted", lambda people, world: {"text": "A depot."}),
        shows(""),  # the field is read-only on the page: the forged value is ignored
    ),
    Case(
        "admin",
        "move a claim's origin to the conflicting article",
        _admin_claim_form("open", lambda people, world: {"origin_source": str(world.conflicting_source.pk)}),
        shows("Forty were hurt."),
    ),
    Case(
        "admin",
        "assign a claim to someone who is not a reviewer",
        _admin_claim_form("open", lambda people, world: {"assignee": str(people["staff"].pk)}),
        shows("Select a valid choice"),
    ),
    Case("admin", "save a claim from a stale page", admin_stale_claim_form, shows("since you opened it")),
    Case("admin", "save a draft verdict from a stale page", admin_stale_verdict_form, shows("since you opened it")),
    Case(
        "admin",
        "edit a published verdict (slug, citations, stale flag, fake correction)",
        admin_edit_published_verdict,
        refused(403),
    ),
    Case(
        "admin",
        "add a second verdict, naming another author",
        admin_add_second_verdict_with_another_author,
        shows("already has a current verdict"),
    ),
    Case("admin", "staff without permissions delete a draft", admin_staff_deletes_draft, refused(403)),
    Case("admin", "a reviewer deletes a draft", admin_reviewer_deletes_draft, refused(403)),
    Case(
        "admin",
        "archive a claim whose public verdict is stale",
        admin_archive_claim_with_stale_public_verdict,
        shows("0 claim(s) archived"),
    ),
    Case("history", "revert a published verdict", _history_revert("verdict", "public_verdict"), refused(404)),
    Case("history", "revert a published claim", _history_revert("claim", "published"), refused(404)),
    Case("review page", "a reviewer publishes", review_page_reviewer_publishes, shows("only editors may publish")),
    Case("review page", "an editor publishes their own draft", review_page_author_editor_publishes, shows("four-eyes")),
    Case(
        "review page",
        "save a draft from a stale page",
        review_page_stale_draft_save,
        shows("changed since you read it"),
    ),
    Case(
        "review page",
        "draft a verdict of a claim re-worded since the page loaded",
        review_page_draft_after_the_claim_changed,
        shows("changed since you read it"),
    ),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.path}: {c.forbidden}")
def test_a_forbidden_transition_is_refused_and_changes_nothing(case: Case, people, world) -> None:
    before: dict[str, Any] = {}
    response = case.attempt(people, world, lambda: before.update(snapshot(world)))
    assert before, "the attempt never said when its setup was done"
    assert case.answer(response), f"unexpected answer {response.status_code}: {response.content[:300]!r}"
    # Refused means refused: nothing the workflow owns moved.
    assert snapshot(world) == before


# Guards the interfaces pre-empt (the API's serializers refuse a blank note, the admin hides the
# delete button) are tested on the service itself, the layer every path ends in.
SERVICE_CASES = [
    (
        "correct with a blank note",
        lambda people, world: reviews.verdict_correct(
            verdict_id=world.public_verdict.pk,
            expected_version=None,
            by=people["editor"],
            correction_note=" ",
            summary="No.",
        ),
    ),
    (
        "retract with a blank note",
        lambda people, world: reviews.verdict_retract(
            verdict_id=world.public_verdict.pk, expected_version=None, by=people["editor"], note=" "
        ),
    ),
    (
        "an editor without the delete permission discards a draft",
        lambda people, world: reviews.verdict_discard(
            verdict_id=world.draft.pk, expected_version=None, by=people["editor"]
        ),
    ),
    (
        "discard a published verdict",
        lambda people, world: reviews.verdict_discard(
            verdict_id=world.public_verdict.pk, expected_version=None, by=make_user("ada", "admin")
        ),
    ),
    (
        "edit a field the workflow sets",
        lambda people, world: reviews.claim_update(
            claim_id=world.open.pk,
            expected_version=world.open.version,
            by=people["reviewer"],
            changes={"origin_source": world.conflicting_source},
        ),
    ),
    (
        "archive as a reader",
        lambda people, world: reviews.claims_archive(claim_ids=[world.open.pk], by=people["reader"]),
    ),
]


@pytest.mark.parametrize(("forbidden", "call"), SERVICE_CASES, ids=[c[0] for c in SERVICE_CASES])
def test_the_service_refuses_what_the_interfaces_never_send(forbidden: str, call, people, world) -> None:
    before = snapshot(world)
    with pytest.raises(reviews.WorkflowError):
        call(people, world)
    assert snapshot(world) == before


def test_the_legitimate_paths_still_work(people, world) -> None:
    """The guards refuse what is forbidden, not the work: a second editor publishes, a rating
    correction is confirmed by another editor, a claim is re-worded through a correction."""
    editor, editor2 = api(people["editor"]), api(people["editor2"])
    url = f"/api/v1/verdicts/{world.draft.pk}/"
    assert editor.post(url + "publish/", HTTP_IF_MATCH=etag(editor, url)).status_code == 200
    public = f"/api/v1/verdicts/{world.public_verdict.pk}/"
    proposal = editor.post(
        public + "correct/",
        {"correction_note": "The toll was 30.", "rating": "false", "claim_text": "Thirty people died in the strike."},
        HTTP_IF_MATCH=etag(editor, public),
    )
    assert proposal.status_code == 202
    confirmed = editor2.post(public + "confirm-correction/", HTTP_IF_MATCH=proposal["ETag"])
    assert confirmed.status_code == 200
    world.published.refresh_from_db()
    assert (confirmed.json()["rating"], world.published.text) == ("false", "Thirty people died in the strike.")
    assert confirmed.json()["status"] == "corrected"


def test_an_admin_edit_of_an_open_claim_goes_through_the_service_and_bumps_the_version(people, world) -> None:
    client = browser(people["reviewer"])
    submit_form(
        client, admin_change("claim", world.open.pk), {"claimant": "Port authority", "claim_date": "2025-04-08"}
    )
    world.open.refresh_from_db()
    assert (world.open.claimant, world.open.claim_date) == ("Port authority", dt.date(2025, 4, 8))
    assert world.open.version == 2
    assert world.open.history.latest("history_date").history_user == people["reviewer"]


def test_a_draft_is_discarded_only_with_the_permission_and_its_claim_returns_to_the_queue(people, world) -> None:
    admin_user = make_user("ada", "admin")
    client = browser(admin_user)
    url = reverse("admin:factcheck_verdict_delete", args=[world.draft.pk])
    response = client.post(url, {"post": "yes", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302
    world.drafted.refresh_from_db()
    assert not Verdict.objects.filter(pk=world.draft.pk).exists()
    assert world.drafted.status == "needs_review"


def test_the_admin_add_form_records_the_signed_in_user_as_author(people, world) -> None:
    client = browser(people["reviewer"])
    true = RatingLabel.objects.get(slug="true").pk
    submit_form(
        client,
        reverse("admin:factcheck_verdict_add"),
        {"claim": str(world.open.pk), "rating": str(true), "summary": "Yes.", "author": str(people["editor"].pk)},
    )
    verdict = Verdict.objects.get(claim=world.open)
    assert (verdict.author, verdict.status) == (people["reviewer"], "draft")
    assert list(verdict.contributors.all()) == [people["reviewer"]]


def test_history_pages_refuse_odd_ids_and_read_as_words(people, world) -> None:
    client = browser(people["editor"])
    assert client.get("/admin/factcheck/verdict/abc/history/").status_code == 404
    assert client.get("/admin/factcheck/claim/1%0A/history/").status_code == 404
    reviews.verdict_mark_stale(verdict_id=world.public_verdict.pk, reason="new evidence")
    page = client.get(reverse("admin:factcheck_claim_history", args=[world.published.pk])).content.decode()
    assert "the system" in page  # the stale flag is the system's change, not a person's
    assert "Needs review" in page  # states as people read them
    assert "eli" in page  # the publisher, by name, not by id
