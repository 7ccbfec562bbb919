"""The claims' words, one row a word (PostgreSQL only): what a new passage's statements are looked up by.

Why a table of its own, beside the claims' full-text index: extraction looks up the claims each statement
of a source may restate, 20 to 40 statements at once. Through the GIN index that took one query per
statement (a UNION ALL of them), each ranking every claim holding any of the statement's rare words with
``ts_rank_cd``, so the cost grew with the claim store (at 2,000 claims, 3.5 ms a statement, a third of
an article's extraction). Here every statement's words are looked up in one join on this table's primary
key, and the claims sharing enough of them are scored by the words' rarity, without reading the claims.

``factcheck_claim_term`` holds the lexemes of each claim open to matching (not merged into another), by
PostgreSQL's stemming, as the lookup's; triggers keep it in step with the claims on every write path:
inserted claims (also ``bulk_create`` and COPY), a changed text, a claim merged or unmerged, deleted
claims, an emptied table.

It replaces the claims' full-text index and the search vector it indexed (migration 0005), which nothing
reads any more: kept, every claim written would still compute its vector and write its GIN entries.
"""

from django.db import migrations

from factcheck.migrations._vendor import run_on_postgresql

FORWARD = [
    """
    CREATE TABLE factcheck_claim_term (
        lexeme text NOT NULL,
        claim_id bigint NOT NULL,
        PRIMARY KEY (lexeme, claim_id)
    )
    """,
    # For deletions and changed texts: a claim's rows are found by its id.
    "CREATE INDEX claim_term_claim_id ON factcheck_claim_term (claim_id)",
    """
    CREATE FUNCTION factcheck_claim_term_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO factcheck_claim_term (lexeme, claim_id)
        SELECT DISTINCT lexeme, n.id FROM new_claims n,
            unnest(tsvector_to_array(to_tsvector('english'::regconfig, n.text))) AS lexeme
        WHERE n.merged_into_id IS NULL;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER claim_term_insert AFTER INSERT ON factcheck_claim "
    "REFERENCING NEW TABLE AS new_claims FOR EACH STATEMENT EXECUTE FUNCTION factcheck_claim_term_insert()",
    """
    CREATE FUNCTION factcheck_claim_term_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM factcheck_claim_term WHERE claim_id = NEW.id;
        IF NEW.merged_into_id IS NULL THEN
            INSERT INTO factcheck_claim_term (lexeme, claim_id)
            SELECT DISTINCT lexeme, NEW.id
            FROM unnest(tsvector_to_array(to_tsvector('english'::regconfig, NEW.text))) AS lexeme;
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER claim_term_update AFTER UPDATE OF text, merged_into_id ON factcheck_claim FOR EACH ROW "
    "WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id) "
    "EXECUTE FUNCTION factcheck_claim_term_update()",
    # Deleted claims leave the table by triggers, not a foreign key: a foreign key into the claim table
    # would forbid emptying it with TRUNCATE (Django's flush does).
    """
    CREATE FUNCTION factcheck_claim_term_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM factcheck_claim_term t USING old_claims o WHERE t.claim_id = o.id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER claim_term_delete AFTER DELETE ON factcheck_claim "
    "REFERENCING OLD TABLE AS old_claims FOR EACH STATEMENT EXECUTE FUNCTION factcheck_claim_term_delete()",
    """
    CREATE FUNCTION factcheck_claim_term_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE factcheck_claim_term;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER claim_term_truncate AFTER TRUNCATE ON factcheck_claim "
    "FOR EACH STATEMENT EXECUTE FUNCTION factcheck_claim_term_truncate()",
    # The claims stored before this migration.
    "INSERT INTO factcheck_claim_term (lexeme, claim_id) "
    "SELECT DISTINCT lexeme, c.id FROM factcheck_claim c, "
    "unnest(tsvector_to_array(to_tsvector('english'::regconfig, c.text))) AS lexeme WHERE c.merged_into_id IS NULL",
    # What it replaces.
    "DROP INDEX claim_search_vector_gin",
    "ALTER TABLE factcheck_claim DROP COLUMN search_vector",
]
BACKWARD = [
    "ALTER TABLE factcheck_claim ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX claim_search_vector_gin ON factcheck_claim USING gin (search_vector)",
    "DROP TRIGGER claim_term_truncate ON factcheck_claim",
    "DROP TRIGGER claim_term_delete ON factcheck_claim",
    "DROP TRIGGER claim_term_update ON factcheck_claim",
    "DROP TRIGGER claim_term_insert ON factcheck_claim",
    "DROP TABLE factcheck_claim_term",
    "DROP FUNCTION factcheck_claim_term_truncate()",
    "DROP FUNCTION factcheck_claim_term_delete()",
    "DROP FUNCTION factcheck_claim_term_update()",
    "DROP FUNCTION factcheck_claim_term_insert()",
]


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0022_passage_index_by_month")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
