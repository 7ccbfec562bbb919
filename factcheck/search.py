"""Lexical retrieval with swappable backends: PostgreSQL full-text search in
production, a plain Python fallback for the SQLite demo. Both honour one
contract (tests/test_search.py runs the same test class against each).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, Least, TruncDate

from factcheck.crosscheck.matching import (
    QueryTerm,
    form_stems,
    forms_in_corpus,
    query_term_groups,
    query_words,
    rarest_terms,
    term_weight,
)
from factcheck.crosscheck.quotes import normalize_quote_text
from factcheck.crosscheck.words import content_stems
from factcheck.models import Claim, ImportedReview, Passage, TermStat

# The longest claim query: a sentence's content words are plenty to find its restatements.
MAX_QUERY_TERMS = 24
# A new passage looks up the claims it may restate by this many of its rarest words, and finds those
# sharing at least CLAIM_SHARED_TERMS of them (on the sample corpus, twelve and two matched the same
# restatements as any one of eight had; eight and two missed 4 of 38; bench/README.md, "Claims looked up
# by their words").
CLAIM_QUERY_TERMS, CLAIM_SHARED_TERMS = 12, 2
# Other desks' fact-checks a claim may restate: those holding two of its five rarest words.
REVIEW_QUERY_TERMS = 5
# The fallback scans at most this many recent claims or passages: it serves the demo, not production.
FALLBACK_SCAN_LIMIT = 5000
FALLBACK_PASSAGE_SCAN_LIMIT = 50000
# A passage query uses only the claim's rarest words (see rarest_terms for why).
PASSAGE_QUERY_TERMS = 8
# Quotations are looked up by trigram similarity on at most this many characters each.
QUOTATION_QUERY_CHARS = 200
MAX_QUOTATIONS = 3
# A quotation's candidates are the passages sharing three of its five rarest words...
QUOTATION_QUERY_TERMS, QUOTATION_SHARED_TERMS = 5, 3
# ...and at most this many of them are compared by trigram similarity (a verbatim or altered
# quotation keeps its rare words; three of them are seldom shared by more passages than this).
QUOTATION_CANDIDATES = 2000
# A claim's candidates are the passages sharing three of its rare words, then two: at 1M passages
# two common ones ("people", "died") are shared by 27,000 rows, three by few (see at_least).
SHARED_WORD_TIERS = (3, 2)
# When too few passages share two of the claim's rare words, those sharing one are ranked too;
# at most this many, so that a common word in a large corpus cannot make the query slow.
ONE_WORD_CANDIDATES = 2000
# The word query looks first at the passages holding one of the claim's this many rarest terms (its
# anchors), each at least this share of the rarest one's weight...
ANCHOR_TERMS, ANCHOR_WEIGHT_SHARE = 2, 0.5
# ...then, while there are too few, at most this many of those sharing its other terms.
UNANCHORED_CANDIDATES = 2000


# A passage is filed under its source's publication day, else the day it was ingested, but never later
# than this after its ingestion (migration 0022's trigger, which its SQL repeats: a migration is frozen).
PUBLISHED_AT_MOST_AFTER_INGESTION = dt.timedelta(days=1)


class DateWindow(NamedTuple):
    """Publication days, both included."""

    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class PassageQuery:
    """What to look for: passages restating ``text`` or carrying one of ``quotations``,
    outside the excluded origin clusters and sources (the claim's own story), published within
    one of the ``published`` windows (first and last day; none: the whole archive)."""

    text: str
    quotations: tuple[str, ...] = ()
    # How the claim's figures may be written ("12", "twelve"): passages giving the same or
    # other numbers next to the claim's words are the decisive evidence, so they are looked up first.
    figures: tuple[str, ...] = ()
    exclude_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    exclude_source_ids: frozenset[int] = field(default_factory=frozenset)
    limit: int = 40
    published: tuple[DateWindow, ...] = ()


class SearchBackend(Protocol):
    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        """Ids of open (not merged) claims sharing content words with ``text`` (PostgreSQL: its
        CLAIM_QUERY_TERMS rarest), best first."""
        ...

    def similar_claims_many(self, texts: Sequence[str], *, limit: int, after_id: int = 0) -> list[list[int]]:
        """``similar_claims`` of each text, in one round trip (a source's statements together), of the
        claims whose id is above ``after_id`` only (those created since a first look)."""
        ...

    def candidate_passages(self, query: PassageQuery) -> list[int]:
        """Ids of passages that may bear on the query, best first: those carrying one of its
        quotations, then those sharing its rarest words; never from an excluded cluster or source."""
        ...

    def similar_reviews_many(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        """For each text, ids of other desks' imported fact-checks whose claim shares its rarest words
        (CLAIM_QUERY_TERMS of them), best first: the candidates "already fact-checked" compares."""
        ...


def term_frequencies(stems: Iterable[str]) -> tuple[dict[str, int], int]:
    """How many passages hold each of ``stems`` (TermStat, one query), and how many were counted.

    On PostgreSQL the stems go as one array parameter: a source's statements and their candidates'
    wordings hold ~2,000 stems, and an IN list of as many placeholders cost 15 ms an extraction to
    build and send (Django's lookup, then psycopg's parsing of the query's text)."""
    wanted = [*{*stems, TermStat.TOTAL}]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, passages FROM {TermStat._meta.db_table} WHERE term = ANY(%s)",  # noqa: S608 - ours
                [wanted],
            )
            frequency = dict(cursor.fetchall())
    else:
        frequency = dict(TermStat.objects.filter(term__in=wanted).values_list("term", "passages"))
    return frequency, frequency.pop(TermStat.TOTAL, 0)


def rare_query_terms(text: str, *, limit: int = PASSAGE_QUERY_TERMS) -> list[str]:
    """The text's ``limit`` rarest content words, by the document frequencies in TermStat (one query)."""
    return rare_query_terms_many([text], limit=limit)[0]


def rare_query_terms_many(texts: Sequence[str], *, limit: int) -> list[list[str]]:
    """``rare_query_terms`` of each text, from one query."""
    return [[word for word, _ in each] for each in weighted_rare_words_many(texts, limit=limit)]


def weighted_rare_words_many(texts: Sequence[str], *, limit: int) -> list[list[tuple[str, float]]]:
    """Each text's ``limit`` rarest content words, each with its rarity (``term_weight``), from one query."""
    words = [query_words(text, limit=4 * MAX_QUERY_TERMS) for text in texts]
    frequency, documents = term_frequencies(stem for each in words for word in each for stem in content_stems(word))
    return [
        [
            (word, term_weight(word, frequency, documents))
            for word in rarest_terms(each, frequency, documents, limit=limit)
        ]
        for each in words
    ]


class ClaimTerms(NamedTuple):
    every: list[QueryTerm]  # the first MAX_QUERY_TERMS, for the figure channel
    rarest: list[QueryTerm]  # the PASSAGE_QUERY_TERMS rarest, for the word channel
    weights: dict[QueryTerm, float]  # each term's rarity (matching.term_weight), what a match ranks by


def passage_query_terms(text: str) -> ClaimTerms:
    """The claim's terms, each with the other forms of its place or counted noun that some passage
    holds (matching.query_term_groups, forms_in_corpus), by the document frequencies in TermStat (one
    query). With no statistics yet, every form is kept."""
    terms = query_term_groups(text, limit=4 * MAX_QUERY_TERMS)
    stems = {stem for term in terms for form in term.forms for stem in form_stems(form)}
    frequency, documents = term_frequencies(stems)
    if documents:
        # A term none of whose forms any passage holds ("U.S.", its other names unseen) is left out.
        terms = [kept for kept in (forms_in_corpus(term, frequency) for term in terms) if kept.forms]
    every = terms[:MAX_QUERY_TERMS]
    rarest = rarest_terms(terms, frequency, documents, limit=PASSAGE_QUERY_TERMS)
    weights = {term: term_weight(term, frequency, documents) for term in {*every, *rarest}}
    return ClaimTerms(every, rarest, weights)


def tsquery_term(term: QueryTerm) -> str:
    """A term as one tsquery operand, true for a passage holding any of its forms:
    "(north & korea | pyongyang | dprk)"."""
    forms = [" & ".join(form) for form in term.forms]
    if len(forms) == 1 and len(term.forms[0]) == 1:
        return forms[0]
    return "(" + " | ".join(forms) + ")"


def own_words(terms: Iterable[QueryTerm]) -> str:
    """A tsquery true for a passage holding any of the words the claim wrote (each once), what its
    matches are ranked under; all the forms' words for terms the claim wrote none of ("U.S.")."""
    words = {word.lower(): word for term in terms for word in (term.written or sum(term.forms, ()))}
    return " | ".join(words.values())


def at_least(count: int, terms: Sequence[str]) -> str:
    """A tsquery true for a document holding at least ``count`` of ``terms`` (all, when fewer).

    Why: ranking every passage that holds any one rare word of a claim is what made retrieval
    grow with the corpus (at 1M passages a word seen in 0.1% of them is 1,000 rows to rank);
    restatements of a claim share several of its rare words, and the GIN index answers
    "three of these" nearly as cheaply as "one of these".

    Written nested ("a & (two of the rest) | three of the rest"), not as the OR of every choice of
    ``count`` terms: the index evaluates the query for each passage holding a rarer word, and the
    nested form is half the size (83 operands against 168 for three of eight) and stops sooner. At
    1M passages it matched three of a claim's terms in a third of the time (137 against 366 ms for
    "Eight people died when a passenger train derailed near Gekreovo"), the same rows.
    """
    count = min(count, len(terms))
    if count == len(terms):
        return " & ".join(terms)
    if count <= 1:
        return " | ".join(terms)
    head, rest = terms[0], terms[1:]
    # "&" binds tighter than "|": this is (head & (...)) | (...).
    return f"{head} & ({at_least(count - 1, rest)}) | {at_least(count, rest)}"


def _merge(*rankings: Iterable[int], limit: int) -> list[int]:
    merged: list[int] = []
    for ranking in rankings:
        for item in ranking:
            if item not in merged:
                merged.append(item)
    return merged[:limit]


# What retrieval's statements are planned without (see _no_passage_scans).
_RULED_OUT_PLANS = ("enable_seqscan", "enable_indexscan")


@contextmanager
def _no_passage_scans() -> Iterator[None]:
    """Retrieval's statements planned with sequential and plain index scans ruled out (for them alone,
    then the settings are as they were), so passages are found only by bitmap scans, which need a
    condition on an index: the full-text and trigram indexes, whatever the planner estimates.

    Why: when a claim's "rarest" words are common ones, the planner estimates that a tier of the word
    query matches a few percent of the table and reads all of it instead, in parallel, sorting every
    match: at 10M passages a quotation took 9 s so (issue 15); a scan's cost grows with the archive,
    the index's with the matches. With sequential scans alone ruled out, it walked the whole of a b-tree
    index of the table instead (source_id's, for a merge join). PostgreSQL has no per-query hints, and a
    query written otherwise leaves the planner free to choose a scan again at another size: these
    settings are what rule them out (tests/test_search_plans.py EXPLAINs the statements on 100k passages).
    The few source rows a check joins are then found by bitmap scans of their primary key.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        current = ", ".join(f"current_setting('{name}')" for name in _RULED_OUT_PLANS)
        cursor.execute(f"SELECT {current}")
        before = cursor.fetchone()
        _set_plans(cursor, dict.fromkeys(_RULED_OUT_PLANS, "off"))
        yield
        # Restored, not left to the end of the transaction: the atomic block may be a savepoint of a
        # caller's transaction, which must not go on planning so. (On an error, the block's rollback
        # restores them.)
        _set_plans(cursor, dict(zip(_RULED_OUT_PLANS, before, strict=True)))


def _set_plans(cursor: Any, values: dict[str, str]) -> None:
    """Planner settings for the rest of the transaction (or until set again)."""
    calls = ", ".join("set_config(%s, %s, true)" for _ in values)
    cursor.execute(f"SELECT {calls}", [value for item in values.items() for value in item])


# PostgresSearch.similar_claims_many: the open claims sharing at least ``needed`` of each statement's
# words (each word's lexeme, by PostgreSQL's stemming, as the claims' are), above an id, best first by
# the rarity of the words shared (migration 0023 says why a table of the claims' words).
_CLAIMS_BY_WORDS = """
SELECT n, claim_id FROM (
    SELECT m.n, m.claim_id, row_number() OVER (PARTITION BY m.n ORDER BY m.score DESC, m.claim_id) AS place
    FROM (
        SELECT q.n, t.claim_id, sum(q.weight) AS score, count(*) AS shared, min(q.needed) AS needed
        FROM (
            SELECT DISTINCT ON (w.n, lexeme) w.n, lexeme, w.weight, w.needed
            FROM unnest(%s::int[], %s::text[], %s::float8[], %s::int[]) AS w(n, word, weight, needed),
                unnest(tsvector_to_array(to_tsvector('english'::regconfig, w.word))) AS lexeme
            ORDER BY w.n, lexeme, w.weight DESC
        ) AS q
        -- Each word's claims read from the primary key, word by word (OFFSET 0 keeps PostgreSQL from
        -- turning this into a join, which it planned as a read of the whole table, sorted).
        CROSS JOIN LATERAL (
            SELECT t.claim_id FROM factcheck_claim_term t WHERE t.lexeme = q.lexeme AND t.claim_id > %s OFFSET 0
        ) AS t
        GROUP BY q.n, t.claim_id
    ) AS m
    WHERE m.shared >= m.needed
) AS ranked
WHERE place <= %s
ORDER BY n, place
"""


# PostgresSearch.similar_reviews_many: the words are the engine's (letters and digits only, matching.query_words).
_REVIEWS_BY_WORDS = """
SELECT r.id FROM factcheck_importedreview r, to_tsquery('english'::regconfig, %s) AS q
WHERE r.search_vector @@ q
ORDER BY ts_rank(r.search_vector, q) DESC, r.id DESC
LIMIT %s
"""


class PostgresSearch:
    """Claims sharing two of the text's rarest words (migration 0023's table of their words), ranked by
    the rarity of those shared; passages by the full-text and trigram indexes (candidate_passages)."""

    def __init__(self) -> None:
        self._words_of: dict[tuple[str, ...], list[list[tuple[str, float]]]] = {}

    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        return self.similar_claims_many([text], limit=limit)[0]

    def similar_claims_many(self, texts: Sequence[str], *, limit: int, after_id: int = 0) -> list[list[int]]:
        # One statement for every text: each text's rarest words, looked up in the claims' words (one join
        # on an index), the claims sharing two of them scored by the rarity of those they share. Two, not
        # one: a word of the rarest twelve may still be a common one ("killed", "Thursday"), and the claims
        # sharing only it are many and no restatements.
        words = self._claim_query_words(tuple(texts))
        rows = [
            (index, word, weight, min(CLAIM_SHARED_TERMS, len(each)))
            for index, each in enumerate(words)
            for word, weight in each
        ]
        found: list[list[int]] = [[] for _ in texts]
        if not rows:
            return found
        with connection.cursor() as cursor:
            cursor.execute(
                _CLAIMS_BY_WORDS,
                [*map(list, zip(*rows, strict=True)), after_id, limit],
            )
            for index, claim_id in cursor.fetchall():
                found[index].append(claim_id)
        return found

    def similar_reviews_many(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        # The reviews holding two of the text's REVIEW_QUERY_TERMS rarest words (one, for a text that has
        # only one), through their full-text index (migration 0030), ranked by how many and how rare. Any
        # one of its twelve rarest words made this lookup, which every check makes, grow 17.7x from 1,000
        # to 100,000 reviews (bench/claims_search.py): a short claim's twelve are all its words, "said"
        # and "Monday" too, and every review holding two of those was ranked.
        found: list[list[int]] = []
        with connection.cursor() as cursor:
            for words in self._claim_query_words(tuple(texts)):
                if not words:
                    found.append([])
                    continue
                rarest = sorted(words, key=lambda pair: -pair[1])[:REVIEW_QUERY_TERMS]
                terms = [word for word, _ in rarest]
                cursor.execute(_REVIEWS_BY_WORDS, [at_least(min(CLAIM_SHARED_TERMS, len(terms)), terms), limit])
                found.append([review_id for (review_id,) in cursor.fetchall()])
        return found

    def _claim_query_words(self, texts: tuple[str, ...]) -> list[list[tuple[str, float]]]:
        """The texts' rarest words, weighed, remembered by this backend: an extraction looks up the same
        statements twice (before its lock, then among the claims committed meanwhile)."""
        if texts not in self._words_of:
            self._words_of[texts] = weighted_rare_words_many(texts, limit=CLAIM_QUERY_TERMS)
        return self._words_of[texts]

    def candidate_passages(self, query: PassageQuery) -> list[int]:
        with _no_passage_scans():
            quoted = [self._quotation_matches(quotation, query) for quotation in query.quotations[:MAX_QUOTATIONS]]
            terms = passage_query_terms(query.text)
            return _merge(
                *quoted,
                self._figure_matches(terms.every, terms.weights, query),
                self._word_matches(terms.rarest, terms.weights, query),
                limit=query.limit,
            )

    # What the full-text channels read: the passages' index, partitioned by publication month (migration
    # 0022), ``p``, with each passage's source, ``s``.
    _INDEXED = "factcheck_passage_index p JOIN factcheck_source s ON s.id = p.source_id"
    # NULL clusters never equal an excluded id, so "IS DISTINCT FROM" would be wrong here:
    # a source with no cluster yet is simply not excluded by cluster.
    _EXCLUDE = "(s.origin_cluster_id IS NULL OR NOT s.origin_cluster_id = ANY(%s)) AND NOT p.source_id = ANY(%s)"

    def _word_matches(self, terms: list[QueryTerm], weights: dict[QueryTerm, float], query: PassageQuery) -> list[int]:
        """Passages sharing three of the claim's rarest terms (in any of their forms), one of them
        among its very rarest (its anchors), best ranked first; while there are too few, those sharing
        two with an anchor; then three, two and one of the terms without one, of which only a bounded
        number of matches are ranked.

        Why anchored first: at 10M passages a tier of common words ("people died when a passenger
        train derailed near") matched 10,000 passages of the claim's window, every one of them read and
        ranked (130 ms), and nearly all reports of other derailments: a restatement of the claim names
        its town, ship or person, its rarest terms. Held by a few passages, they make the query cheap.
        A passage that restates the claim without them is still found, among a bounded number of the
        unanchored tiers' matches, and by the figure and quotation channels."""
        if not terms:
            return []
        operands = [tsquery_term(term) for term in terms]
        anchored = anchor_query(terms, weights)
        tiers: list[tuple[str, int | None]] = [
            (f"({anchored}) & ({at_least(shared, operands)})", None) for shared in SHARED_WORD_TIERS
        ]
        if len(terms) > ANCHOR_TERMS:
            tiers += [(at_least(shared, operands), UNANCHORED_CANDIDATES) for shared in SHARED_WORD_TIERS]
        tiers.append((at_least(1, operands), ONE_WORD_CANDIDATES))
        found: list[int] = []
        for matching, candidates in tiers:
            matches = self._ranked_matches(matching, terms, weights, query, candidates=candidates)
            found = _merge(found, matches, limit=query.limit)
            if len(found) >= query.limit:
                break
        return found

    def _ranked_matches(
        self,
        matching: str,
        terms: list[QueryTerm],
        weights: dict[QueryTerm, float],
        query: PassageQuery,
        *,
        figures: tuple[str, ...] = (),
        candidates: int | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Passages matching the tsquery ``matching`` (and with ``figures``, giving one of these numbers),
        those sharing more of ``terms``, weighed by their rarity (``weights``: BM25's inverse document
        frequency), first; then by ts_rank_cd under the claim's own words (cover density: more of the
        words, closer together, rank higher); with ``candidates``, only that many matches are ranked.

        Why weighed: at 1M passages the reports of other floods, strikes and derailments written alike
        share as many of a claim's terms as its restatements, all but its town's name; counted, they
        tied with the restatements and filled the candidates. Weighed, the rare name decides.

        Why terms shared first: cover density counts every occurrence of every word ranked under, so
        under all the forms of the terms a passage saying "troops", "forces" and "men" outranks one
        restating the claim with "soldiers" once, and under the claim's words alone a passage naming
        the country otherwise ranks last; counting each term once, in any form, does neither. Of the
        1,066 passages planted for the first 100 benchmark claims at 1M, 786 were among the
        candidates ranked so, against 702 before other forms were searched, 681 under ts_rank_cd over
        every form and 702 under the claim's own words (bench/README.md, issue 14).

        Why not rank under the matching query: ts_rank_cd's cost grows with the query's size, and the
        "two of these words" query has a clause per pair (28 for 8 words); ranking under it took 110 ms
        against 13 ms under the plain OR (p50 of 40 claims at 100k passages), which orders them the same way.
        """
        numbers = "(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(figures)) + ") && " if figures else ""
        each_term = "".join(f", to_tsquery('english', %s) AS term{i}" for i in range(len(terms)))
        shared = " + ".join(f"(p.search_vector @@ q.term{i})::int * %s" for i in range(len(terms))) or "0"
        cap = "LIMIT %s" if candidates else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT id FROM (
                    SELECT p.passage_id AS id, {shared} AS shared, ts_rank_cd(p.search_vector, q.ranking) AS rank
                    FROM {self._INDEXED},
                    (SELECT {numbers}to_tsquery('english', %s) AS matching,
                            {numbers}to_tsquery('english', %s) AS ranking{each_term}) AS q
                    WHERE p.search_vector @@ q.matching AND {self._EXCLUDE}{_within(query)}
                    {cap}
                ) AS matches
                ORDER BY shared DESC, rank DESC, id
                LIMIT %s
                """,  # noqa: S608 - only our own constants are formatted in
                [
                    *(weights.get(term, 1.0) for term in terms),
                    *figures,
                    matching,
                    *figures,
                    own_words(terms),
                    *(tsquery_term(term) for term in terms),
                    *self._excluded(query),
                    *_window_days(query),
                    *([candidates] if candidates else []),
                    limit or query.limit,
                ],
            )
            return [row[0] for row in cursor.fetchall()]

    def _figure_matches(
        self, terms: list[QueryTerm], weights: dict[QueryTerm, float], query: PassageQuery
    ) -> list[int]:
        """Passages with one of the claim's numbers (as a phrase: "11,000" is indexed as 11 and 000)
        and any of its terms, in any form: the number is selective already, and the words that
        say what it counts ("people", "killed"; "men" for "soldiers") are common ones a rare-word
        query leaves out. Those naming one of the claim's anchors (anchor_query) first; while there are
        too few, a bounded number of the others: at 10M passages a common number ("30") beside any of a
        claim's words matched thousands, every one ranked (106 ms a claim over the whole archive)."""
        if not query.figures or not terms:
            return []
        wanted = query.limit // 2
        found = self._ranked_matches(
            anchor_query(terms, weights), terms, weights, query, figures=query.figures, limit=wanted
        )
        if len(found) < wanted:
            any_term = at_least(1, [tsquery_term(term) for term in terms])
            others = self._ranked_matches(
                any_term, terms, weights, query, figures=query.figures, candidates=UNANCHORED_CANDIDATES, limit=wanted
            )
            found = _merge(found, others, limit=wanted)
        return found

    def _quotation_matches(self, quotation: str, query: PassageQuery) -> list[int]:
        """Passages containing (nearly) these words: among the passages sharing three of the
        quotation's five rarest words (the full-text index), those ``<%`` finds word-similar.

        Why not the trigram index alone: at 1M passages a quotation's common trigrams make
        that index return tens of thousands of rows to recheck (555 ms a quotation); three rare
        words narrow it to a few, and a quotation altered in a word or two still has them.
        """
        wanted = quotation[:QUOTATION_QUERY_CHARS]
        if len(wanted.split()) < 3:
            return []
        terms = rare_query_terms(wanted, limit=QUOTATION_QUERY_TERMS)
        if len(terms) < QUOTATION_SHARED_TERMS:
            return self._trigram_matches(wanted, query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH sharing AS MATERIALIZED (
                    SELECT p.passage_id AS id FROM {self._INDEXED}
                    WHERE p.search_vector @@ to_tsquery('english', %s) AND {self._EXCLUDE}{_within(query)}
                    LIMIT %s
                )
                SELECT id FROM sharing JOIN factcheck_passage t USING (id) WHERE %s <%% t.text
                ORDER BY word_similarity(%s, t.text) DESC, id
                LIMIT %s
                """,  # noqa: S608 - only our own constants are formatted in
                [
                    at_least(QUOTATION_SHARED_TERMS, terms),
                    *self._excluded(query),
                    *_window_days(query),
                    QUOTATION_CANDIDATES,
                    wanted,
                    wanted,
                    query.limit,
                ],
            )
            return [row[0] for row in cursor.fetchall()]

    def _trigram_matches(self, wanted: str, query: PassageQuery) -> list[int]:
        """Passages word-similar to a quotation with too few words worth a full-text
        lookup ("we will, we will"), through the trigram index alone: of the whole archive's passages,
        the window's kept (the trigram index is the passage table's, not partitioned by month; this
        channel serves the few quotations of fewer than three rare words)."""
        within = f" AND EXISTS (SELECT 1 FROM factcheck_passage_index i WHERE i.passage_id = p.id{_within(query, 'i')})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT p.id FROM factcheck_passage p JOIN factcheck_source s ON s.id = p.source_id
                WHERE %s <%% p.text AND {self._EXCLUDE}{within if query.published else ""}
                ORDER BY word_similarity(%s, p.text) DESC, p.id
                LIMIT %s
                """,  # noqa: S608 - only our own constants are formatted in
                [wanted, *self._excluded(query), *_window_days(query), wanted, query.limit],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _excluded(query: PassageQuery) -> list[list[int]]:
        return [sorted(query.exclude_cluster_ids), sorted(query.exclude_source_ids)]


