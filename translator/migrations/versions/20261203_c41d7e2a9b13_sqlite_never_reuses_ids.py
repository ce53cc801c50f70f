"""SQLite never reuses ids (AUTOINCREMENT) of rows clients and forwards refer to

Revision ID: c41d7e2a9b13
Revises: 8b3e0c6f1a52
Create Date: 2026-12-03 20:10:00

SQLite gives a new row the highest id plus one, so deleting the newest rows (a merge,
a realignment, its undo) hands their ids to the next rows created: an editor still
holding a removed segment's id would write to a different cell. AUTOINCREMENT makes
SQLite remember the highest id ever used. PostgreSQL's sequences never reuse ids: this
migration does nothing there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c41d7e2a9b13'
down_revision = '8b3e0c6f1a52'
branch_labels = None
depends_on = None

TABLES = (
    'users', 'documents', 'editions', 'units', 'segments', 'revisions',
    'structure_changes', 'suggestions', 'comments', 'document_members',
)


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}
        ):
            pass


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)
