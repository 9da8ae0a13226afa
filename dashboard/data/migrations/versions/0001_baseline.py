"""The store as it was before migrations: référentiel, figures, imports, undo, accounts, audit journal."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dashboard.data.migrations.frozen import figure_columns, figure_provenance, journal_columns

revision = "0001"
down_revision = None


def upgrade() -> None:
    """Create the tables of the first version."""
    op.create_table(
        "departements",
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("nom", sa.String(80), nullable=False),
        sa.Column("region", sa.String(80), nullable=False),
    )
    op.create_table(
        "caisses",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("nom", sa.String(120), nullable=False),
        sa.Column("departement", sa.String(3), sa.ForeignKey("departements.code"), nullable=False),
    )
    op.create_index("ix_caisses_departement", "caisses", ["departement"])
    op.create_table(
        "imports",
        *journal_columns(),
        sa.Column("lignes", sa.Integer, nullable=False),
        sa.Column("nouvelles", sa.Integer, nullable=False),
        sa.Column("modifiees", sa.Integer, nullable=False),
        sa.Column("inchangees", sa.Integer, nullable=False),
    )
    op.create_index("ix_imports_sha256", "imports", ["sha256"])
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *figure_columns(caisse_key=True),
        *figure_provenance(),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.UniqueConstraint(
            "caisse", "annee", "indicateur", "periode", "nature", "annee_reference", name="uq_figure"
        ),
    )
    op.create_index("ix_observations_import_id", "observations", ["import_id"])
    op.create_index("ix_observations_indicateur_annee", "observations", ["indicateur", "annee"])
    op.create_index("ix_observations_annee", "observations", ["annee"])
    op.create_table(
        "store_meta",
        sa.Column("cle", sa.String(40), primary_key=True),
        sa.Column("valeur", sa.Integer, nullable=False),
    )
    op.create_table(
        "replaced_values",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        *figure_columns(),
        *figure_provenance(),
        sa.Column("ancien_import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    )
    op.create_index("ix_replaced_values_import_id", "replaced_values", ["import_id"])
    op.create_index("ix_replaced_values_ancien_import_id", "replaced_values", ["ancien_import_id"])
    op.create_table(
        "undone_imports",
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), primary_key=True),
        sa.Column("annule_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("annule_par", sa.String(120), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("nom", sa.String(120), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("mot_de_passe", sa.String(255)),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("horodatage", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilisateur", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("import_id", sa.Integer),
    )
    op.create_index("ix_audit_log_horodatage", "audit_log", ["horodatage"])


def downgrade() -> None:
    """Drop every table (the store is then empty)."""
    for table in (
        "audit_log",
        "users",
        "undone_imports",
        "replaced_values",
        "store_meta",
        "observations",
        "imports",
        "caisses",
        "departements",
    ):
        op.drop_table(table)
