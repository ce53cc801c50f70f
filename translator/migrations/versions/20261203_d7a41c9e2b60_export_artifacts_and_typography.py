"""export artifacts (files made by export jobs) and each edition's typography setting

Revision ID: d7a41c9e2b60
Revises: c4d2a9e7b315
Create Date: 2026-12-03 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a41c9e2b60'
down_revision = 'c4d2a9e7b315'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_artifacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('notice', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_export_artifacts_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_export_artifacts_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_export_artifacts_job_id_jobs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_artifacts')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_export_artifacts_stored_name')),
    )
    with op.batch_alter_table('export_artifacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_artifacts_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_artifacts_fingerprint'), ['fingerprint'], unique=False)
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typography', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('typography')
    with op.batch_alter_table('export_artifacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_artifacts_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_export_artifacts_document_id'))
    op.drop_table('export_artifacts')
