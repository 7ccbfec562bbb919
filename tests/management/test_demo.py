"""`manage.py demo --no-serve`: everything the demo does but serving."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from factcheck.documents import read_document
from factcheck.management.commands.demo import DEMO_USERNAME, SAMPLE_ARTICLES
from factcheck.management.commands.ingest import expand_paths
from factcheck.models import Claim, ImportedReview, ImportedReviewMatch, Outlet, Passage, Source, SuggestionStatus

# Transactional, as the demo runs: each ingest commits and its split task runs at once.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("tasks_in_process")]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out, stderr=StringIO())
    return out.getvalue()


def login_request():
    """A sign-in request: the lockout backend (django-axes) checks who is asking, from where."""
    return RequestFactory().post("/admin/login/")


def test_the_demo_loads_the_sample_corpus_and_prints_a_working_login() -> None:
    out = run_demo()
    files = expand_paths([SAMPLE_ARTICLES])
    outlets = {read_document(path, max_bytes=10**7).outlet for path in files}
    assert Source.objects.count() == len(files) >= 10
    assert Outlet.objects.count() == len(outlets) >= 5
    assert Passage.objects.count() > 0
    assert not Source.objects.filter(split_at__isnull=True).exists()
    assert Claim.objects.exists()
    assert (
        f"Holds {len(outlets)} outlets, {len(files)} sources, {Passage.objects.count()} passages, "
        f"{Claim.objects.count()} claims." in out
    )

    password = out.rsplit("password: ", 1)[1].split()[0]
    user = authenticate(login_request(), username=DEMO_USERNAME, password=password)
    assert user is not None
    assert user.is_staff


def test_the_demo_imports_other_desks_fact_checks_and_links_the_claim_one_of_them_covers() -> None:
    out = run_demo()

    assert ImportedReview.objects.count() == 3
    assert "imported 3, updated 0, unchanged 0, refused 0" in out
    linked = ImportedReviewMatch.objects.get(status=SuggestionStatus.CONFIRMED)  # above the automatic threshold
    assert linked.review.publisher_name == "Drava Fact Lab"
    assert "Ostrel" in linked.claim.text
    assert "12 people" in linked.claim.text


def test_running_the_demo_again_duplicates_nothing_and_rotates_the_password() -> None:
    first = run_demo()
    counts = (Outlet.objects.count(), Source.objects.count())
    second = run_demo()
    assert (Outlet.objects.count(), Source.objects.count()) == counts
    assert ImportedReview.objects.count() == 3
    assert "imported 0, updated 0, unchanged 3, refused 0" in second
    assert f"0 ingested, {counts[1]} already present" in second
    old_password = first.rsplit("password: ", 1)[1].split()[0]
    assert authenticate(login_request(), username=DEMO_USERNAME, password=old_password) is None
