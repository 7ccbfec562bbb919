"""Full-text and trigram indexes on claims, PostgreSQL only: new passages look up
the claims they may restate through these (see factcheck.search)."""

from django.db import migrations

from factcheck.migrations._vendor import run_on_postgresql

FORWARD = [
    "ALTER TABLE factcheck_claim ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX claim_search_vector_gin ON factcheck_claim USING gin (search_vector)",
    "CREATE INDEX claim_text_trgm_gin ON factcheck_claim USING gin (text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS claim_text_trgm_gin",
    "DROP INDEX IF EXISTS claim_search_vector_gin",
    "ALTER TABLE factcheck_claim DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0004_claims_and_copies")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
