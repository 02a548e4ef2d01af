"""the end of the audit chain read under its lock in one statement (PostgreSQL)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 06:00:00

Every transaction that writes audit events takes the chain's advisory lock at commit and
then reads the last hash. audit_chain_tail(key) does both in one round trip: a VOLATILE
function gives each of its queries a fresh snapshot, so the hash is read after the lock
is held and sees the events of the writer that held it before. SQLite, with one writer at
a time, needs no lock and reads the hash as before.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("""
        CREATE FUNCTION audit_chain_tail(lock_key bigint) RETURNS text
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(lock_key);
            RETURN (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1);
        END
        $$
    """)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP FUNCTION audit_chain_tail(bigint)")
