"""blank weights; each indicator's own scoring rule (ratio cap, credit per day late, steps)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00

A blank weight (NULL) means "no weights given": the rows of the group count equally.
The range checks stay as they are: a NULL passes them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

WEIGHT = sa.Numeric(precision=7, scale=4)


def upgrade():
    for table in ('strategic_area', 'objective', 'indicator'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('weight', existing_type=WEIGHT, nullable=True)
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ratio_cap', sa.Numeric(precision=7, scale=2), nullable=True))
        batch_op.add_column(sa.Column('credit_per_day_late', sa.Numeric(precision=7, scale=4),
                                      nullable=True))
        batch_op.add_column(sa.Column('steps', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('steps')
        batch_op.drop_column('credit_per_day_late')
        batch_op.drop_column('ratio_cap')
    for table in ('strategic_area', 'objective', 'indicator'):
        op.execute(sa.text(f'UPDATE {table} SET weight = 0 WHERE weight IS NULL'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('weight', existing_type=WEIGHT, nullable=False)
