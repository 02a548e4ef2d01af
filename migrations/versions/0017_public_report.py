"""the Report's public version, rendered at drafting and validated with it

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:40:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('public_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('validated_public_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('validated_public_sha256', sa.String(length=64),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.drop_column('validated_public_sha256')
        batch_op.drop_column('validated_public_pdf')
        batch_op.drop_column('public_sha256')
        batch_op.drop_column('public_pdf')
