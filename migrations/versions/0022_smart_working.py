"""smart working: the policy, remotability of the sub-processes, agreements, monthly reports

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 05:00:00

Lavoro agile (PIAO.md): the process map's sub-processes scored on four conditions and the
people working on each; each person's agreement runs as a workflow; the policy holds the
limits per period and the remotability rule; each month of an agreement has its report.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'smart_working_policy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('administration_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('max_days', sa.Integer(), nullable=False),
        sa.Column('max_half_days', sa.Integer(), nullable=False),
        sa.Column('report_due_days', sa.Integer(), nullable=False),
        sa.Column('score_rule', sa.String(length=10), nullable=False),
        sa.Column('threshold', sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], ),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('administration_id'),
    )
    op.create_table(
        'smart_working_agreement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('pattern', sa.JSON(), nullable=False),
        sa.Column('place', sa.String(length=20), nullable=False),
        sa.Column('place_detail', sa.String(length=300), nullable=True),
        sa.Column('equipment', sa.String(length=20), nullable=False),
        sa.Column('exceeds_limits', sa.Boolean(), nullable=False),
        sa.Column('exception_reason', sa.Text(), nullable=True),
        sa.Column('renewal_of_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.Column('exception_by_id', sa.Integer(), nullable=True),
        sa.Column('exception_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('exception_note', sa.Text(), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawal_reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], ),
        sa.ForeignKeyConstraint(['renewal_of_id'], ['smart_working_agreement.id'], ),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['exception_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_smart_working_agreement_user_id', 'smart_working_agreement', ['user_id'])
    op.create_index('ix_smart_working_agreement_unit_id', 'smart_working_agreement', ['unit_id'])
    op.create_index('ix_smart_working_agreement_status', 'smart_working_agreement', ['status'])
    op.create_table(
        'smart_working_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('half_days', sa.Integer(), nullable=False),
        sa.Column('activities', sa.Text(), nullable=False),
        sa.Column('problems', sa.Text(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['smart_working_agreement.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agreement_id', 'month'),
    )
    op.create_index('ix_smart_working_report_agreement_id', 'smart_working_report',
                    ['agreement_id'])
    op.create_table(
        'smart_working_remotability',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('phase_id', sa.Integer(), nullable=False),
        sa.Column('contact', sa.Integer(), nullable=False),
        sa.Column('scheduling', sa.Integer(), nullable=False),
        sa.Column('collegiality', sa.Integer(), nullable=False),
        sa.Column('interdependence', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('scored_by_id', sa.Integer(), nullable=True),
        sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('contact BETWEEN 0 AND 5', name='remotability_contact_range'),
        sa.CheckConstraint('scheduling BETWEEN 0 AND 5', name='remotability_scheduling_range'),
        sa.CheckConstraint('collegiality BETWEEN 0 AND 5', name='remotability_collegiality_range'),
        sa.CheckConstraint('interdependence BETWEEN 0 AND 5',
                           name='remotability_interdependence_range'),
        sa.ForeignKeyConstraint(['phase_id'], ['process_phase.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['scored_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('phase_id'),
    )
    op.create_table(
        'smart_working_phase_person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('phase_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['phase_id'], ['process_phase.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('phase_id', 'user_id'),
    )
    op.create_index('ix_smart_working_phase_person_phase_id', 'smart_working_phase_person',
                    ['phase_id'])
    op.create_index('ix_smart_working_phase_person_user_id', 'smart_working_phase_person',
                    ['user_id'])


def downgrade():
    op.drop_table('smart_working_phase_person')
    op.drop_table('smart_working_remotability')
    op.drop_table('smart_working_report')
    op.drop_table('smart_working_agreement')
    op.drop_table('smart_working_policy')
