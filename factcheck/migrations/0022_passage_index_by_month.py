"""The passages' full-text index, partitioned by publication month (PostgreSQL only); the window a
check searched, and checks across the whole archive on request.

Why a table of its own, not the passage table partitioned: every foreign key into a partitioned table
must name its partition key, so evidence, appearances and claims would have to carry each passage's
month beside its id, and Django has no composite foreign keys. What a check reads is the index, so
the index is what is partitioned: ``factcheck_passage_index`` holds each passage's id, source, month
of publication (its source's ``published_at``, else the day it was ingested, in UTC; never later than the
day after its ingestion) and search
vector, one partition a month with its own GIN index. A check looks at the months of its window only
(partition pruning), so its cost grows with the window, not with the archive.

Triggers keep it in step with the passages, as the generated column it replaces did: every passage
inserted (by any path: ``bulk_create``, COPY) is indexed in the same statement, its month's partition
created on first use; a changed text is re-indexed; a source whose publication date changes has its
passages moved to their new month; a deleted passage (or an emptied table) leaves the index.
"""

from django.db import migrations, models

from factcheck.migrations._vendor import run_on_postgresql

# The day a passage is filed under: its source's publication day, else the day it was ingested; never
# after the day after its ingestion (nothing is published later than it is read: a date in the future
# is a mistake, or a hostile one, and would make a partition for a month nobody searches).
PUBLISHED = (
    "(LEAST(COALESCE(s.published_at, s.ingested_at), s.ingested_at + interval '1 day') AT TIME ZONE 'UTC')::date"
)