def anchor_query(terms: Sequence[QueryTerm], weights: dict[QueryTerm, float]) -> str:
    """A tsquery true for a passage holding one of the claim's anchors: its rarest terms, which a
    restatement names (its town, its ship, its people), at most ANCHOR_TERMS, each weighing at least
    ANCHOR_WEIGHT_SHARE of the rarest (a word most passages hold is no anchor, however few terms the
    claim has)."""
    ranked = sorted(terms, key=lambda term: -weights.get(term, 1.0))[:ANCHOR_TERMS]
    heaviest = weights.get(ranked[0], 1.0) if ranked else 0.0
    anchors = [term for term in ranked if weights.get(term, 1.0) >= ANCHOR_WEIGHT_SHARE * heaviest]
    return " | ".join(tsquery_term(term) for term in anchors)


def _within(query: PassageQuery, index: str = "p") -> str:
    """The condition on the passage index's ``published`` (the index as ``index``) that keeps the query's
    windows (none: the whole archive): ranges of the partition key, so that PostgreSQL reads only
    their months' partitions."""
    if not query.published:
        return ""
    return " AND (" + " OR ".join([f"{index}.published BETWEEN %s AND %s"] * len(query.published)) + ")"


def _window_days(query: PassageQuery) -> list[dt.date]:
    """The parameters of ``_within``."""
    return [day for window in query.published for day in window]


