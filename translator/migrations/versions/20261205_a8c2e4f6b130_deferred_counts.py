"""segment counters: a bulk writer may defer them to one recount of its document

Revision ID: a8c2e4f6b130
Revises: 3defc7b18212
Create Date: 2026-12-05 15:30:00

The per-row trigger on segments (migration c9d4e2a7f160) adds each row's change to its
edition's counter row. A bulk writer changes thousands of segments of one edition in one
transaction, so that counter row is rewritten thousands of times, and on PostgreSQL each
rewrite follows the chain of the row's versions written before it in the transaction:
the time grows with the square of the rows (an alignment of 10 000 sentences a side
spent 12 s deleting the old units). With ``translator.counts`` set to ``deferred`` for
the transaction, the trigger does not fire (its WHEN); the writer then recounts its document's
counters in one statement (``services.counters.recounted``). SQLite keeps no row
versions: its triggers are unchanged.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a8c2e4f6b130'
down_revision = '3defc7b18212'
branch_labels = None
depends_on = None

_TRIGGER = """CREATE TRIGGER segments_counts BEFORE INSERT OR UPDATE OR DELETE ON segments
    FOR EACH ROW {when}EXECUTE FUNCTION segments_counts()"""
_COUNTING = "WHEN (current_setting('translator.counts', true) IS DISTINCT FROM 'deferred') "


def _replace_trigger(when: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS segments_counts ON segments")
        op.execute(_TRIGGER.format(when=when))


def upgrade():
    _replace_trigger(_COUNTING)


def downgrade():
    _replace_trigger("")
