"""a partial index of the running children of each parent

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 11:30:00

Each child that ends asks whether a sibling of its batch still runs. The master of a
25,000-person cycle has some 75,000 children, and the parent index alone made that
question visit all of them for every child that ended: quadratic over a cycle. The
partial index holds only the running children, by parent, end message and id, so the
question is answered by one index probe.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

RUNNING = "status = 'running'"


def upgrade():
    op.create_index('ix_process_instance_running_children', 'process_instance',
                    ['parent_id', 'end_message', 'id'],
                    postgresql_where=sa.text(RUNNING), sqlite_where=sa.text(RUNNING))


def downgrade():
    op.drop_index('ix_process_instance_running_children', table_name='process_instance',
                  postgresql_where=sa.text(RUNNING), sqlite_where=sa.text(RUNNING))
