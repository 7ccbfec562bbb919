"""Two workers extract claims at once on PostgreSQL: in parallel, and never the same claim twice.

Each "worker" is a thread with its own database connection calling the extraction service, as
a Celery worker's task does; the services' own hooks are used to hold one of them at a chosen
point (never a sleep), so that each interleaving is the one the test means.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.documents import parse_document
from factcheck.models import Claim, ClaimAppearance, Passage, Source
from factcheck.services import claims
from factcheck.services.claims import APPEARANCES_COMPARED, ClaimMatcher, source_extract_claims
from factcheck.services.ingest import source_ingest
from factcheck.services.passages import source_split

# "sent": the tasks the services queue are recorded, never sent: no worker may take these sources.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sent")]

STATEMENT = (
    "Lestovian troops have captured two Qareshi nationals who were fighting in the ranks of the Korvan army "
    "in the eastern Dalmir region, President Teodor Malesh said on Tuesday."
)
TIMEOUT = 30.0


def a_split_source(outlet: str, *sentences: str) -> Source:
    text = "\n\n".join([f"MAROVKA, April 8 ({outlet}) - {STATEMENT}", *sentences])
    document = parse_document(text.encode(), file_format="txt", max_bytes=10**6)
    source = source_ingest(document=document, outlet_name=outlet).source
    source_split(source_id=source.pk)
    return Source.objects.get(pk=source.pk)


def two_sources_stating_it() -> tuple[Source, Source]:
    return (
        a_split_source("Meridian Press Agency", "The ministry gave no further details."),
        a_split_source("Eastbrook Courier", "Officials in Qaresh did not respond to a request for comment."),
    )


def the_statements_claims() -> list[Claim]:
    return list(Claim.objects.filter(appearances__passage__text__contains="captured two Qareshi").distinct())


def extraction_of(source: Source) -> Callable[[], Any]:
    return lambda: source_extract_claims(source_id=source.pk)


def in_a_thread(work: Callable[[], Any], errors: list[BaseException]) -> threading.Thread:
    """``work`` on a connection of its own (closed after), as another worker process would run it."""

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_two_workers_extracting_the_same_claim_at_once_make_one_claim_with_two_appearances(monkeypatch) -> None:
    first, second = two_sources_stating_it()
    # Both have matched against the empty claim store before either may insert: the lock and the
    # second look at the claims committed meanwhile are all that can keep the claim single.
    both_matched = threading.Barrier(2, timeout=TIMEOUT)
    lock_final_step = claims._lock_final_step

    def after_both_matched() -> None:
        both_matched.wait()
        lock_final_step()

    monkeypatch.setattr(claims, "_lock_final_step", after_both_matched)
    errors: list[BaseException] = []
    threads = [in_a_thread(extraction_of(source), errors) for source in (first, second)]
    for thread in threads:
        thread.join(TIMEOUT)

    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    [claim] = the_statements_claims()
    kinds = sorted(claim.appearances.values_list("match_kind", flat=True))
    assert kinds == [ClaimAppearance.Kind.AUTOMATIC, ClaimAppearance.Kind.ORIGIN]
    assert set(claim.appearances.values_list("source_id", flat=True)) == {first.pk, second.pk}
    # Claims are inserted in bulk, and each still has the "created" record a save makes.
    created = Claim.history.filter(history_type="+")
    assert sorted(created.values_list("id", flat=True)) == sorted(Claim.objects.values_list("pk", flat=True))


def test_a_worker_matching_does_not_hold_back_another_workers_extraction(monkeypatch) -> None:
    first, second = two_sources_stating_it()
    matching, release = threading.Event(), threading.Event()
    load_candidates = ClaimMatcher.load_candidates
    held: list[threading.Thread] = []

    def held_after_first_look(self: ClaimMatcher, *, after_id: int = 0) -> None:
        load_candidates(self, after_id=after_id)
        if threading.current_thread() in held and after_id == 0:
            matching.set()
            assert release.wait(TIMEOUT)

    monkeypatch.setattr(ClaimMatcher, "load_candidates", held_after_first_look)
    errors: list[BaseException] = []
    held.append(in_a_thread(extraction_of(first), errors))
    try:
        assert matching.wait(TIMEOUT)
        other = in_a_thread(extraction_of(second), errors)
        other.join(TIMEOUT)
        # With a lock over the whole extraction, the other would wait here for the first.
        assert not other.is_alive(), "the second extraction waited for the first one's matching"
        assert Source.objects.get(pk=second.pk).claims_extracted_at is not None
    finally:
        release.set()
        held[0].join(TIMEOUT)

    assert not errors
    # The first matched an empty store; it finds the claim the second committed meanwhile.
    [claim] = the_statements_claims()
    assert claim.origin_source_id == second.pk
    assert set(claim.appearances.values_list("source_id", flat=True)) == {first.pk, second.pk}


def test_a_source_is_matched_in_the_same_number_of_queries_however_many_statements_it_has() -> None:
    source_extract_claims(source_id=a_split_source("Meridian Press Agency").pk)
    queries = []
    for count in (1, 6):
        # The statement restates the stored claim; the others become claims of their own.
        sentences = [
            f"Officials in {town} said {10 + n} people were injured when a bridge collapsed on Monday."
            for n, town in enumerate(["Karsk", "Velmora", "Dunhallow", "Peltry", "Ileth", "Sarn"][:count])
        ]
        source = a_split_source(f"Outlet {count}", *sentences)
        with CaptureQueriesContext(connection) as captured:
            result = source_extract_claims(source_id=source.pk)
        assert len(result.created) + len(result.matched) == 1 + count
        assert result.related
        queries.append(len(captured))
    assert queries[0] == queries[1]


def test_only_the_first_wordings_of_a_candidate_are_loaded() -> None:
    source = a_split_source("Meridian Press Agency")
    source_extract_claims(source_id=source.pk)
    [claim] = the_statements_claims()
    # More appearances than are compared: passages of other sources restating it.
    for n in range(APPEARANCES_COMPARED + 3):
        other = a_split_source(f"Outlet {n}", f"Further reporting, number {n}, followed on Wednesday.")
        passage = Passage.objects.filter(source=other, text__contains="captured two Qareshi").get()
        ClaimAppearance.objects.create(claim=claim, passage=passage, source=other)

    matcher = ClaimMatcher([STATEMENT])
    matcher.load_candidates()

    assert claim.pk in matcher.candidates_of[0]
    assert len(matcher.claims[claim.pk].wordings) == 1 + APPEARANCES_COMPARED
