"""the cycle's open tasks in page order: by due date, then id

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05 17:00:00

The dashboard's overdue tasks come by due date and id. The tasks a bulk step opens share
one due date, so an index ending at the due date left the database sorting every one of
them for each page: 7.9 ms at 25,000 people on PostgreSQL, against 0.08 ms with the id
in the index.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_human_task_cycle_status', table_name='human_task')
    op.create_index('ix_human_task_cycle_status', 'human_task',
                    ['cycle_id', 'status', 'due_at', 'id'])


def downgrade():
    op.drop_index('ix_human_task_cycle_status', table_name='human_task')
    op.create_index('ix_human_task_cycle_status', 'human_task', ['cycle_id', 'status', 'due_at'])