class _TermsByStem:
    """A claim's terms by the stems of their forms, to count in Python how many a passage shares,
    and how much they weigh (``weights``, as PostgresSearch weighs them)."""

    def __init__(self, terms: list[QueryTerm], weights: dict[QueryTerm, float]) -> None:
        self.count = len(terms)
        self._weights = [weights.get(term, 1.0) for term in terms]
        self._one_word: dict[str, set[int]] = {}
        self._several_words: list[tuple[frozenset[str], int]] = []
        for index, term in enumerate(terms):
            for form in term.forms:
                stems = form_stems(form)
                if len(stems) == 1:
                    self._one_word.setdefault(next(iter(stems)), set()).add(index)
                elif stems:
                    self._several_words.append((stems, index))

    def shared(self, stems: frozenset[str]) -> tuple[int, float]:
        """How many of the terms a passage of these content stems holds, in any of their forms, and
        their weight."""
        found = {index for stem in stems & self._one_word.keys() for index in self._one_word[stem]}
        found.update(index for form, index in self._several_words if index not in found and form <= stems)
        return len(found), sum(self._weights[index] for index in found)


class FallbackSearch:
    """Counts shared content stems in Python over the most recent claims; over passages, the claim's
    terms shared in any of their forms, weighed by their rarity (as PostgresSearch does)."""

    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        return self.similar_claims_many([text], limit=limit)[0]

    def similar_claims_many(self, texts: Sequence[str], *, limit: int, after_id: int = 0) -> list[list[int]]:
        recent = Claim.objects.unmerged().filter(pk__gt=after_id).order_by("-id").values_list("id", "text")
        return _most_shared_stems(texts, recent[:FALLBACK_SCAN_LIMIT], limit=limit)

    def similar_reviews_many(self, texts: Sequence[str], *, limit: int) -> list[list[int]]:
        recent = ImportedReview.objects.order_by("-id").values_list("id", "claim_text")
        return _most_shared_stems(texts, recent[:FALLBACK_SCAN_LIMIT], limit=limit)

    def candidate_passages(self, query: PassageQuery) -> list[int]:
        every = query_term_groups(query.text, limit=4 * MAX_QUERY_TERMS)
        frequency, documents = term_frequencies(
            stem for term in every for form in term.forms for stem in form_stems(form)
        )
        terms = _TermsByStem(every, {term: term_weight(term, frequency, documents) for term in every})
        quotations = [normalize_quote_text(q) for q in query.quotations[:MAX_QUOTATIONS] if len(q.split()) >= 3]
        passages = (
            _published_within(Passage.objects.all(), query.published)
            .exclude(source_id__in=query.exclude_source_ids)
            .exclude(source__origin_cluster_id__in=query.exclude_cluster_ids)
            .order_by("-id")
            .values_list("id", "text")
        )
        numbers = [re.compile(rf"(?<![\w,.]){re.escape(f)}(?![\w]|[,.]\d)", re.IGNORECASE) for f in query.figures]
        quoted, counted, scored = [], [], []
        for passage_id, text in passages[:FALLBACK_PASSAGE_SCAN_LIMIT]:
            if quotations and any(q in normalize_quote_text(text) for q in quotations):
                quoted.append(passage_id)
            shared, weight = terms.shared(content_stems(text))
            if shared and any(number.search(text) for number in numbers):
                counted.append((-weight, passage_id))
            if shared >= 2 or (shared and terms.count <= 2):
                scored.append((-weight, passage_id))
        ranked = ([passage_id for _, passage_id in sorted(found)] for found in (counted, scored))
        return _merge(sorted(quoted), *ranked, limit=query.limit)


