"""people plans: the staffing plan, the training plan, the positive actions plan

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 05:00:00

The three people sections of the integrated plan, each a three-year plan of a cycle
adopted by a Board deliberation: the staffing plan's categories, budget and hires; the
training plan's entries, attendance and per-person due dates; the positive actions
plan's objectives, actions, the equality committee's opinions and the actions' states
in the monitoring rounds.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('equality_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_equality_plan_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['deliberation_id'], ['board_deliberation.id'], name=op.f('fk_equality_plan_deliberation_id_board_deliberation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equality_plan')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_equality_plan_cycle_id'))
    )
    op.create_table('staffing_plan',
    sa.Column('leavers_count', sa.Integer(), nullable=False),
    sa.Column('leavers_usable', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('leavers_reserved', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('carried_usable', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('carried_reserved', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_staffing_plan_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['deliberation_id'], ['board_deliberation.id'], name=op.f('fk_staffing_plan_deliberation_id_board_deliberation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staffing_plan')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_staffing_plan_cycle_id'))
    )
    op.create_table('training_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_training_plan_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['deliberation_id'], ['board_deliberation.id'], name=op.f('fk_training_plan_deliberation_id_board_deliberation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_plan')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_training_plan_cycle_id'))
    )
    op.create_table('cug_opinion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attachment_name', sa.String(length=200), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('attachment_sha256', sa.String(length=64), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['equality_plan.id'], name=op.f('fk_cug_opinion_plan_id_equality_plan')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_cug_opinion_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cug_opinion'))
    )
    with op.batch_alter_table('cug_opinion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cug_opinion_plan_id'), ['plan_id'], unique=False)

    op.create_table('equality_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['equality_plan.id'], name=op.f('fk_equality_objective_plan_id_equality_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equality_objective')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_equality_objective_plan_id'))
    )
    with op.batch_alter_table('equality_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equality_objective_plan_id'), ['plan_id'], unique=False)

    op.create_table('staffing_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('monthly_base', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('charges_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('irap_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('ceiling_headcount', sa.Integer(), nullable=False),
    sa.Column('ceiling_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('in_service_headcount', sa.Integer(), nullable=False),
    sa.Column('in_service_cost', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['staffing_plan.id'], name=op.f('fk_staffing_category_plan_id_staffing_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staffing_category')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_staffing_category_plan_id'))
    )
    with op.batch_alter_table('staffing_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffing_category_plan_id'), ['plan_id'], unique=False)

    op.create_table('training_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=300), nullable=False),
    sa.Column('beneficiaries', sa.String(length=300), nullable=False),
    sa.Column('timing', sa.String(length=200), nullable=False),
    sa.Column('teaching', sa.String(length=10), nullable=False),
    sa.Column('contents', sa.Text(), nullable=True),
    sa.Column('topic', sa.String(length=40), nullable=True),
    sa.Column('every_years', sa.Integer(), nullable=True),
    sa.Column('within_days', sa.Integer(), nullable=True),
    sa.Column('categories', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plan.id'], name=op.f('fk_training_entry_plan_id_training_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_entry'))
    )
    with op.batch_alter_table('training_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_entry_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_entry_topic'), ['topic'], unique=False)

    op.create_table('positive_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('actors', sa.Text(), nullable=False),
    sa.Column('beneficiaries', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['objective_id'], ['equality_objective.id'], name=op.f('fk_positive_action_objective_id_equality_objective')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_positive_action_owner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positive_action')),
    sa.UniqueConstraint('objective_id', 'number', name=op.f('uq_positive_action_objective_id'))
    )
    with op.batch_alter_table('positive_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positive_action_objective_id'), ['objective_id'], unique=False)

    op.create_table('staffing_hire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('time_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('pool', sa.String(length=10), nullable=False),
    sa.Column('profile', sa.String(length=200), nullable=False),
    sa.Column('channels', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['staffing_category.id'], name=op.f('fk_staffing_hire_category_id_staffing_category')),
    sa.ForeignKeyConstraint(['plan_id'], ['staffing_plan.id'], name=op.f('fk_staffing_hire_plan_id_staffing_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staffing_hire'))
    )
    with op.batch_alter_table('staffing_hire', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffing_hire_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staffing_hire_plan_id'), ['plan_id'], unique=False)

    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attended_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['training_entry.id'], name=op.f('fk_training_attendance_entry_id_training_entry')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_training_attendance_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_training_attendance_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('entry_id', 'user_id', 'attended_on', name=op.f('uq_training_attendance_entry_id'))
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('training_due',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['training_entry.id'], name=op.f('fk_training_due_entry_id_training_entry')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_training_due_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_training_due_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_due')),
    sa.UniqueConstraint('entry_id', 'user_id', 'due_on', name=op.f('uq_training_due_entry_id'))
    )
    with op.batch_alter_table('training_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_due_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_due_user_id'), ['user_id'], unique=False)

    op.create_table('positive_action_monitoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['positive_action.id'], name=op.f('fk_positive_action_monitoring_action_id_positive_action')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_positive_action_monitoring_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['monitoring_round.id'], name=op.f('fk_positive_action_monitoring_round_id_monitoring_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positive_action_monitoring')),
    sa.UniqueConstraint('round_id', 'action_id', name=op.f('uq_positive_action_monitoring_round_id'))
    )
    with op.batch_alter_table('positive_action_monitoring', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positive_action_monitoring_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positive_action_monitoring_round_id'), ['round_id'], unique=False)



def downgrade():
    with op.batch_alter_table('positive_action_monitoring', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positive_action_monitoring_round_id'))
        batch_op.drop_index(batch_op.f('ix_positive_action_monitoring_action_id'))

    op.drop_table('positive_action_monitoring')
    with op.batch_alter_table('training_due', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_due_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_due_entry_id'))

    op.drop_table('training_due')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_entry_id'))

    op.drop_table('training_attendance')
    with op.batch_alter_table('staffing_hire', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffing_hire_plan_id'))
        batch_op.drop_index(batch_op.f('ix_staffing_hire_category_id'))

    op.drop_table('staffing_hire')
    with op.batch_alter_table('positive_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positive_action_objective_id'))

    op.drop_table('positive_action')
    with op.batch_alter_table('training_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_entry_topic'))
        batch_op.drop_index(batch_op.f('ix_training_entry_plan_id'))

    op.drop_table('training_entry')
    with op.batch_alter_table('staffing_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffing_category_plan_id'))

    op.drop_table('staffing_category')
    with op.batch_alter_table('equality_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equality_objective_plan_id'))

    op.drop_table('equality_objective')
    with op.batch_alter_table('cug_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cug_opinion_plan_id'))

    op.drop_table('cug_opinion')
    op.drop_table('training_plan')
    op.drop_table('staffing_plan')
    op.drop_table('equality_plan')
