"""files of the background jobs: an import's upload, a rendered Report, an import's report

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 08:30:00

The bulk steps that read or write a file (the imports of the organisation, the plan and
the individual objectives; the rendering of the Report) keep it beside their job.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_job_file_job_id_job')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_file')),
    sa.UniqueConstraint('job_id', 'role', name=op.f('uq_job_file_job_id'))
    )
    with op.batch_alter_table('job_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_file_job_id'), ['job_id'], unique=False)


def downgrade():
    with op.batch_alter_table('job_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_file_job_id'))
    op.drop_table('job_file')
