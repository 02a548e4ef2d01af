"""the hash algorithm of each audit event

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:30:00

Rows already written keep plain SHA-256 (the server default marks them); the
application writes new rows with HMAC-SHA256 under AUDIT_KEY.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('algorithm', sa.String(length=20), nullable=False,
                                      server_default='sha256'))


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('algorithm')
