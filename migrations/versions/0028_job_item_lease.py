"""jobs whose work runs outside the transaction: when a worker took the item (its lease)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 11:00:00

Drawing the Report renders two PDFs for seconds; its job item is now claimed in one short
transaction, rendered with none open and written in another. The claim's instant is
committed so that, for a lease, no other worker takes the same item; a worker killed
while rendering leaves it to the next one once the lease ends.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job_item') as batch:
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('job_item') as batch:
        batch.drop_column('claimed_at')
