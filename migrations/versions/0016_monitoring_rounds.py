"""monitoring rounds: several per cycle, each with its indicators' entries and the
individual objectives checked; the existing monitoring data become round 1

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:40:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _create_tables():
    op.create_table(
        'monitoring_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('opens_on', sa.Date(), nullable=True),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('consolidation_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cycle_id', 'number'),
    )
    with op.batch_alter_table('monitoring_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_round_cycle_id'), ['cycle_id'], unique=False)
    op.create_table(
        'monitoring_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.String(length=40), nullable=True),
        sa.Column('forecast', sa.String(length=40), nullable=True),
        sa.Column('at_risk', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['round_id'], ['monitoring_round.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'indicator_id'),
    )
    with op.batch_alter_table('monitoring_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_entry_indicator_id'), ['indicator_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_entry_round_id'), ['round_id'], unique=False)
    op.create_table(
        'individual_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('checker_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['checker_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['round_id'], ['monitoring_round.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'user_id'),
    )
    with op.batch_alter_table('individual_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_individual_check_checker_id'), ['checker_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_individual_check_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_individual_check_user_id'), ['user_id'], unique=False)


def _existing_data_as_round_one():
    """Every cycle gets its calendar round (the intermediate round of its calendar); where
    indicators already hold monitoring values or monitoring is under way, that round is
    round 1 and keeps the values, closed if the OIV has reported on it."""
    bind = op.get_bind()
    cycles = bind.execute(sa.text(
        "SELECT id, monitoring_start, monitoring_due FROM cycle")).fetchall()
    for cycle_id, opens_on, due in cycles:
        monitored = bind.execute(sa.text(
            "SELECT i.id, i.monitoring_value, i.monitoring_forecast, i.at_risk, i.monitoring_note "
            "FROM indicator i JOIN objective o ON o.id = i.objective_id "
            "JOIN plan p ON p.id = o.plan_id WHERE p.cycle_id = :cycle AND "
            "(i.monitoring_value IS NOT NULL OR i.monitoring_forecast IS NOT NULL "
            "OR i.monitoring_note IS NOT NULL OR i.at_risk = :yes)"),
            {"cycle": cycle_id, "yes": True}).fetchall()
        running = bind.execute(sa.text(
            "SELECT COUNT(*) FROM process_instance WHERE process_id = 'monitoring' "
            "AND cycle_id = :cycle AND status = 'running'"), {"cycle": cycle_id}).scalar()
        reported = bind.execute(sa.text(
            "SELECT COUNT(*) FROM oiv_monitoring_report WHERE cycle_id = :cycle AND round = 1"),
            {"cycle": cycle_id}).scalar()
        opened = bool(monitored or running)
        status = "planned" if not opened else ("closed" if reported else "open")
        bind.execute(sa.text(
            "INSERT INTO monitoring_round (cycle_id, number, label, kind, status, opens_on, due) "
            "VALUES (:cycle, :number, 'Monitoraggio intermedio', 'calendar', :status, :opens, :due)"),
            {"cycle": cycle_id, "number": 1 if opened else None, "status": status,
             "opens": opens_on, "due": due})
        if not monitored:
            continue
        round_id = bind.execute(sa.text(
            "SELECT id FROM monitoring_round WHERE cycle_id = :cycle AND number = 1"),
            {"cycle": cycle_id}).scalar()
        for indicator_id, value, forecast, at_risk, note in monitored:
            bind.execute(sa.text(
                "INSERT INTO monitoring_entry (round_id, indicator_id, value, forecast, at_risk, "
                "note, recorded_at) VALUES (:round, :indicator, :value, :forecast, :risk, :note, "
                "CURRENT_TIMESTAMP)"),
                {"round": round_id, "indicator": indicator_id, "value": value,
                 "forecast": forecast, "risk": bool(at_risk), "note": note})


def upgrade():
    _create_tables()
    _existing_data_as_round_one()


def downgrade():
    with op.batch_alter_table('individual_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_individual_check_user_id'))
        batch_op.drop_index(batch_op.f('ix_individual_check_round_id'))
        batch_op.drop_index(batch_op.f('ix_individual_check_checker_id'))
    op.drop_table('individual_check')
    with op.batch_alter_table('monitoring_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_entry_round_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_entry_indicator_id'))
    op.drop_table('monitoring_entry')
    with op.batch_alter_table('monitoring_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_round_cycle_id'))
    op.drop_table('monitoring_round')
