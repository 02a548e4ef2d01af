"""the pooled inbox reads a partial index of the open unassigned tasks

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 09:00:00

The pool index covered every task ever pooled, open or done, and lacked the subject, the
cycle and the task type, so each pooled count, page and type list visited thousands of
table pages. The new index holds only open unassigned tasks, sorted by role and due
date, with every column the inbox filters on: the counts and the type list come from the
index alone and the first page stops after its rows. The assignee index keeps only
assigned tasks: SQLite, without statistics, preferred it for the pool's `assignee_id IS
NULL` to the pool index.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

OPEN_POOLED = "status = 'open' AND assignee_id IS NULL"
ASSIGNED = "assignee_id IS NOT NULL"


def upgrade():
    op.drop_index('ix_human_task_inbox_pool', table_name='human_task')
    op.drop_index('ix_human_task_inbox_assignee', table_name='human_task')
    op.create_index('ix_human_task_inbox_assignee', 'human_task',
                    ['assignee_id', 'status', 'due_at'],
                    postgresql_where=sa.text(ASSIGNED), sqlite_where=sa.text(ASSIGNED))
    op.create_index(
        'ix_human_task_open_pool', 'human_task',
        ['role', 'due_at', 'id', 'org_unit_id', 'subject_id', 'claimed_by_id', 'cycle_id',
         'bpmn_id', 'title', 'status', 'assignee_id'],
        postgresql_where=sa.text(OPEN_POOLED), sqlite_where=sa.text(OPEN_POOLED))


def downgrade():
    op.drop_index('ix_human_task_inbox_assignee', table_name='human_task',
                  postgresql_where=sa.text(ASSIGNED), sqlite_where=sa.text(ASSIGNED))
    op.create_index('ix_human_task_inbox_assignee', 'human_task',
                    ['assignee_id', 'status', 'due_at'])
    op.drop_index('ix_human_task_open_pool', table_name='human_task',
                  postgresql_where=sa.text(OPEN_POOLED), sqlite_where=sa.text(OPEN_POOLED))
    op.create_index('ix_human_task_inbox_pool', 'human_task',
                    ['role', 'status', 'assignee_id', 'org_unit_id', 'claimed_by_id', 'due_at'])
