"""releases (frozen snapshots of a document's chosen editions) and whether a document
needs review before its editions are ready

Revision ID: e5b1f7a3c820
Revises: c9d4e2a7f160
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b1f7a3c820'
down_revision = 'c9d4e2a7f160'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, no batch copy: on SQLite a copy of ``documents`` would break
    # the counters' triggers that name it (migration c9d4e2a7f160).
    op.add_column('documents', sa.Column('review_required', sa.Boolean(), server_default=sa.true(), nullable=False))

    op.create_table('releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('units', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_releases_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_releases_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases')),
    sa.UniqueConstraint('document_id', 'version', name=op.f('uq_releases_document_id_version')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_releases_document_id'), ['document_id'], unique=False)

    op.create_table('release_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=True),
    sa.Column('info', sa.JSON(), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], name=op.f('fk_release_editions_release_id_releases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_release_editions_edition_id_editions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_editions')),
    sa.UniqueConstraint('release_id', 'language', name=op.f('uq_release_editions_release_id_language')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('release_editions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_editions_release_id'), ['release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_editions_edition_id'), ['edition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('release_editions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_editions_edition_id'))
        batch_op.drop_index(batch_op.f('ix_release_editions_release_id'))
    op.drop_table('release_editions')
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_releases_document_id'))
    op.drop_table('releases')
    if op.get_bind().dialect.name == 'sqlite':  # SQLite >= 3.35 drops a column in place
        op.execute('ALTER TABLE documents DROP COLUMN review_required')
    else:
        op.drop_column('documents', 'review_required')
