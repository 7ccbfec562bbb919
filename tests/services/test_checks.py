"""Cross-source checks on PostgreSQL over the team's sample corpus, tasks in-process."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factcheck.crosscheck.stance import article_names
from factcheck.documents import Document
from factcheck.management.commands.evaluate import crosscheck_report
from factcheck.models import CheckRun, CheckTrigger, Claim, Evidence, Source
from factcheck.services import checks
from factcheck.services.checks import (
    Execution,
    check_run_execute,
    claim_check_request,
    crosscheck,
    stalled_check_runs_requeue,
    text_scope,
)
from factcheck.services.claims import claim_submit
from factcheck.services.ingest import source_ingest
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_corpus")]

CROSSCHECK_LABELS = REPO_ROOT / "factcheck" / "sample_data" / "labels" / "crosscheck.json"


def queued_run(claim: Claim) -> int:
    """A run queued for the claim and not sent: the test executes it, as a worker would."""
    run_id = claim_check_request(claim_id=claim.pk, send=False)
    assert run_id is not None
    return run_id


def test_the_team_label_set_is_assessed_with_at_least_90_percent_accuracy() -> None:
    report = crosscheck_report(json.loads(CROSSCHECK_LABELS.read_text()))
    assert report.cases >= 40
    assert report.accuracy >= 0.9, "\n".join(report.lines())
    # The deciding outlets too (issue 14): a label reached through the wrong outlets is luck. Measured
    # 0.633 (31/49) on 2026-12-07; this floor only rises, toward the label's 0.9.
    assert report.outlet_accuracy >= 0.6, "\n".join(report.lines())
    assert report.figure_false_conflicts == [], "figures about different things were taken for a conflict"


def test_every_extracted_claim_was_checked_and_none_is_left_checking() -> None:
    assert Claim.objects.exists()
    assert not Claim.objects.filter(status=Claim.Status.CHECKING).exists()
    unchecked = Claim.objects.filter(merged_into__isnull=True).exclude(check_runs__status=CheckRun.Status.SUCCEEDED)
    assert not unchecked.exists()
    assert not Claim.objects.filter(merged_into__isnull=True, assessment="").exists()


def test_it_finds_the_conflicting_contingent_figures_and_says_so() -> None:
    outcome = crosscheck(text_scope("Oskaria has sent 11,000 soldiers to fight for Korva."))
    assert outcome.result.assessment == "conflicting"
    conflicts = [j for j in outcome.judgements if j.stance == "conflicts"]
    assert [(j.passage.outlet, j.reason) for j in conflicts] == [("Atlas Defense Review", "figure_conflict")]
    assert "15,000" in conflicts[0].evidence_value
    assert "11,000" in conflicts[0].claim_value
    assert "Atlas Defense Review gives" in outcome.result.explanation


def test_a_claim_never_finds_evidence_in_its_own_story_or_its_copies() -> None:
    original = Source.objects.get(file_name__contains="01_meridian")
    copy = Source.objects.get(file_name__contains="05_eastbrook")
    claim = Claim.objects.filter(origin_source=original).first()
    assert claim is not None
    run = CheckRun.objects.filter(claim=claim, status=CheckRun.Status.SUCCEEDED).latest("pk")
    sources = set(Evidence.objects.filter(run=run).values_list("passage__source_id", flat=True))
    assert original.pk not in sources
    assert copy.pk not in sources


def test_a_check_delivered_twice_is_executed_once() -> None:
    claim = claim_submit(text="Twelve people were killed by the missile at Ostrel station.")
    run_id = queued_run(claim)

    assert check_run_execute(run_id=run_id) == Execution.SUCCEEDED
    evidence = list(Evidence.objects.filter(run_id=run_id).values_list("passage_id", "stance"))
    assert check_run_execute(run_id=run_id) == Execution.NOT_QUEUED

    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts) == (CheckRun.Status.SUCCEEDED, 1)
    assert list(Evidence.objects.filter(run_id=run_id).values_list("passage_id", "stance")) == evidence
    assert evidence, "the Ostrel toll is reported by several outlets"
    claim.refresh_from_db()
    assert (claim.status, claim.assessment) == (Claim.Status.NEEDS_REVIEW, run.assessment)


def test_asking_again_while_a_check_waits_returns_the_waiting_run() -> None:
    claim = claim_submit(text="Qaresh recalled its ambassador from Marovka after the capture.")
    first = claim_check_request(claim_id=claim.pk, send=False)
    assert claim_check_request(claim_id=claim.pk, send=False) == first
    assert CheckRun.objects.filter(claim=claim).count() == 1


def test_checks_asked_for_many_claims_at_once_queue_one_run_per_open_claim_in_the_same_queries() -> None:
    """Of each group, the first claim already has a queued run and the second is archived."""
    counts = []
    for size in (3, 12):
        group = [Claim.objects.create(text=f"Bulk request claim {i} of {size} about Ostrel.") for i in range(size)]
        already = claim_check_request(claim_id=group[0].pk, send=False)
        Claim.objects.filter(pk=group[1].pk).update(status=Claim.Status.ARCHIVED)
        open_ids = [group[0].pk, *(c.pk for c in group[2:])]
        with CaptureQueriesContext(connection) as queries:
            runs = checks.claims_check_request(claim_ids=[c.pk for c in group], trigger=CheckTrigger.EXTRACTION)
        counts.append(len(queries.captured_queries))
        assert len(runs) == len(open_ids)
        assert runs[0] == already
        queued = CheckRun.objects.filter(claim__in=group, status=CheckRun.Status.QUEUED)
        assert sorted(queued.values_list("claim_id", flat=True)) == open_ids
        assert set(Claim.objects.filter(pk__in=open_ids[1:]).values_list("status", flat=True)) == {
            Claim.Status.CHECKING
        }
    assert counts[0] == counts[1], "the queries do not grow with the number of claims"


def test_a_run_retaken_after_its_lease_expired_discards_the_late_results(monkeypatch) -> None:
    claim = claim_submit(text="Lestovian forces captured two Qareshi nationals fighting for Korva.")
    run_id = queued_run(claim)
    real_crosscheck = checks.crosscheck

    def slow_check(scope):
        # While this worker is "slow", the reaper gives the run to another worker.
        CheckRun.objects.filter(pk=run_id).update(attempts=2)
        return real_crosscheck(scope)

    monkeypatch.setattr(checks, "crosscheck", slow_check)
    assert check_run_execute(run_id=run_id) == Execution.LEASE_LOST
    assert not Evidence.objects.filter(run_id=run_id).exists()


def test_an_error_that_can_pass_puts_the_run_back_in_the_queue(monkeypatch) -> None:
    claim = claim_submit(text="Lestovian forces captured two Qareshi nationals fighting for Korva.")
    run_id = queued_run(claim)
    monkeypatch.setattr(checks, "crosscheck", lambda scope: (_ for _ in ()).throw(OperationalError("gone away")))

    with pytest.raises(OperationalError):
        check_run_execute(run_id=run_id)

    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts) == (CheckRun.Status.QUEUED, 1)


def test_a_bug_fails_the_run_and_the_claim_still_reaches_the_review_queue(monkeypatch) -> None:
    claim = claim_submit(text="Lestovian forces captured two Qareshi nationals fighting for Korva.")
    run_id = queued_run(claim)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.CHECKING
    monkeypatch.setattr(checks, "crosscheck", lambda scope: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        check_run_execute(run_id=run_id)

    run = CheckRun.objects.get(pk=run_id)
    assert run.status == CheckRun.Status.FAILED
    assert "ZeroDivisionError" in run.error
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_REVIEW


def test_the_reaper_requeues_a_run_whose_worker_died_and_gives_up_after_the_last_attempt(settings) -> None:
    settings.FACTCHECK_CHECK_MAX_ATTEMPTS = 2
    claim = claim_submit(text="Lestovian forces captured two Qareshi nationals fighting for Korva.")
    run_id = queued_run(claim)
    expired = timezone.now() - dt.timedelta(seconds=1)
    CheckRun.objects.filter(pk=run_id).update(status=CheckRun.Status.RUNNING, attempts=1, lease_expires_at=expired)

    reaped = stalled_check_runs_requeue(queued_longer_than=dt.timedelta(minutes=5))
    assert reaped.requeued == [run_id]
    assert reaped.resent == [run_id]
    # Tasks run in this process here, so the re-sent run has been checked already, as a second attempt.
    run = CheckRun.objects.get(pk=run_id)
    assert (run.status, run.attempts) == (CheckRun.Status.SUCCEEDED, 2)

    CheckRun.objects.filter(pk=run_id).update(status=CheckRun.Status.RUNNING, attempts=2, lease_expires_at=expired)
    reaped = stalled_check_runs_requeue(queued_longer_than=dt.timedelta(minutes=5))
    assert reaped.failed == [run_id]
    assert reaped.requeued == []
    assert CheckRun.objects.get(pk=run_id).status == CheckRun.Status.FAILED
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_REVIEW


def test_the_reaper_resends_runs_that_waited_too_long_and_only_those() -> None:
    old, fresh = (claim_submit(text=f"Claim number {n} about the Dalmir region front line.") for n in ("one", "two"))
    old_run = queued_run(old)
    claim_check_request(claim_id=fresh.pk, send=False)
    CheckRun.objects.filter(pk=old_run).update(queued_at=timezone.now() - dt.timedelta(minutes=10))

    assert stalled_check_runs_requeue(queued_longer_than=dt.timedelta(minutes=5)).resent == [old_run]


def test_a_new_source_rechecks_the_claims_it_bears_on(django_capture_on_commit_callbacks) -> None:
    toll = Claim.objects.get(appearances__passage__text__contains="Ostrel early on Wednesday and killed 12 people")
    before = set(CheckRun.objects.filter(claim=toll).values_list("pk", flat=True))
    text = "Officials in Ostrel now say 19 people were killed when the missile hit the main railway station."
    with django_capture_on_commit_callbacks(execute=True):
        source_ingest(document=Document(text=text, format="txt"), outlet_name="Harbour Herald")

    new_runs = CheckRun.objects.filter(claim=toll).exclude(pk__in=before)
    assert new_runs.filter(trigger=CheckTrigger.NEW_SOURCE, status=CheckRun.Status.SUCCEEDED).exists()
    latest = new_runs.latest("pk")
    conflicting = Evidence.objects.filter(
        run=latest, stance="conflicts", passage__source__outlet__name="Harbour Herald"
    )
    assert conflicting.filter(reason="figure_conflict").exists()


def test_the_crosscheck_command_prints_one_json_object_with_the_evidence() -> None:
    out = StringIO()
    call_command("crosscheck", "Oskaria has sent 11,000 soldiers to fight for Korva.", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {"claim_id", "assessment", "confidence", "explanation", "supporting", "conflicting", "mentions"} <= set(data)
    assert data["assessment"] == "conflicting"
    conflict = data["conflicting"][0]
    assert conflict["outlet"] == "Atlas Defense Review"
    assert "approximately 15,000" in conflict["evidence_value"]
    assert "11,000" in conflict["claim_value"]
    assert {"outlet", "source_id", "passage", "score", "reason"} <= set(data["supporting"][0])
    assert "Westvale Observer" in {item["outlet"] for item in data["supporting"]}

    again = StringIO()
    call_command("crosscheck", "Oskaria has sent 11,000 soldiers to fight for Korva.", "--json", stdout=again)
    assert json.loads(again.getvalue())["claim_id"] == data["claim_id"], "the same words find the same claim"


def test_the_crosscheck_command_reads_as_a_report_and_refuses_a_non_claim() -> None:
    out = StringIO()
    call_command("crosscheck", "Qaresh recalled its ambassador from Marovka.", stdout=out)
    assert "Assessment: unverified" in out.getvalue()
    with pytest.raises(CommandError, match="at least three words"):
        call_command("crosscheck", "  ")


def test_the_engine_sees_when_each_passage_was_published() -> None:
    """A count changes from day to day: the engine compares the day a claim names with each passage's source's."""
    claim = Claim.objects.filter(origin_source__published_at__isnull=False).select_related("origin_source").first()
    assert claim is not None
    assert claim.origin_source is not None
    assert claim.origin_passage_id is not None
    [candidate] = checks.candidate_passages([claim.origin_passage_id])
    assert claim.origin_source.published_at is not None
    assert candidate.published == claim.origin_source.published_at.date()


def test_a_passage_of_an_undated_source_is_not_dated_by_its_ingestion() -> None:
    claim = Claim.objects.filter(origin_source__isnull=False).select_related("origin_source").first()
    assert claim is not None
    assert claim.origin_source is not None
    assert claim.origin_passage_id is not None
    Source.objects.filter(pk=claim.origin_source.pk).update(published_at=None)
    [candidate] = checks.candidate_passages([claim.origin_passage_id])
    assert candidate.published is None


def test_the_engine_sees_each_passage_between_its_articles_title_and_the_passage_before_and_after() -> None:
    """What "it" and "the ship" refer to, and what debunks a rumour just reported, are there."""
    source = Source.objects.filter(title__gt="").annotate(count=Count("passages")).filter(count__gte=3).first()
    assert source is not None
    first, second, third = source.passages.order_by("position")[:3]
    [opening, next_one] = checks.candidate_passages([first.pk, second.pk])
    assert opening.context == source.title.strip()
    assert next_one.context.split("\n") == list(dict.fromkeys([source.title.strip(), first.text.strip()]))
    assert (opening.following, next_one.following) == (second.text, third.text)
    final = source.passages.order_by("position").last()
    assert final is not None
    [last] = checks.candidate_passages([final.pk])
    assert last.following == ""


def test_the_engine_sees_the_names_each_passages_whole_article_gives() -> None:
    """Whether a passage naming only others is about another story depends on its whole article."""
    source = Source.objects.annotate(count=Count("passages")).filter(count__gte=4).first()
    assert source is not None
    last = source.passages.order_by("position").last()
    assert last is not None
    [candidate] = checks.candidate_passages([last.pk])
    assert candidate.article_names == article_names(source.title, source.text)
    # Names its opening gives and the passage itself does not (nor its title and the passage before it).
    opening = article_names(source.title, source.passages.order_by("position")[0].text)
    assert opening - article_names(candidate.context, candidate.text) & candidate.article_names


# --- What a check searches: the passages published near the claim's date ---------------------------

CONTINGENT = "Oskaria has sent 11,000 soldiers to fight for Korva."


def dated_claim(day: dt.date) -> Claim:
    claim = claim_submit(text=CONTINGENT)
    Claim.objects.filter(pk=claim.pk).update(claim_date=day)
    return Claim.objects.get(pk=claim.pk)


def test_a_check_searches_the_month_either_side_of_the_claims_date_and_of_today(settings) -> None:
    settings.FACTCHECK_CHECK_WINDOW_DAYS = 30
    today = timezone.now().date()
    claim = dated_claim(dt.date(2020, 1, 1))  # five years before the corpus (April 2025)
    run = CheckRun.objects.get(pk=queued_run(claim))
    check_run_execute(run_id=run.pk)
    run.refresh_from_db()
    around_today = [(today - dt.timedelta(days=30)).isoformat(), (today + dt.timedelta(days=30)).isoformat()]
    assert run.searched == [["2019-12-02", "2020-01-31"], around_today]
    assert (run.assessment, run.candidates_examined) == (Claim.Assessment.UNVERIFIED, 0)


def test_a_claim_of_the_corpus_month_finds_its_evidence_and_the_whole_archive_finds_it_from_afar(settings) -> None:
    settings.FACTCHECK_CHECK_WINDOW_DAYS = 30
    near = CheckRun.objects.get(pk=queued_run(dated_claim(dt.date(2025, 4, 20))))
    check_run_execute(run_id=near.pk)
    far = dated_claim(dt.date(2020, 1, 1))
    whole_id = claim_check_request(claim_id=far.pk, send=False, whole_archive=True)
    assert whole_id is not None
    whole = CheckRun.objects.get(pk=whole_id)
    check_run_execute(run_id=whole.pk)
    near.refresh_from_db()
    whole.refresh_from_db()
    assert near.searched[0] == ["2025-03-21", "2025-05-20"]
    assert (whole.whole_archive, whole.searched) == (True, [])
    assert near.assessment == whole.assessment == Claim.Assessment.CONFLICTING
    assert near.candidates_examined == whole.candidates_examined > 0


def test_asking_for_the_whole_archive_widens_the_run_already_waiting() -> None:
    claim = dated_claim(dt.date(2020, 1, 1))
    waiting = queued_run(claim)
    assert claim_check_request(claim_id=claim.pk, send=False, whole_archive=True) == waiting
    assert CheckRun.objects.get(pk=waiting).whole_archive


def test_windows_that_meet_are_one_and_a_window_of_0_days_is_the_whole_archive(settings) -> None:
    settings.FACTCHECK_CHECK_WINDOW_DAYS = 10
    today = dt.date(2026, 12, 7)
    assert checks.check_windows(dt.date(2026, 11, 20), today=today) == (
        checks.DateWindow(dt.date(2026, 11, 10), dt.date(2026, 12, 17)),
    )
    assert checks.check_windows(today, today=today) == (
        checks.DateWindow(dt.date(2026, 11, 27), dt.date(2026, 12, 17)),
    )
    assert checks.check_windows(None, today=today) == ()
    settings.FACTCHECK_CHECK_WINDOW_DAYS = 0
    assert checks.check_windows(dt.date(2026, 11, 20), today=today) == ()


def test_a_claim_is_dated_by_its_own_date_else_its_sources_publication_else_not_at_all() -> None:
    claim = Claim.objects.filter(origin_source__isnull=False).select_related("origin_source").first()
    assert claim is not None
    source = claim.origin_source
    assert source is not None
    assert source.published_at is not None
    claim.claim_date = None
    assert checks.claim_day(claim) == source.published_at.date()
    source.published_at = None
    # The day it was ingested is not the day it was said: an undated claim is checked across the archive.
    assert checks.claim_day(claim) is None
    claim.claim_date = dt.date(2021, 5, 5)
    assert checks.claim_day(claim) == dt.date(2021, 5, 5)
    assert checks.claim_day(Claim(text="No source, no date.")) is None
