"""the cycle dashboard's figures over everyone, as last drawn, per language

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 09:00:00

At 25,000 people the dashboard's figures over everyone (people per step and area, the
distribution of scores, the open tasks per step and unit, the achievements with their
explanations) took a core for about 150 ms at every visit, and under load half of the
app servers' time. They are kept here, shared by every app server, for
DASHBOARD_FIGURES_SECONDS.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cycle_id', 'locale'),
    )


def downgrade():
    op.drop_table('dashboard_snapshot')
