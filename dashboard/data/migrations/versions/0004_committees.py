"""Committees: a dossier saved with its selection and a copy of its figures, to say what changed since."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dashboard.data.migrations.frozen import figure_columns

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    """Add the committee tables."""
    op.create_table(
        "committees",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cle", sa.String(500), nullable=False),
        sa.Column("tenu_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("auteur", sa.String(120), nullable=False),
        sa.Column("caisses", sa.String(400), nullable=False),
        sa.Column("annee", sa.Integer, nullable=False),
        sa.Column("comparaison", sa.Integer),
        sa.Column("graphiques", sa.Text, nullable=False),
        sa.Column("version_donnees", sa.Integer, nullable=False),
    )
    op.create_index("ix_committees_cle", "committees", ["cle"])
    op.create_table(
        "committee_figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("committee_id", sa.Integer, sa.ForeignKey("committees.id"), nullable=False),
        *figure_columns(),
        sa.Column("import_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_committee_figures_committee_id", "committee_figures", ["committee_id"])


def downgrade() -> None:
    """Drop the committee tables."""
    op.drop_index("ix_committee_figures_committee_id", table_name="committee_figures")
    op.drop_table("committee_figures")
    op.drop_index("ix_committees_cle", table_name="committees")
    op.drop_table("committees")
