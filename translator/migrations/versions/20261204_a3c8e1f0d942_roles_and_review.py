"""coordinators and readers; a reviewer's rejection in the history

Revision ID: a3c8e1f0d942
Revises: f5c3d9a1b8e2
Create Date: 2026-12-04 03:20:00

- users.is_coordinator: a coordinator of every document (creates documents, manages
  members, settings, alignment and deletion).
- document_members.role gains 'coordinator' and 'reader', roles over the whole document:
  their row's language is '' (no edition has that code).
- revisions.reason gains 'reject': a reviewer sent the text back with a reason.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c8e1f0d942'
down_revision = 'f5c3d9a1b8e2'
branch_labels = None
depends_on = None

OLD_ROLES = ('translator', 'reviewer')
NEW_ROLES = OLD_ROLES + ('coordinator', 'reader')
OLD_REASONS = (
    'import', 'edit', 'alignment', 'merge', 'split', 'move', 'revert', 'replace', 'suggestion',
    'minor',
)
NEW_REASONS = OLD_REASONS + ('reject',)


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_coordinator', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('document_members', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_enum(OLD_ROLES, 'member_role'),
                              type_=_enum(NEW_ROLES, 'member_role'), existing_nullable=False)
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=_enum(OLD_REASONS, 'revision_reason'),
                              type_=_enum(NEW_REASONS, 'revision_reason'),
                              existing_nullable=False)


def downgrade():
    # Whole-document roles have no equivalent before: they are dropped (a coordinator or
    # reader sees nothing more than any signed-in person did then); rejections become edits.
    op.execute("DELETE FROM document_members WHERE role IN ('coordinator', 'reader')")
    op.execute("UPDATE revisions SET reason = 'edit' WHERE reason = 'reject'")
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=_enum(NEW_REASONS, 'revision_reason'),
                              type_=_enum(OLD_REASONS, 'revision_reason'),
                              existing_nullable=False)
    with op.batch_alter_table('document_members', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=_enum(NEW_ROLES, 'member_role'),
                              type_=_enum(OLD_ROLES, 'member_role'), existing_nullable=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_coordinator')
