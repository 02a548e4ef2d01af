"""the foreign key from a unit to its head on PostgreSQL

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 10:30:00

0001 declared org_unit.head_id -> user.id with use_alter (the two tables refer to each
other), and create_table leaves such a constraint out on PostgreSQL; SQLite has it inline.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _has_constraint() -> bool:
    inspector = sa.inspect(op.get_bind())
    return any(fk.get('name') == 'fk_org_unit_head_id_user'
               for fk in inspector.get_foreign_keys('org_unit'))


def upgrade():
    if op.get_bind().dialect.name != 'sqlite' and not _has_constraint():
        op.create_foreign_key('fk_org_unit_head_id_user', 'org_unit', 'user',
                              ['head_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != 'sqlite' and _has_constraint():
        op.drop_constraint('fk_org_unit_head_id_user', 'org_unit', type_='foreignkey')
