"""kept texts follow their unit: suggestions outlive segments, segment forwards

Revision ID: 5f1c2a7d9e40
Revises: 300f01e5a9bf
Create Date: 2026-12-03 17:20:00

A structure change (merge, realignment, undo) deleted the suggestions of the segments it
removed (ON DELETE CASCADE). Suggestions now say where they were (edition, unit) and
survive their segment (SET NULL); the services move them to the segment that holds
their text. ``segment_forwards`` records where each removed segment's text went.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f1c2a7d9e40'
down_revision = '300f01e5a9bf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('segment_forwards',
    sa.Column('segment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('segment_id', name=op.f('pk_segment_forwards'))
    )
    with op.batch_alter_table('segment_forwards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segment_forwards_successor_id'), ['successor_id'], unique=False)

    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.alter_column('segment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('fk_suggestions_segment_id_segments', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_suggestions_segment_id_segments'), 'segments', ['segment_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_suggestions_edition_id_editions'), 'editions', ['edition_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_suggestions_edition_id'), ['edition_id'], unique=False)
    suggestions = sa.table('suggestions', sa.column('segment_id'), sa.column('edition_id'), sa.column('unit_id'))
    segments = sa.table('segments', sa.column('id'), sa.column('edition_id'), sa.column('unit_id'))
    of_segment = segments.c.id == suggestions.c.segment_id
    op.execute(suggestions.update().values(
        edition_id=sa.select(segments.c.edition_id).where(of_segment).scalar_subquery(),
        unit_id=sa.select(segments.c.unit_id).where(of_segment).scalar_subquery(),
    ))


def downgrade():
    suggestions = sa.table('suggestions', sa.column('segment_id'))
    # A suggestion whose segment is gone cannot go back under NOT NULL: it would be lost,
    # so the downgrade refuses rather than delete what someone wrote.
    orphans = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(suggestions).where(suggestions.c.segment_id.is_(None))
    )
    if orphans:
        raise RuntimeError(f"{orphans} suggestion(s) outlived their segment; downgrading would delete them")
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestions_edition_id'))
        batch_op.drop_constraint(batch_op.f('fk_suggestions_edition_id_editions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_suggestions_segment_id_segments'), type_='foreignkey')
        batch_op.create_foreign_key('fk_suggestions_segment_id_segments', 'segments', ['segment_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('segment_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('unit_id')
        batch_op.drop_column('edition_id')

    with op.batch_alter_table('segment_forwards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segment_forwards_successor_id'))

    op.drop_table('segment_forwards')
