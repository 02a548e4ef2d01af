"""a chunk's items found by the token that claimed them

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-04 19:00:00

A worker reads back the items its claiming UPDATE marked with its token. Without an index
that read scanned every item of every job: 4.4 ms a chunk at 25,000 people, growing
with each job recorded.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_job_item_claim_token', 'job_item', ['claim_token'])


def downgrade():
    op.drop_index('ix_job_item_claim_token', table_name='job_item')
