"""the holders of a role found by the role

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 18:10:00

Every completion reads the Secretaries General (the top of the evaluation chain), and a
pooled task reads its role's holders. user_role was indexed by person only, so each of
those reads scanned every person's roles: at 25,000 people, some 50,000 rows each time.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_role_role', 'user_role', ['role', 'user_id'])


def downgrade():
    op.drop_index('ix_user_role_role', table_name='user_role')
