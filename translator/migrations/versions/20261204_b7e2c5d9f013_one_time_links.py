"""one-time links: invitations and password resets (stored as hashes, single use)

Revision ID: b7e2c5d9f013
Revises: a3c8e1f0d942
Create Date: 2026-12-04 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c5d9f013'
down_revision = 'a3c8e1f0d942'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('one_time_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invitation', 'password_reset', name='link_purpose', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_links_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_one_time_links_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_one_time_links_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('one_time_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_links_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('one_time_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_one_time_links_user_id'))

    op.drop_table('one_time_links')
