"""progress counters kept by triggers: edition_counts, person_day_counts

Revision ID: c9d4e2a7f160
Revises: c4d8a2f6e1b3
Create Date: 2026-12-04 04:00:00

- edition_counts: segments, words, unaligned, outdated and the original's words of an
  edition by segment status; person_day_counts: words a person translated / reviewed in
  an edition on a UTC day.
- revisions.words: the words of the revision's text (backfilled here); revisions.advanced:
  set as the row is inserted when a person's change brought the cell to translated or
  reviewed from another status (backfilled here from each unit's history so far).
- Triggers on segments (every insert, update, delete, cascades included), on revisions
  (insert) and on documents (a new original) keep both with ``n = n + delta`` upserts,
  in the statement that changes the row; then both are filled from the existing rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9d4e2a7f160'
down_revision = 'c4d8a2f6e1b3'
branch_labels = None
depends_on = None

# The class of PostgreSQL advisory locks (with a document id) taken by counter writes.
COUNTER_LOCK = 1229

# Revisions that rewrite text without a person's translating or reviewing it.
STRUCTURAL = "('import', 'alignment', 'merge', 'split', 'move')"

# The words of the original's segment of the unit of segment r (0 for the original
# itself, for a document without an original, or a unit the original lacks).
ORIGINAL_WORDS = """coalesce((SELECT o.words FROM segments o
    JOIN editions e ON e.id = {r}.edition_id JOIN documents d ON d.id = e.document_id
    WHERE o.unit_id = {r}.unit_id AND o.edition_id = d.original_edition_id
      AND d.original_edition_id <> {r}.edition_id), 0)"""
IS_ORIGINAL = """EXISTS (SELECT 1 FROM editions e JOIN documents d ON d.id = e.document_id
    WHERE e.id = {r}.edition_id AND d.original_edition_id = {r}.edition_id)"""
REFILL_ORIGINAL = f"""UPDATE edition_counts SET original_words = coalesce((
      SELECT sum(o.words) FROM segments s JOIN segments o
        ON o.unit_id = s.unit_id AND o.edition_id = NEW.original_edition_id
      WHERE s.edition_id = edition_counts.edition_id AND s.status = edition_counts.status
        AND s.edition_id <> NEW.original_edition_id), 0)
    WHERE edition_id IN (SELECT id FROM editions WHERE document_id = NEW.id)"""
PREVIOUS_STATUS = """(SELECT p.status FROM revisions p WHERE p.edition_id = NEW.edition_id
    AND p.unit_id = NEW.unit_id AND p.id < NEW.id ORDER BY p.id DESC LIMIT 1)"""

PG_UP = [
    """CREATE FUNCTION counts_shift(e integer, s varchar, n integer, w integer, u integer,
        o integer, ow integer) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF e IS NULL OR (n = 0 AND w = 0 AND u = 0 AND o = 0 AND ow = 0) THEN RETURN; END IF;
      INSERT INTO edition_counts AS c
        (edition_id, status, segments, words, unaligned, outdated, original_words)
      SELECT e, s, n, w, u, o, ow WHERE EXISTS (SELECT 1 FROM editions WHERE id = e)
      ON CONFLICT (edition_id, status) DO UPDATE SET
        segments = c.segments + excluded.segments, words = c.words + excluded.words,
        unaligned = c.unaligned + excluded.unaligned, outdated = c.outdated + excluded.outdated,
        original_words = c.original_words + excluded.original_words;
    END $$""",
    # The document's counter lock first (held until the transaction ends): a writer
    # then takes its counter rows, in whatever order, with no other writer of the same
    # document between them, so that two writers never wait for each other in a circle
    # (a save moving a cell one way while a structure change moves many the other).
    f"""CREATE FUNCTION segment_counts_apply(r segments, sign integer) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE doc integer;
    BEGIN
      SELECT document_id INTO doc FROM editions WHERE id = r.edition_id;
      IF doc IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock({COUNTER_LOCK}, doc);
      END IF;
      IF {IS_ORIGINAL.format(r='r')} THEN
        PERFORM counts_shift(s.edition_id, s.status::varchar, 0, 0, 0, 0,
                             sign * coalesce(r.words, 0))
          FROM segments s WHERE s.unit_id = r.unit_id AND s.edition_id <> r.edition_id
          ORDER BY s.edition_id;
      END IF;
      PERFORM counts_shift(r.edition_id, r.status::varchar, sign, sign * coalesce(r.words, 0),
        CASE WHEN r.aligned THEN 0 ELSE sign END, CASE WHEN r.outdated THEN sign ELSE 0 END,
        sign * {ORIGINAL_WORDS.format(r='r')});
    END $$""",
    # BEFORE: each row's change sees the rows the same statement changed before it (a
    # unit's cells deleted by one cascade), never those after it.
    """CREATE FUNCTION segments_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM segment_counts_apply(NEW, 1);
        RETURN NEW;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM segment_counts_apply(OLD, -1);
        RETURN OLD;
      END IF;
      IF NEW.status = OLD.status AND NEW.words IS NOT DISTINCT FROM OLD.words
         AND NEW.aligned = OLD.aligned AND NEW.outdated = OLD.outdated
         AND NEW.unit_id = OLD.unit_id AND NEW.edition_id = OLD.edition_id THEN
        RETURN NEW;
      END IF;
      -- Counter rows in status order, whichever way the status goes: two saves moving
      -- cells in opposite directions never wait for each other in a circle.
      IF OLD.status::text <= NEW.status::text THEN
        PERFORM segment_counts_apply(OLD, -1);
        PERFORM segment_counts_apply(NEW, 1);
      ELSE
        PERFORM segment_counts_apply(NEW, 1);
        PERFORM segment_counts_apply(OLD, -1);
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER segments_counts BEFORE INSERT OR UPDATE OR DELETE ON segments
    FOR EACH ROW EXECUTE FUNCTION segments_counts()""",
    f"""CREATE FUNCTION documents_original_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {REFILL_ORIGINAL};
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER documents_original_counts AFTER UPDATE OF original_edition_id
    ON documents FOR EACH ROW
    WHEN (OLD.original_edition_id IS DISTINCT FROM NEW.original_edition_id)
    EXECUTE FUNCTION documents_original_counts()""",
    # BEFORE: the decision is stored in the row (``advanced``), so that a recount gives
    # the same figures whatever later changes do to the unit's history.
    f"""CREATE FUNCTION revisions_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE w integer := coalesce(NEW.words, 0);
    BEGIN
      NEW.advanced := false;
      IF NEW.author_id IS NULL OR NEW.edition_id IS NULL
         OR NEW.status NOT IN ('translated', 'reviewed') OR NEW.reason IN {STRUCTURAL}
         OR {PREVIOUS_STATUS} IS NOT DISTINCT FROM NEW.status THEN
        RETURN NEW;
      END IF;
      NEW.advanced := true;
      INSERT INTO person_day_counts AS c
        (user_id, edition_id, day, words_translated, words_reviewed)
      SELECT NEW.author_id, NEW.edition_id, (NEW.created_at AT TIME ZONE 'UTC')::date,
        CASE WHEN NEW.status = 'translated' THEN w ELSE 0 END,
        CASE WHEN NEW.status = 'reviewed' THEN w ELSE 0 END
      WHERE EXISTS (SELECT 1 FROM users WHERE id = NEW.author_id)
        AND EXISTS (SELECT 1 FROM editions WHERE id = NEW.edition_id)
      ON CONFLICT (user_id, edition_id, day) DO UPDATE SET
        words_translated = c.words_translated + excluded.words_translated,
        words_reviewed = c.words_reviewed + excluded.words_reviewed;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER revisions_counts BEFORE INSERT ON revisions
    FOR EACH ROW EXECUTE FUNCTION revisions_counts()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS revisions_counts ON revisions",
    "DROP TRIGGER IF EXISTS documents_original_counts ON documents",
    "DROP TRIGGER IF EXISTS segments_counts ON segments",
    "DROP FUNCTION IF EXISTS revisions_counts()",
    "DROP FUNCTION IF EXISTS documents_original_counts()",
    "DROP FUNCTION IF EXISTS segments_counts()",
    "DROP FUNCTION IF EXISTS segment_counts_apply(segments, integer)",
    "DROP FUNCTION IF EXISTS counts_shift(integer, varchar, integer, integer, integer,"
    " integer, integer)",
]


