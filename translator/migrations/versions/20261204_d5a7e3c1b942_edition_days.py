"""edition_days: an edition's words left per UTC day, for the dashboard's burndown;
person_day_counts indexed by day (the dashboard reads the last days of every edition)

Revision ID: d5a7e3c1b942
Revises: e5b1f7a3c820
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a7e3c1b942'
down_revision = "e5b1f7a3c820"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('edition_days',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('words_total', sa.Integer(), nullable=False),
    sa.Column('words_to_translate', sa.Integer(), nullable=False),
    sa.Column('words_to_review', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_edition_days_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('edition_id', 'day', name=op.f('pk_edition_days'))
    )
    with op.batch_alter_table('edition_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edition_days_day'), ['day'], unique=False)
    # A plain CREATE INDEX (no batch: the counters' table is never rebuilt).
    op.create_index(op.f('ix_person_day_counts_day'), 'person_day_counts', ['day'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_person_day_counts_day'), table_name='person_day_counts')
    with op.batch_alter_table('edition_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_edition_days_day'))
    op.drop_table('edition_days')
