"""No retrieval query reads the whole passage table (issue 15, item 2).

A plan that scans the passage table costs what the archive costs: at 10M passages a quotation whose
"rarest" words were common matched 384k rows, and PostgreSQL chose a parallel full scan with a sort
spilled to disk (9 s). Plans change with the table's size and statistics, not with the code, so this
loads a synthetic corpus large enough for the planner to weigh an index against a scan (bench/corpus.py's
generator, the benchmark's own claims), ANALYZEs it, and EXPLAINs every statement retrieval runs for
claims of each kind, failing on any scan of ``factcheck_passage`` (sequential, or of a whole index).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from bench.corpus import copy_rows, copy_tables, generate, make_claims
from factcheck.search import channel_of, explain_retrieval
from factcheck.services.checks import analyse_claim, passage_query, text_scope

pytestmark = pytest.mark.django_db

# The passage table and its full-text index's partitions (factcheck_passage_index_2024_03, ...).
PASSAGE_TABLE = "factcheck_passage"
INDEX_PARTITION = "factcheck_passage_index_"
# Passages in the synthetic corpus: enough for the planner to weigh a scan against the indexes as it does
# on a real archive (some 8k pages; parallel scans are considered), few enough to load in seconds.
CORPUS_PASSAGES = 100_000
CORPUS_SEED = 7
# The benchmark claims of each kind checked (figures, quotations, misattributed quotations, plain words).
CLAIMS_PER_KIND = 2


def common_words_claims(city: str) -> list[str]:
    """Claims whose words are the corpus's commonest ones: every tier of the word query and the
    quotation's three-of-five match thousands of rows (the issue's worst case, at this scale)."""
    return [
        # A quotation whose "rarest" words are common ones.
        'An official said: "The ministry would not comment on the talks with the government since the report."',
        # Plain words, all common: the three-of-eight tier matches a large share of the table.
        "Officials said the ministry would comment on the talks near the region since the report last year.",
        # Common words and one rare one, with a figure.
        f"Eight people died when a passenger train derailed near {city}, officials said.",
        # A short quotation, too few words for the full-text index (the trigram channel).
        'The mayor said: "we will, we will."',
    ]


@pytest.fixture(scope="module")
def corpus_claims(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """The synthetic corpus loaded into the test database and ANALYZEd, for the module's tests, in one
    transaction rolled back at the end (each test's own transaction nests inside it); the claims to check."""
    generated, data = generate(CORPUS_SEED, CORPUS_PASSAGES, outlets=200)
    with django_db_blocker.unblock(), transaction.atomic():
        raw = connection.connection
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM factcheck_termstat")  # the corpus's counts are all of them
        for table, columns, lines in copy_tables(data):
            copy_rows(raw, table, columns, lines)
        with connection.cursor() as cursor:
            for table, _, _ in copy_tables(data):
                cursor.execute(f"ANALYZE {table}")
        kinds: dict[str, list[str]] = {}
        for claim in make_claims(CORPUS_SEED, generated, 200):
            kinds.setdefault(claim.kind, [])
            if len(kinds[claim.kind]) < CLAIMS_PER_KIND:
                kinds[claim.kind].append(claim.text)
        city = generated.events[0].slots["C"]
        yield [text for texts in kinds.values() for text in texts] + common_words_claims(city)
        transaction.set_rollback(True)


def passage_scans(plan: dict[str, Any]) -> list[str]:
    """The nodes of an EXPLAIN (FORMAT JSON) plan tree that read the whole passage table: sequential
    scans (parallel ones are Seq Scan nodes marked parallel-aware) and index scans with no condition
    on the index (all of it, in its order: what the planner does instead when scans are ruled out)."""
    found = []
    table = plan.get("Relation Name", "")
    if table == PASSAGE_TABLE or table.startswith(INDEX_PARTITION):
        node = ("Parallel " if plan.get("Parallel Aware") else "") + plan["Node Type"]
        if plan["Node Type"] == "Seq Scan":
            found.append(f"{node} on {table}")
        elif plan["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan:
            found.append(f"{node} on {table} using {plan['Index Name']}, with no index condition")
    for child in plan.get("Plans", []):
        found += passage_scans(child)
    return found


def partitions_read(plan: dict[str, Any]) -> set[str]:
    """The partitions of the passages' index a plan reads."""
    found = {plan["Relation Name"]} if plan.get("Relation Name", "").startswith(INDEX_PARTITION) else set()
    for child in plan.get("Plans", []):
        found |= partitions_read(child)
    return found


def passage_plans(claim: str, claim_date: dt.date | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Each statement a check of ``claim`` runs against the passage table, with its plan."""
    scope = text_scope(claim, claim_date=claim_date)
    plans = explain_retrieval(passage_query(scope, analyse_claim(scope.claim)), "EXPLAIN (FORMAT JSON)")
    return [(sql, rows[0][0][0]["Plan"]) for sql, rows in plans]


def test_no_retrieval_query_scans_the_passage_table(corpus_claims: list[str]) -> None:
    scans, kinds = [], set()
    for claim in corpus_claims:
        plans = passage_plans(claim)
        assert plans, f"no retrieval statement was explained for {claim!r}"
        for sql, plan in plans:
            kinds.add(channel_of(sql))
            scans += [f"{claim!r} ({channel_of(sql)} query): {scan}" for scan in passage_scans(plan)]
    # Every channel was explained, so none can pass by never being asked.
    assert kinds == {"quotation", "figures", "words"}
    assert not scans, "\n".join(scans)


def test_the_check_finds_the_scan_a_missing_index_leaves(corpus_claims: list[str]) -> None:
    """The checker itself: without the full-text index (dropped in this test's transaction), the word
    queries can only scan the table, and the plans say so."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX passage_index_search_vector_gin")
    scans = [scan for _, plan in passage_plans(corpus_claims[0]) for scan in passage_scans(plan)]
    assert scans


def test_a_check_reads_only_the_months_of_its_window(corpus_claims: list[str], settings: Any) -> None:
    """The corpus spans two years, a partition a month; a check of a claim of mid-June 2024 with a window of
    30 days either side reads May, June and July (and the months around today, where there is nothing)."""
    settings.FACTCHECK_CHECK_WINDOW_DAYS = 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'factcheck_passage_index'::regclass")
        partitions = cursor.fetchone()[0]
    assert partitions >= 24
    read: set[str] = set()
    whole: set[str] = set()
    for claim in corpus_claims:
        read |= {table for _, plan in passage_plans(claim, dt.date(2024, 6, 15)) for table in partitions_read(plan)}
        whole |= {table for _, plan in passage_plans(claim) for table in partitions_read(plan)}
    assert read == {f"{INDEX_PARTITION}2024_{month:02}" for month in (5, 6, 7)}
    assert len(whole) >= 24
