"""the personal-data access log: who opened whose evaluation, objectives or bonus

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'personal_data_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('viewer_id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=20), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=True),
        sa.Column('page', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
        sa.ForeignKeyConstraint(['subject_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['viewer_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_access_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_access_subject_id'), ['subject_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_access_viewer_id'), ['viewer_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_access_viewer_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_access_subject_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_access_at'))
    op.drop_table('personal_data_access')
