"""an index that holds each edition's cells: status and words by unit

Revision ID: 44d254cff471
Revises: d5a7e3c1b942
Create Date: 2026-12-04 09:00:00

The figures of assignments ("My work", a document's assignments, progress) read the
status and words of every cell of the editions concerned. With this index PostgreSQL
reads them from the index alone (an index-only scan: a few pages per edition) instead
of visiting a heap page per few segments; 3 million segments: docs/benchmarks.md,
"My work" at scale. Saves that change a cell's status or words also update this index.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '44d254cff471'
down_revision = "d5a7e3c1b942"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.create_index(
            'ix_segments_edition_cells', ['edition_id', 'unit_id', 'status', 'words'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.drop_index('ix_segments_edition_cells')
