"""The claims' words (migration 0023): what a new passage's statements look up the claims they may restate
by, kept in step with the claims by triggers, whatever path writes them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Claim
from factcheck.search import PostgresSearch

pytestmark = pytest.mark.django_db


def words_of(claim: Claim) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM factcheck_claim_term WHERE claim_id = %s", [claim.pk])
        return {row[0] for row in cursor.fetchall()}


def test_claims_inserted_in_bulk_have_their_stemmed_words() -> None:
    first, second = Claim.objects.bulk_create(
        [Claim(text="Floods swept through Peltry."), Claim(text="The ferry Aldmoor ran aground.")]
    )
    assert words_of(first) == {"flood", "swept", "peltri"}
    assert words_of(second) == {"ferri", "aldmoor", "ran", "aground"}


def test_a_changed_text_replaces_the_words_and_a_deleted_claim_leaves_none() -> None:
    claim = Claim.objects.create(text="Floods swept through Peltry.")
    Claim.objects.filter(pk=claim.pk).update(text="Fire reached Ostrelia.")
    assert words_of(claim) == {"fire", "reach", "ostrelia"}
    claim_id = claim.pk
    claim.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factcheck_claim_term WHERE claim_id = %s", [claim_id])
        assert cursor.fetchone() == (0,)


def test_a_merged_claim_leaves_the_lookup_and_comes_back_when_unmerged() -> None:
    kept, merged = (Claim.objects.create(text=f"Floods swept through Peltry {n}.") for n in (1, 2))
    Claim.objects.filter(pk=merged.pk).update(merged_into=kept)
    assert words_of(merged) == set()
    Claim.objects.filter(pk=merged.pk).update(merged_into=None)
    assert words_of(merged) == {"flood", "swept", "peltri", "2"}


def test_emptying_the_claim_table_empties_the_words() -> None:
    """Django's flush TRUNCATEs every table: no words may stay behind for ids that start again."""
    Claim.objects.create(text="Floods swept through Peltry.")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE factcheck_claim CASCADE")
        cursor.execute("SELECT count(*) FROM factcheck_claim_term")
        assert cursor.fetchone() == (0,)


def test_a_claim_sharing_one_word_of_a_statement_is_no_candidate_and_rarer_shared_words_rank_first() -> None:
    peltry = Claim.objects.create(text="Floods swept through Peltry on Thursday.")
    thursday = Claim.objects.create(text="Markets rallied on Thursday.")
    other_floods = Claim.objects.create(text="Floods swept through the valley on Thursday.")
    found = PostgresSearch().similar_claims("Flash floods swept Peltry on Thursday, killing nine.", limit=5)
    assert found == [peltry.pk, other_floods.pk]
    assert thursday.pk not in found


def test_a_backend_reads_the_statements_rarest_words_once_for_both_looks_of_an_extraction() -> None:
    first = Claim.objects.create(text="Floods swept through Peltry on Thursday.")
    backend = PostgresSearch()
    texts = ["Flash floods swept Peltry on Thursday.", "Nine people died in Peltry."]
    with CaptureQueriesContext(connection) as queries:
        before = backend.similar_claims_many(texts, limit=5)
        later = Claim.objects.create(text="Floods swept Peltry again.")
        after = backend.similar_claims_many(texts, limit=5, after_id=first.pk)
    assert before == [[first.pk], []]
    assert after == [[later.pk], []]
    assert sum("factcheck_termstat" in query["sql"] for query in queries.captured_queries) == 1


def test_the_lookup_reads_each_words_claims_from_the_primary_key_never_the_whole_table() -> None:
    """Written as a plain join, PostgreSQL read the whole table and sorted it for every lookup, so that
    extraction slowed as the claims grew; the plan must read each word's claims by the key (lexeme, id)."""
    Claim.objects.bulk_create(
        Claim(text=f"Floods swept Town{n % 400} on Thursday, killing {100 + n % 90} people.") for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factcheck_claim_term")
    plans: list[str] = []

    def explain_first(execute, sql, params, many, context):
        if "factcheck_claim_term" in sql:
            execute(f"EXPLAIN {sql}", params, many, context)
            plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_first):
        found = PostgresSearch().similar_claims("Floods swept Town7 on Thursday, killing 107 people.", limit=5)
    assert len(plans) == 1
    assert "factcheck_claim_term_pkey" in plans[0]
    assert "Seq Scan on factcheck_claim_term" not in plans[0]
    assert "claim_term_claim_id" not in plans[0]
    # The claims naming both the town and the toll first (the rarest words shared), the oldest first.
    assert [Claim.objects.get(pk=pk).text for pk in found[:2]] == [
        "Floods swept Town7 on Thursday, killing 107 people."
    ] * 2
