"""activity log indexes: revisions newest first (all, by author, by edition), the other sources by time, person days by day

Revision ID: d3a7c1e5b920
Revises: c9d4e2a7f160
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
down_revision = 'c9d4e2a7f160'
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
    op.create_index('ix_person_day_counts_day', 'person_day_counts', ['day'])


def downgrade():
    op.drop_index('ix_person_day_counts_day', table_name='person_day_counts')
    for table in TIMED:
        op.drop_index(f'ix_{table}_created_at', table_name=table)
    for name in INDEXES:
        op.drop_index(name, table_name='revisions')
