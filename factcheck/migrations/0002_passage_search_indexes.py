"""Full-text and trigram indexes on passages, PostgreSQL only.

The model does not declare these: SQLite (the demo database) has neither, and a
search backend chosen by database vendor uses them. On PostgreSQL, passages get a
stored, generated ``search_vector`` (so it can never drift from ``text``), a GIN
index on it for ranked full-text retrieval, and a trigram GIN index on ``text``
for near-verbatim quotation lookup.
"""

from django.db import migrations

from factcheck.migrations._vendor import run_on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE factcheck_passage ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX passage_search_vector_gin ON factcheck_passage USING gin (search_vector)",
    "CREATE INDEX passage_text_trgm_gin ON factcheck_passage USING gin (text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS passage_text_trgm_gin",
    "DROP INDEX IF EXISTS passage_search_vector_gin",
    "ALTER TABLE factcheck_passage DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0001_initial")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
