"""indexes behind the list pages: people by name, a cycle's open tasks

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 02:00:00

Every list of people is sorted by last name, first name and id and shows one page: with
the index the database walks the first rows in order instead of sorting everyone. The
dashboard counts a cycle's open tasks per step and per unit and pages its late ones.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_name_order', 'user', ['last_name', 'first_name', 'id'])
    op.create_index('ix_human_task_cycle_status', 'human_task', ['cycle_id', 'status', 'due_at'])


def downgrade():
    op.drop_index('ix_human_task_cycle_status', table_name='human_task')
    op.drop_index('ix_user_name_order', table_name='user')
