"""documents and editions: deleted_at, deleted_by_id (the trash)

Revision ID: a8e3c5f1d2b7
Revises: b7e2c5d9f013
Create Date: 2026-12-04 03:20:00

Nothing is in the trash after the upgrade; the downgrade refuses to run while
something is (its rows would come back as if never deleted).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8e3c5f1d2b7'
down_revision = 'b7e2c5d9f013'
branch_labels = None
depends_on = None

TABLES = ('documents', 'editions')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_deleted_at'), ['deleted_at'])
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_deleted_by_id_users'),
                'users', ['deleted_by_id'], ['id'], ondelete='SET NULL',
            )


def downgrade():
    connection = op.get_bind()
    for table in TABLES:
        count = connection.execute(
            sa.text(f'SELECT COUNT(*) FROM {table} WHERE deleted_at IS NOT NULL')
        ).scalar()
        if count:
            raise RuntimeError(
                f'{count} row(s) of {table} are in the trash: restore or purge them first'
            )
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f'fk_{table}_deleted_by_id_users'), type_='foreignkey'
            )
            batch_op.drop_index(batch_op.f(f'ix_{table}_deleted_at'))
            batch_op.drop_column('deleted_by_id')
            batch_op.drop_column('deleted_at')
