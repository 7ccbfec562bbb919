"""Lexical retrieval with swappable backends: PostgreSQL full-text search in
production, a plain Python fallback for the SQLite demo. Both honour one
contract (tests/test_search.py runs the same test class against each).
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.db import connection

from factcheck.crosscheck.matching import STOPWORDS, content_stems
from factcheck.models import Claim

# The longest claim query: a sentence's content words are plenty to find its restatements.
MAX_QUERY_TERMS = 24
# The fallback scans at most this many recent claims: it serves the demo, not production.
FALLBACK_SCAN_LIMIT = 5000


class SearchBackend(Protocol):
    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        """Ids of open (not merged) claims sharing content words with ``text``, best first."""
        ...


def query_terms(text: str) -> list[str]:
    """Distinct content words of ``text``, safe to put into a tsquery (letters and digits only)."""
    terms: list[str] = []
    for word in text.lower().replace("\u2019", "'").split():
        word = "".join(ch for ch in word if ch.isalnum())
        if len(word) >= 3 and word not in STOPWORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


class PostgresSearch:
    """Claims whose stored search vector matches any of the text's content words,
    ranked by ts_rank_cd (cover density: more matched words, closer together, rank higher)."""

    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        terms = query_terms(text)
        if not terms:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT id FROM factcheck_claim, to_tsquery('english', %s) AS query
                WHERE search_vector @@ query AND merged_into_id IS NULL
                ORDER BY ts_rank_cd(search_vector, query) DESC, id
                LIMIT %s
                """,
                [" | ".join(terms), limit],
            )
            return [row[0] for row in cursor.fetchall()]


class FallbackSearch:
    """Counts shared content stems in Python over the most recent claims."""

    def similar_claims(self, text: str, *, limit: int) -> list[int]:
        wanted = content_stems(text)
        if not wanted:
            return []
        recent = Claim.objects.filter(merged_into__isnull=True).order_by("-id").values_list("id", "text")
        scored = []
        for claim_id, claim_text in recent[:FALLBACK_SCAN_LIMIT]:
            shared = len(wanted & content_stems(claim_text))
            if shared:
                scored.append((-shared, claim_id))
        return [claim_id for _, claim_id in sorted(scored)[:limit]]


BACKENDS: dict[str, type[SearchBackend]] = {"postgresql": PostgresSearch, "fallback": FallbackSearch}


def get_search_backend() -> SearchBackend:
    """The backend named by FACTCHECK_SEARCH_BACKEND; "auto" picks PostgreSQL's when the database is PostgreSQL."""
    name = settings.FACTCHECK_SEARCH_BACKEND
    if name == "auto":
        name = "postgresql" if connection.vendor == "postgresql" else "fallback"
    return BACKENDS[name]()