def _most_shared_stems(texts: Sequence[str], rows: Iterable[tuple[int, str]], *, limit: int) -> list[list[int]]:
    """For each text, the ids of the ``rows`` (id, text) sharing most of its content stems, at least one."""
    stemmed = [(row_id, content_stems(row_text)) for row_id, row_text in rows]
    found = []
    for text in texts:
        wanted = content_stems(text)
        scored = [(-len(wanted & stems), row_id) for row_id, stems in stemmed if wanted & stems]
        found.append([row_id for _, row_id in sorted(scored)[:limit]])
    return found


def _published_within(passages: QuerySet[Passage], windows: Sequence[DateWindow]) -> QuerySet[Passage]:
    """The passages published within one of ``windows`` (none: all), each dated as the PostgreSQL index
    files it (migration 0022): its source's publication day, else the day it was ingested, in UTC, never
    later than the day after its ingestion."""
    if not windows:
        return passages
    latest = F("source__ingested_at") + PUBLISHED_AT_MOST_AFTER_INGESTION
    day = TruncDate(Least(Coalesce("source__published_at", "source__ingested_at"), latest), tzinfo=dt.UTC)
    within = Q()
    for window in windows:
        within |= Q(published_day__range=window)
    return passages.annotate(published_day=day).filter(within)


