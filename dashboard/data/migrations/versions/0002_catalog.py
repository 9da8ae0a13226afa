"""The indicator catalog moves into the store: the catalog itself and the journal of its changes.

The catalog table starts empty: the application seeds it from the package's catalog file on its next start
(the same way a fresh store is seeded), so an upgraded store and a new one hold the same catalog.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dashboard.data.migrations.frozen import journal_columns

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    """Add the catalog tables."""
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("libelle", sa.String(90), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("theme", sa.String(40), nullable=False),
        sa.Column("unite", sa.String(10), nullable=False),
        sa.Column("sommable", sa.Boolean, nullable=False),
        sa.Column("sens", sa.String(10), nullable=False),
        sa.Column("parent", sa.String(80)),
        sa.Column("graphique", sa.String(10), nullable=False),
        sa.Column("essentiel", sa.Boolean, nullable=False),
        sa.Column("synonymes", sa.Text, nullable=False),
        sa.Column("definition_source", sa.Text, nullable=False),
        sa.Column("retire", sa.Boolean, nullable=False),
    )
    op.create_table(
        "catalog_imports",
        *journal_columns(),
        sa.Column("nouveaux", sa.Integer, nullable=False),
        sa.Column("modifies", sa.Integer, nullable=False),
        sa.Column("inchanges", sa.Integer, nullable=False),
        sa.Column("supprimes", sa.Integer, nullable=False),
        sa.Column("precedent", sa.Text, nullable=False),
        sa.Column("annule_le", sa.DateTime(timezone=True)),
        sa.Column("annule_par", sa.String(120)),
    )


def downgrade() -> None:
    """Drop the catalog tables (the catalog falls back to the package's file)."""
    op.drop_table("catalog_imports")
    op.drop_table("indicators")