def _sqlite_apply(r: str, sign: str) -> str:
    """SQLite's row triggers run at once, row by row (AFTER sees the row changed)."""
    return f"""
      INSERT OR IGNORE INTO edition_counts
        (edition_id, status, segments, words, unaligned, outdated, original_words)
      SELECT {r}.edition_id, {r}.status, 0, 0, 0, 0, 0
      WHERE EXISTS (SELECT 1 FROM editions WHERE id = {r}.edition_id);
      UPDATE edition_counts SET segments = segments + {sign},
        words = words + {sign} * coalesce({r}.words, 0),
        unaligned = unaligned + CASE WHEN {r}.aligned THEN 0 ELSE {sign} END,
        outdated = outdated + CASE WHEN {r}.outdated THEN {sign} ELSE 0 END,
        original_words = original_words + {sign} * {ORIGINAL_WORDS.format(r=r)}
      WHERE edition_id = {r}.edition_id AND status = {r}.status;
      UPDATE edition_counts SET original_words = original_words
        + {sign} * coalesce({r}.words, 0)
      WHERE {IS_ORIGINAL.format(r=r)} AND (edition_id, status) IN (
        SELECT s.edition_id, s.status FROM segments s
        WHERE s.unit_id = {r}.unit_id AND s.edition_id <> {r}.edition_id);"""


