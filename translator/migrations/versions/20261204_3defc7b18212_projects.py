"""projects, their teams, and documents.project_id

Revision ID: 3defc7b18212
Revises: d5e1f7a3c820
Create Date: 2026-12-04 08:30:00

Existing documents belong to no project. On SQLite the column is added with a plain
ALTER TABLE (and dropped the same way): a batch copy of ``documents`` would drop the
progress counters' trigger on it (migration c9d4e2a7f160). Such a column reference can
carry no ON DELETE that SQLite reflects, so there is none on either database: a project
is deleted only once no document is left in it (``services.projects``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3defc7b18212'
down_revision = "d5e1f7a3c820"
branch_labels = None
depends_on = None

FK = 'fk_documents_project_id_projects'


def upgrade():
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('original_language', sa.String(length=35), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('slug', name=op.f('uq_projects_slug')),
    sqlite_autoincrement=True
    )
    op.create_table('project_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('role', sa.Enum('translator', 'reviewer', 'coordinator', 'reader', name='project_member_role', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_members_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_members')),
    sa.UniqueConstraint('project_id', 'user_id', 'language', name=op.f('uq_project_members_project_id_user_id_language')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_members_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_members_user_id'), ['user_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            f'ALTER TABLE documents ADD COLUMN project_id INTEGER CONSTRAINT {FK} '
            'REFERENCES projects (id)'
        )
    else:
        op.add_column('documents', sa.Column('project_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'documents', 'projects', ['project_id'], ['id'])
    op.create_index('ix_documents_project_id', 'documents', ['project_id'], unique=False)


def downgrade():
    op.drop_index('ix_documents_project_id', table_name='documents')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE documents DROP COLUMN project_id')
    else:
        op.drop_constraint(FK, 'documents', type_='foreignkey')
        op.drop_column('documents', 'project_id')
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_project_members_project_id'))
    op.drop_table('project_members')
    op.drop_table('projects')
