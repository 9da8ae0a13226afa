"""Column lists that several revisions create, written once.

Frozen like the revisions that use them: a released revision's tables never change, so nothing here may
change either. A later revision that needs other columns writes them itself.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def journal_columns() -> list[sa.Column[Any]]:
    """Which file was imported, when and by whom (the journals of figure and catalog imports)."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fichier", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("importe_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("auteur", sa.String(120), nullable=False),
    ]


def figure_columns(*, caisse_key: bool = False) -> list[sa.Column[Any]]:
    """A figure's key, value and qualifier; ``caisse_key`` ties the caisse to the référentiel."""
    referentiel = [sa.ForeignKey("caisses.id")] if caisse_key else []
    return [
        sa.Column("caisse", sa.String(40), *referentiel, nullable=False),
        sa.Column("annee", sa.Integer, nullable=False),
        sa.Column("indicateur", sa.String(80), nullable=False),
        sa.Column("periode", sa.String(12), nullable=False),
        sa.Column("nature", sa.String(16), nullable=False),
        sa.Column("annee_reference", sa.Integer, nullable=False),
        sa.Column("valeur", sa.Float, nullable=False),
        sa.Column("qualificatif", sa.String(10), nullable=False),
    ]


def figure_provenance() -> list[sa.Column[Any]]:
    """Whether a figure was calculated and how, where it comes from, and a comment."""
    return [
        sa.Column("derive", sa.Boolean, nullable=False),
        sa.Column("derivation", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("commentaire", sa.Text),
    ]
