"""revision reason 'minor': a change that does not affect meaning flags nothing

Revision ID: f5c3d9a1b8e2
Revises: e2b8f41a7c95
Create Date: 2026-12-03 23:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f5c3d9a1b8e2'
down_revision = 'e2b8f41a7c95'
branch_labels = None
depends_on = None

OLD_REASONS = (
    'import', 'edit', 'alignment', 'merge', 'split', 'move', 'revert', 'replace', 'suggestion'
)
NEW_REASONS = OLD_REASONS + ('minor',)


def _reason(values):
    return sa.Enum(*values, name='revision_reason', native_enum=False, create_constraint=True,
                   length=16)


def upgrade():
    # The reason is a VARCHAR with a CHECK constraint: rebuilt with the new list.
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=_reason(OLD_REASONS),
                              type_=_reason(NEW_REASONS), existing_nullable=False)


def downgrade():
    # Minor edits become plain edits: the old constraint does not know them.
    op.execute("UPDATE revisions SET reason = 'edit' WHERE reason = 'minor'")
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=_reason(NEW_REASONS),
                              type_=_reason(OLD_REASONS), existing_nullable=False)