FORWARD = [
    """
    CREATE TABLE factcheck_passage_index (
        passage_id bigint NOT NULL,
        source_id bigint NOT NULL,
        published date NOT NULL,
        search_vector tsvector NOT NULL
    ) PARTITION BY RANGE (published)
    """,
    "CREATE INDEX passage_index_search_vector_gin ON factcheck_passage_index USING gin (search_vector)",
    # For deletions and the moves between months: a passage is found by its id.
    "CREATE INDEX passage_index_passage_id ON factcheck_passage_index (passage_id)",
    # Dates before 2000 share one partition: an archive's old articles, or a mistyped year, never
    # make a partition a month.
    "CREATE TABLE factcheck_passage_index_before_2000 PARTITION OF factcheck_passage_index "
    "FOR VALUES FROM (MINVALUE) TO ('2000-01-01')",
    """
    CREATE FUNCTION factcheck_passage_index_month(day date) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        first date := date_trunc('month', day)::date;
        name text := 'factcheck_passage_index_' || to_char(first, 'YYYY_MM');
    BEGIN
        IF first < DATE '2000-01-01' OR to_regclass(name) IS NOT NULL THEN
            RETURN;
        END IF;
        BEGIN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF factcheck_passage_index FOR VALUES FROM (%L) TO (%L)',
                name, first, (first + interval '1 month')::date
            );
        EXCEPTION WHEN duplicate_table THEN
            NULL;  -- another session made it first
        END;
    END $$
    """,
    f"""
    CREATE FUNCTION factcheck_passage_index_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM factcheck_passage_index_month(month)
        FROM (SELECT DISTINCT {PUBLISHED} AS month
              FROM new_passages n JOIN factcheck_source s ON s.id = n.source_id) AS months;
        INSERT INTO factcheck_passage_index (passage_id, source_id, published, search_vector)
        SELECT n.id, n.source_id, {PUBLISHED}, to_tsvector('english'::regconfig, n.text)
        FROM new_passages n JOIN factcheck_source s ON s.id = n.source_id;
        RETURN NULL;
    END $$
    """,  # noqa: S608 - only our own constant is formatted in
    "CREATE TRIGGER passage_index_insert AFTER INSERT ON factcheck_passage "
    "REFERENCING NEW TABLE AS new_passages FOR EACH STATEMENT EXECUTE FUNCTION factcheck_passage_index_insert()",
    """
    CREATE FUNCTION factcheck_passage_index_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE factcheck_passage_index SET search_vector = to_tsvector('english'::regconfig, NEW.text)
        WHERE passage_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER passage_index_text AFTER UPDATE OF text ON factcheck_passage FOR EACH ROW "
    "WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION factcheck_passage_index_text()",
    # Deleted passages leave the index by triggers, not a foreign key: a foreign key into the passage
    # table would forbid emptying it with TRUNCATE (Django's flush does), and an emptied table whose
    # ids start again must not keep the old passages' index rows.
    """
    CREATE FUNCTION factcheck_passage_index_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM factcheck_passage_index i USING old_passages o WHERE i.passage_id = o.id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER passage_index_delete AFTER DELETE ON factcheck_passage "
    "REFERENCING OLD TABLE AS old_passages FOR EACH STATEMENT EXECUTE FUNCTION factcheck_passage_index_delete()",
    """
    CREATE FUNCTION factcheck_passage_index_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE factcheck_passage_index;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER passage_index_truncate AFTER TRUNCATE ON factcheck_passage "
    "FOR EACH STATEMENT EXECUTE FUNCTION factcheck_passage_index_truncate()",
    f"""
    CREATE FUNCTION factcheck_passage_index_source_dated() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        day date := (SELECT {PUBLISHED} FROM (SELECT NEW.published_at, NEW.ingested_at) AS s);
    BEGIN
        PERFORM factcheck_passage_index_month(day);
        UPDATE factcheck_passage_index SET published = day
        WHERE passage_id IN (SELECT id FROM factcheck_passage WHERE source_id = NEW.id) AND published <> day;
        RETURN NULL;
    END $$
    """,  # noqa: S608 - only our own constant is formatted in
    "CREATE TRIGGER passage_index_source_dated AFTER UPDATE OF published_at, ingested_at ON factcheck_source "
    "FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at "
    "OR OLD.ingested_at IS DISTINCT FROM NEW.ingested_at) "
    "EXECUTE FUNCTION factcheck_passage_index_source_dated()",
    # Every passage not yet indexed, indexed: the passages stored before this migration, and after a
    # bulk load that left the trigger off (bench/corpus.py) or put passages back before their sources
    # (tests/snapshots.py). Returns how many it indexed.
    f"""
    CREATE FUNCTION factcheck_passage_index_fill() RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE
        indexed bigint;
    BEGIN
        -- The months of every source with passages (a few rows a month; those made already are kept).
        PERFORM factcheck_passage_index_month(month) FROM (
            SELECT DISTINCT {PUBLISHED} AS month FROM factcheck_source s
            WHERE EXISTS (SELECT 1 FROM factcheck_passage p WHERE p.source_id = s.id)
        ) AS months;
        INSERT INTO factcheck_passage_index (passage_id, source_id, published, search_vector)
        SELECT p.id, p.source_id, {PUBLISHED}, to_tsvector('english'::regconfig, p.text)
        FROM factcheck_passage p JOIN factcheck_source s ON s.id = p.source_id
        WHERE NOT EXISTS (SELECT 1 FROM factcheck_passage_index i WHERE i.passage_id = p.id);
        GET DIAGNOSTICS indexed = ROW_COUNT;
        RETURN indexed;
    END $$
    """,  # noqa: S608 - only our own constant is formatted in
    "SELECT factcheck_passage_index_fill()",
    # The index it replaces.
    "DROP INDEX passage_search_vector_gin",
    "ALTER TABLE factcheck_passage DROP COLUMN search_vector",
]
BACKWARD = [
    "ALTER TABLE factcheck_passage ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED",
    "CREATE INDEX passage_search_vector_gin ON factcheck_passage USING gin (search_vector)",
    "DROP TRIGGER passage_index_source_dated ON factcheck_source",
    "DROP TRIGGER passage_index_truncate ON factcheck_passage",
    "DROP TRIGGER passage_index_delete ON factcheck_passage",
    "DROP TRIGGER passage_index_text ON factcheck_passage",
    "DROP TRIGGER passage_index_insert ON factcheck_passage",
    "DROP TABLE factcheck_passage_index",
    "DROP FUNCTION factcheck_passage_index_fill()",
    "DROP FUNCTION factcheck_passage_index_source_dated()",
    "DROP FUNCTION factcheck_passage_index_truncate()",
    "DROP FUNCTION factcheck_passage_index_delete()",
    "DROP FUNCTION factcheck_passage_index_text()",
    "DROP FUNCTION factcheck_passage_index_insert()",
    "DROP FUNCTION factcheck_passage_index_month(date)",
]


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0021_passage_speaker_by_role")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
        migrations.AddField(
            model_name="checkrun",
            name="whole_archive",
            field=models.BooleanField(
                default=False,
                help_text="Compared with the whole archive, not only the passages published near the claim's date.",
            ),
        ),
        migrations.AddField(
            model_name="checkrun",
            name="searched",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The publication dates searched, as [from, to] pairs; empty: the whole archive.",
            ),
        ),
    ]
