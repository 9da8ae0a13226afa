"""Signed-in sessions kept in the store, so that signing out or a new password ends every copy of a cookie."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    """Add the sessions table (existing cookies name no session: their holders sign in again)."""
    op.create_table(
        "user_sessions",
        sa.Column("jeton", sa.String(64), primary_key=True),
        sa.Column("nom", sa.String(120), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_user_sessions_nom", "user_sessions", ["nom"])
    op.create_index("ix_user_sessions_expire_le", "user_sessions", ["expire_le"])


def downgrade() -> None:
    """Drop the sessions table."""
    op.drop_index("ix_user_sessions_expire_le", table_name="user_sessions")
    op.drop_index("ix_user_sessions_nom", table_name="user_sessions")
    op.drop_table("user_sessions")
