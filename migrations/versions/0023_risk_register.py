"""the yearly corruption-risk register (configuration, risk items, measures, the
managers' reports, the RPCT's checks and yearly report), the PIAO tags of objectives, and
the transparency grid with the OIV's attestations

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 04:56:14
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transparency_attestation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('administration_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], name=op.f('fk_transparency_attestation_administration_id_administration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transparency_attestation')),
    sa.UniqueConstraint('administration_id', 'year', name=op.f('uq_transparency_attestation_administration_id'))
    )
    with op.batch_alter_table('transparency_attestation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_attestation_administration_id'), ['administration_id'], unique=False)

    op.create_table('risk_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('probability_max', sa.Integer(), nullable=False),
    sa.Column('impact_max', sa.Integer(), nullable=False),
    sa.Column('bands', sa.JSON(), nullable=False),
    sa.Column('mid_year_due', sa.Date(), nullable=False),
    sa.Column('year_end_due', sa.Date(), nullable=False),
    sa.Column('deliberation_number', sa.String(length=40), nullable=True),
    sa.Column('deliberation_date', sa.Date(), nullable=True),
    sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_risk_year_cycle_id_cycle')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_year')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_risk_year_cycle_id'))
    )
    op.create_table('transparency_obligation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('administration_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('legal_reference', sa.String(length=200), nullable=False),
    sa.Column('preparer_unit_id', sa.Integer(), nullable=True),
    sa.Column('publisher_unit_id', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('last_published', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], name=op.f('fk_transparency_obligation_administration_id_administration')),
    sa.ForeignKeyConstraint(['preparer_unit_id'], ['org_unit.id'], name=op.f('fk_transparency_obligation_preparer_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['publisher_unit_id'], ['org_unit.id'], name=op.f('fk_transparency_obligation_publisher_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transparency_obligation')),
    sa.UniqueConstraint('administration_id', 'code', name=op.f('uq_transparency_obligation_administration_id'))
    )
    with op.batch_alter_table('transparency_obligation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_obligation_administration_id'), ['administration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transparency_obligation_preparer_unit_id'), ['preparer_unit_id'], unique=False)

    op.create_table('attestation_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attestation_id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=False),
    sa.Column('published', sa.Integer(), nullable=True),
    sa.Column('complete', sa.Integer(), nullable=True),
    sa.Column('up_to_date', sa.Integer(), nullable=True),
    sa.Column('open_format', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['attestation_id'], ['transparency_attestation.id'], name=op.f('fk_attestation_entry_attestation_id_transparency_attestation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['obligation_id'], ['transparency_obligation.id'], name=op.f('fk_attestation_entry_obligation_id_transparency_obligation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestation_entry')),
    sa.UniqueConstraint('attestation_id', 'obligation_id', name=op.f('uq_attestation_entry_attestation_id'))
    )
    with op.batch_alter_table('attestation_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attestation_entry_attestation_id'), ['attestation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attestation_entry_obligation_id'), ['obligation_id'], unique=False)

    op.create_table('periodic_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('process_name', sa.String(length=300), nullable=False),
    sa.Column('measure_code', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('periodicity', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['year_id'], ['risk_year.id'], name=op.f('fk_periodic_check_year_id_risk_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_check'))
    )
    with op.batch_alter_table('periodic_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_periodic_check_year_id'), ['year_id'], unique=False)

    op.create_table('rpct_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['year_id'], ['risk_year.id'], name=op.f('fk_rpct_report_year_id_risk_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rpct_report')),
    sa.UniqueConstraint('year_id', name=op.f('uq_rpct_report_year_id'))
    )
    op.create_table('check_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('cases_checked', sa.Integer(), nullable=False),
    sa.Column('irregular_cases', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['periodic_check.id'], name=op.f('fk_check_outcome_check_id_periodic_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_check_outcome_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_outcome')),
    sa.UniqueConstraint('check_id', 'due', name=op.f('uq_check_outcome_check_id'))
    )
    with op.batch_alter_table('check_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_outcome_check_id'), ['check_id'], unique=False)

    op.create_table('risk_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('event', sa.Text(), nullable=False),
    sa.Column('factors', sa.Text(), nullable=True),
    sa.Column('analysis', sa.Text(), nullable=True),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('impact', sa.Integer(), nullable=False),
    sa.Column('level', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('judgement', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['phase_id'], ['process_phase.id'], name=op.f('fk_risk_item_phase_id_process_phase')),
    sa.ForeignKeyConstraint(['process_id'], ['mapped_process.id'], name=op.f('fk_risk_item_process_id_mapped_process')),
    sa.ForeignKeyConstraint(['year_id'], ['risk_year.id'], name=op.f('fk_risk_item_year_id_risk_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_item')),
    sa.UniqueConstraint('year_id', 'code', name=op.f('uq_risk_item_year_id'))
    )
    with op.batch_alter_table('risk_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_item_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_item_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_item_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_item_year_id'), ['year_id'], unique=False)

    op.create_table('objective_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_tag_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_tag')),
    sa.UniqueConstraint('objective_id', 'tag', name=op.f('uq_objective_tag_objective_id'))
    )
    with op.batch_alter_table('objective_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_tag_objective_id'), ['objective_id'], unique=False)

    op.create_table('risk_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('indicator', sa.String(length=300), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_risk_measure_objective_id_objective'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['org_unit.id'], name=op.f('fk_risk_measure_owner_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['year_id'], ['risk_year.id'], name=op.f('fk_risk_measure_year_id_risk_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_measure')),
    sa.UniqueConstraint('year_id', 'code', name=op.f('uq_risk_measure_year_id'))
    )
    with op.batch_alter_table('risk_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_measure_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_measure_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_measure_year_id'), ['year_id'], unique=False)

    op.create_table('measure_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('application', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('proposal', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['risk_measure.id'], name=op.f('fk_measure_report_measure_id_risk_measure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_measure_report_reported_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_measure_report_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_report')),
    sa.UniqueConstraint('measure_id', 'round', 'unit_id', name=op.f('uq_measure_report_measure_id'))
    )
    with op.batch_alter_table('measure_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_report_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_report_unit_id'), ['unit_id'], unique=False)

    op.create_table('risk_item_measure',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['risk_item.id'], name=op.f('fk_risk_item_measure_item_id_risk_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['risk_measure.id'], name=op.f('fk_risk_item_measure_measure_id_risk_measure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'measure_id', name=op.f('pk_risk_item_measure'))
    )


def downgrade():
    op.drop_table('risk_item_measure')
    with op.batch_alter_table('measure_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_report_unit_id'))
        batch_op.drop_index(batch_op.f('ix_measure_report_measure_id'))

    op.drop_table('measure_report')
    with op.batch_alter_table('risk_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_measure_year_id'))
        batch_op.drop_index(batch_op.f('ix_risk_measure_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_risk_measure_objective_id'))

    op.drop_table('risk_measure')
    with op.batch_alter_table('objective_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_tag_objective_id'))

    op.drop_table('objective_tag')
    with op.batch_alter_table('risk_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_item_year_id'))
        batch_op.drop_index(batch_op.f('ix_risk_item_process_id'))
        batch_op.drop_index(batch_op.f('ix_risk_item_phase_id'))
        batch_op.drop_index(batch_op.f('ix_risk_item_level'))

    op.drop_table('risk_item')
    with op.batch_alter_table('check_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_outcome_check_id'))

    op.drop_table('check_outcome')
    op.drop_table('rpct_report')
    with op.batch_alter_table('periodic_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_periodic_check_year_id'))

    op.drop_table('periodic_check')
    with op.batch_alter_table('attestation_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attestation_entry_obligation_id'))
        batch_op.drop_index(batch_op.f('ix_attestation_entry_attestation_id'))

    op.drop_table('attestation_entry')
    with op.batch_alter_table('transparency_obligation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_obligation_preparer_unit_id'))
        batch_op.drop_index(batch_op.f('ix_transparency_obligation_administration_id'))

    op.drop_table('transparency_obligation')
    op.drop_table('risk_year')
    with op.batch_alter_table('transparency_attestation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_attestation_administration_id'))

    op.drop_table('transparency_attestation')
