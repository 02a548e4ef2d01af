"""evaluation systems bound to a unit subtree; indicators computed from the roll-up

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unit_evaluation_system',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('org_unit_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], ),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cycle_id', 'org_unit_id'),
    )
    with op.batch_alter_table('unit_evaluation_system', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_evaluation_system_cycle_id'), ['cycle_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_unit_evaluation_system_org_unit_id'),
                              ['org_unit_id'], unique=False)
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('unit_evaluation_system', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_evaluation_system_org_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_evaluation_system_cycle_id'))
    op.drop_table('unit_evaluation_system')
