"""documents.original_edition_id: the edition the others are translated from

Revision ID: e2b8f41a7c95
Revises: d7a41c9e2b60
Create Date: 2026-12-03 23:15:00

Existing documents keep no original (their editions stay peers, as they were).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2b8f41a7c95'
down_revision = 'd7a41c9e2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_edition_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_documents_original_edition_id_editions'),
            'editions', ['original_edition_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_documents_original_edition_id_editions'), type_='foreignkey'
        )
        batch_op.drop_column('original_edition_id')
