"""assignments of an edition's units to a person, and their history

Revision ID: c4d8a2f6e1b3
Revises: a8e3c5f1d2b7
Create Date: 2026-12-04 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8a2f6e1b3'
down_revision = 'a8e3c5f1d2b7'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade():
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', _enum('assignment_kind', 'translate', 'review'), nullable=False),
    sa.Column('first_unit_id', sa.Integer(), nullable=True),
    sa.Column('last_unit_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', _enum('assignment_state', 'open', 'closed'), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_assignments_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_assignments_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignments_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_unit_id'], ['units.id'], name=op.f('fk_assignments_first_unit_id_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['last_unit_id'], ['units.id'], name=op.f('fk_assignments_last_unit_id_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_assignments_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        for column in ('document_id', 'edition_id', 'user_id', 'first_unit_id', 'last_unit_id'):
            batch_op.create_index(batch_op.f(f'ix_assignments_{column}'), [column], unique=False)

    op.create_table('assignment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('action', _enum('assignment_action', 'created', 'reassigned', 'due_changed', 'note_changed', 'closed', 'reopened'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_events_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_assignment_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_events')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('assignment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_events_assignment_id'), ['assignment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assignment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_events_assignment_id'))
    op.drop_table('assignment_events')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        for column in ('document_id', 'edition_id', 'user_id', 'first_unit_id', 'last_unit_id'):
            batch_op.drop_index(batch_op.f(f'ix_assignments_{column}'))
    op.drop_table('assignments')
