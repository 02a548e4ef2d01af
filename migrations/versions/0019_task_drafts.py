"""task drafts: a task form's answers saved without completing the task

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 02:30:00

The evaluator's grid saves each person's ratings as a draft; the task page shows it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_by_id', sa.Integer(), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['saved_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('task_id'),
    )


def downgrade():
    op.drop_table('task_draft')
