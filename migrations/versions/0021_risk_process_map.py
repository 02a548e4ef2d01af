"""the process map of the corruption-risk section: risk areas, and per unit and area the
processes, their phases (sub-processes) and activities

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 05:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'risk_area',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('administration_id', 'code'),
    )
    op.create_index('ix_risk_area_administration_id', 'risk_area', ['administration_id'])
    op.create_table(
        'mapped_process',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], ),
        sa.ForeignKeyConstraint(['area_id'], ['risk_area.id'], ),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('administration_id', 'code'),
    )
    op.create_index('ix_mapped_process_administration_id', 'mapped_process',
                    ['administration_id'])
    op.create_index('ix_mapped_process_area_id', 'mapped_process', ['area_id'])
    op.create_index('ix_mapped_process_unit_id', 'mapped_process', ['unit_id'])
    op.create_table(
        'process_phase',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('process_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['process_id'], ['mapped_process.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('process_id', 'position'),
    )
    op.create_index('ix_process_phase_process_id', 'process_phase', ['process_id'])
    op.create_table(
        'phase_activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('phase_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['phase_id'], ['process_phase.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('phase_id', 'position'),
    )
    op.create_index('ix_phase_activity_phase_id', 'phase_activity', ['phase_id'])


def downgrade():
    op.drop_index('ix_phase_activity_phase_id', table_name='phase_activity')
    op.drop_table('phase_activity')
    op.drop_index('ix_process_phase_process_id', table_name='process_phase')
    op.drop_table('process_phase')
    op.drop_index('ix_mapped_process_unit_id', table_name='mapped_process')
    op.drop_index('ix_mapped_process_area_id', table_name='mapped_process')
    op.drop_index('ix_mapped_process_administration_id', table_name='mapped_process')
    op.drop_table('mapped_process')
    op.drop_index('ix_risk_area_administration_id', table_name='risk_area')
    op.drop_table('risk_area')