SQLITE_UP = [
    f"""CREATE TRIGGER segments_counts_insert AFTER INSERT ON segments BEGIN
      {_sqlite_apply('NEW', '1')}
    END""",
    f"""CREATE TRIGGER segments_counts_delete AFTER DELETE ON segments BEGIN
      {_sqlite_apply('OLD', '-1')}
    END""",
    f"""CREATE TRIGGER segments_counts_update AFTER UPDATE ON segments
    WHEN NOT (NEW.status = OLD.status AND NEW.words IS OLD.words
      AND NEW.aligned = OLD.aligned AND NEW.outdated = OLD.outdated
      AND NEW.unit_id = OLD.unit_id AND NEW.edition_id = OLD.edition_id) BEGIN
      {_sqlite_apply('OLD', '-1')}
      {_sqlite_apply('NEW', '1')}
    END""",
    f"""CREATE TRIGGER documents_original_counts AFTER UPDATE OF original_edition_id
    ON documents WHEN OLD.original_edition_id IS NOT NEW.original_edition_id BEGIN
      {REFILL_ORIGINAL};
    END""",
    f"""CREATE TRIGGER revisions_counts AFTER INSERT ON revisions
    WHEN NEW.author_id IS NOT NULL AND NEW.edition_id IS NOT NULL
      AND NEW.status IN ('translated', 'reviewed') AND NEW.reason NOT IN {STRUCTURAL}
      AND {PREVIOUS_STATUS} IS NOT NEW.status BEGIN
      UPDATE revisions SET advanced = 1 WHERE id = NEW.id;
      INSERT OR IGNORE INTO person_day_counts
        (user_id, edition_id, day, words_translated, words_reviewed)
      SELECT NEW.author_id, NEW.edition_id, date(NEW.created_at), 0, 0
      WHERE EXISTS (SELECT 1 FROM users WHERE id = NEW.author_id)
        AND EXISTS (SELECT 1 FROM editions WHERE id = NEW.edition_id);
      UPDATE person_day_counts SET
        words_translated = words_translated
          + CASE WHEN NEW.status = 'translated' THEN coalesce(NEW.words, 0) ELSE 0 END,
        words_reviewed = words_reviewed
          + CASE WHEN NEW.status = 'reviewed' THEN coalesce(NEW.words, 0) ELSE 0 END
      WHERE user_id = NEW.author_id AND edition_id = NEW.edition_id
        AND day = date(NEW.created_at);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS revisions_counts",
    "DROP TRIGGER IF EXISTS documents_original_counts",
    "DROP TRIGGER IF EXISTS segments_counts_update",
    "DROP TRIGGER IF EXISTS segments_counts_delete",
    "DROP TRIGGER IF EXISTS segments_counts_insert",
]


# Filling the counters from the existing rows (frozen here: the service's recount,
# ``services.counters``, may change later; this migration must not).
BACKFILL_ADVANCED = f"""
UPDATE revisions SET advanced = true WHERE id IN (
  SELECT id FROM (
    SELECT id, author_id, edition_id, status, reason,
      lag(status) OVER (PARTITION BY edition_id, unit_id ORDER BY id) AS before
    FROM revisions WHERE edition_id IS NOT NULL) AS ordered
  WHERE author_id IS NOT NULL AND status IN ('translated', 'reviewed')
    AND reason NOT IN {STRUCTURAL} AND (before IS NULL OR before <> status))"""
FILL_EDITIONS = """
INSERT INTO edition_counts (edition_id, status, segments, words, unaligned, outdated,
  original_words)
SELECT s.edition_id, s.status, count(*), coalesce(sum(s.words), 0),
  sum(CASE WHEN s.aligned THEN 0 ELSE 1 END), sum(CASE WHEN s.outdated THEN 1 ELSE 0 END),
  coalesce(sum(o.words), 0)
FROM segments s
JOIN editions e ON e.id = s.edition_id
JOIN documents d ON d.id = e.document_id
LEFT JOIN segments o ON o.unit_id = s.unit_id AND o.edition_id = d.original_edition_id
  AND o.edition_id <> s.edition_id
GROUP BY s.edition_id, s.status"""


def _fill_people(dialect: str) -> str:
    day = (
        "CAST(created_at AT TIME ZONE 'UTC' AS date)" if dialect == 'postgresql'
        else "date(created_at)"
    )
    return f"""
INSERT INTO person_day_counts (user_id, edition_id, day, words_translated, words_reviewed)
SELECT author_id, edition_id, {day},
  sum(CASE WHEN status = 'translated' THEN coalesce(words, 0) ELSE 0 END),
  sum(CASE WHEN status = 'reviewed' THEN coalesce(words, 0) ELSE 0 END)
FROM revisions
WHERE advanced AND edition_id IS NOT NULL AND author_id IN (SELECT id FROM users)
GROUP BY author_id, edition_id, {day}"""


def _backfill_revision_words(conn) -> None:
    from translator.text.segmentation import count_words

    revisions = sa.table(
        'revisions', sa.column('id', sa.Integer), sa.column('text', sa.Text),
        sa.column('words', sa.Integer),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(revisions.c.id, revisions.c.text)
            .where(revisions.c.id > last).order_by(revisions.c.id).limit(2000)
        ).all()
        if not rows:
            return
        conn.execute(
            revisions.update().where(revisions.c.id == sa.bindparam('b_id'))
            .values(words=sa.bindparam('b_words')),
            [{'b_id': i, 'b_words': count_words(t) if t else 0} for i, t in rows],
        )
        last = rows[-1][0]


def upgrade():
    op.create_table('edition_counts',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('unaligned', sa.Integer(), nullable=False),
    sa.Column('outdated', sa.Integer(), nullable=False),
    sa.Column('original_words', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_edition_counts_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('edition_id', 'status', name=op.f('pk_edition_counts'))
    )
    op.create_table('person_day_counts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('words_translated', sa.Integer(), nullable=False),
    sa.Column('words_reviewed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_person_day_counts_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_day_counts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'edition_id', 'day', name=op.f('pk_person_day_counts'))
    )
    with op.batch_alter_table('person_day_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_day_counts_edition_id'), ['edition_id'], unique=False)
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('words', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('advanced', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_revisions_edition_unit', ['edition_id', 'unit_id', 'id'], unique=False)
    conn = op.get_bind()
    _backfill_revision_words(conn)
    conn.execute(sa.text(BACKFILL_ADVANCED))
    for statement in PG_UP if conn.dialect.name == 'postgresql' else SQLITE_UP:
        op.execute(statement)
    conn.execute(sa.text(FILL_EDITIONS))
    conn.execute(sa.text(_fill_people(conn.dialect.name)))


def downgrade():
    conn = op.get_bind()
    for statement in PG_DOWN if conn.dialect.name == 'postgresql' else SQLITE_DOWN:
        op.execute(statement)
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_revisions_edition_unit')
        batch_op.drop_column('advanced')
        batch_op.drop_column('words')
    with op.batch_alter_table('person_day_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_day_counts_edition_id'))
    op.drop_table('person_day_counts')
    op.drop_table('edition_counts')
