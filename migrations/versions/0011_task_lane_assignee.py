"""the assignee a task's lane resolved to, kept through reassignments

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:30:00

Reassignment overwrites human_task.assignee_id; lane_assignee_id remembers the rightful
holder so that they can always take an evaluating task back. Open rows get their current
assignee, the best knowledge available.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lane_assignee_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_human_task_lane_assignee_id_user'),
                                    'user', ['lane_assignee_id'], ['id'])
    op.execute('UPDATE human_task SET lane_assignee_id = assignee_id')


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_human_task_lane_assignee_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('lane_assignee_id')