def explain_retrieval(query: PassageQuery, explain: str = "EXPLAIN (FORMAT JSON)") -> list[tuple[str, list[Any]]]:
    """Each statement the search backend runs on the passage table to answer ``query``, in order, with the
    rows ``explain`` ("EXPLAIN (ANALYZE, BUFFERS)") gives for it: what bench/check_latency.py --explain
    prints and tests/test_search_plans.py checks.

    Each is explained just before it runs, inside retrieval's own transaction: a plan made after the fact
    would miss the planner settings retrieval runs under (_no_passage_scans)."""
    plans: list[tuple[str, list[Any]]] = []

    def explain_first(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if Passage._meta.db_table in sql:
            execute(f"{explain} {sql}", params, many, context)
            plans.append((sql, context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_first):
        get_search_backend().candidate_passages(query)
    return plans


def channel_of(sql: str) -> str:
    """Which of PostgresSearch's channels a retrieval statement serves, to label its plan."""
    if "<%" in sql:
        return "quotation"
    return "figures" if "phraseto_tsquery" in sql else "words"


BACKENDS: dict[str, type[SearchBackend]] = {"postgresql": PostgresSearch, "fallback": FallbackSearch}


def get_search_backend() -> SearchBackend:
    """The backend named by FACTCHECK_SEARCH_BACKEND; "auto" picks PostgreSQL's when the database is PostgreSQL."""
    name = settings.FACTCHECK_SEARCH_BACKEND
    if name == "auto":
        name = "postgresql" if connection.vendor == "postgresql" else "fallback"
    return BACKENDS[name]()
