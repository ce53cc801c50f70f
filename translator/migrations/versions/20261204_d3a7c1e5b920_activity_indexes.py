"""activity log indexes: revisions newest first (all, by author, by edition), the other sources by time, person days by day

Revision ID: d3a7c1e5b920
Revises: 44d254cff471
Create Date: 2026-12-04 08:30:00

The activity log (``services.activity``) reads revisions newest first, filtered by
person or by edition, and leaves out the revisions of imports and fixes of the rows
(the bulk of the table): partial indexes without them. Its other sources (comments,
structure changes, assignment events, jobs) are read newest first too. The figures read the kept
person × day counters by a range of days. Plain CREATE INDEX (no batch mode): SQLite
keeps the table and its counter triggers as they are.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a7c1e5b920'
down_revision = "44d254cff471"
branch_labels = None
depends_on = None

# Frozen here: the models' STRUCTURAL_REASONS may change later; this migration must not.
PERSONAL = sa.text("reason NOT IN ('import', 'alignment', 'merge', 'split', 'move')")
INDEXES = {
    'ix_revisions_activity': ['created_at', 'id'],
    'ix_revisions_activity_author': ['author_id', 'created_at', 'id'],
    'ix_revisions_activity_edition': ['edition_id', 'created_at', 'id'],
}

TIMED = ('comments', 'structure_changes', 'assignment_events', 'jobs')


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(
            name, 'revisions', columns, postgresql_where=PERSONAL, sqlite_where=PERSONAL
        )
    for table in TIMED:
        op.create_index(f'ix_{table}_created_at', table, ['created_at'])
    # person_day_counts(day) is indexed by the dashboard's migration (d5a7e3c1b942).


def downgrade():
    for table in TIMED:
        op.drop_index(f'ix_{table}_created_at', table_name=table)
    for name in INDEXES:
        op.drop_index(name, table_name='revisions')
