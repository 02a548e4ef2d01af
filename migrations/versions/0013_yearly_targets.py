"""targets over several years: the baseline's year and a target per year of the horizon

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:30:00

Every existing indicator gets one yearly entry: its target, for its cycle's year (a
fixed value). Indicator.target may now be empty while a relative target of the cycle's
year waits to be resolved.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

VALUE = sa.String(length=40)


def upgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline_year', sa.Integer(), nullable=True))
        batch_op.alter_column('target', existing_type=VALUE, nullable=True)
    op.create_table(
        'indicator_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('reference_year', sa.Integer(), nullable=True),
        sa.Column('amount', sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column('value', VALUE, nullable=True),
        sa.Column('base', VALUE, nullable=True),
        sa.Column('source', sa.String(length=10), nullable=True),
        sa.CheckConstraint("kind IN ('value', 'same', 'percent', 'delta')",
                           name=op.f('ck_indicator_target_kind_known')),
        sa.CheckConstraint("kind = 'value' OR reference_year IS NOT NULL",
                           name=op.f('ck_indicator_target_rule_has_year')),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ondelete='CASCADE',
                                name=op.f('fk_indicator_target_indicator_id_indicator')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_target')),
        sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_indicator_target_indicator_id')),
    )
    with op.batch_alter_table('indicator_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_target_indicator_id'), ['indicator_id'],
                              unique=False)
    op.execute(sa.text(
        "INSERT INTO indicator_target (indicator_id, year, kind, value) "
        "SELECT indicator.id, cycle.year, 'value', indicator.target FROM indicator "
        "JOIN plan ON plan.id = indicator.plan_id JOIN cycle ON cycle.id = plan.cycle_id "
        "WHERE indicator.target IS NOT NULL"))


def downgrade():
    with op.batch_alter_table('indicator_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_target_indicator_id'))
    op.drop_table('indicator_target')
    op.execute(sa.text("DELETE FROM indicator WHERE target IS NULL"))
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.alter_column('target', existing_type=VALUE, nullable=False)
        batch_op.drop_column('baseline_year')
