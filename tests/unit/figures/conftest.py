"""Small catalog records and tidy frames for the figure builders, made in the tests themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.data.catalog import Indicator
from dashboard.figures import FigureText


@pytest.fixture
def indicator() -> Callable[..., Indicator]:
    """Build a catalog record with sensible defaults."""

    def build(
        code: str,
        libelle: str,
        unite: str = "nombre",
        graphique: str = "volume",
        *,
        parent: str | None = None,
        sens: str = "neutre",
    ) -> Indicator:
        return Indicator(
            code=code,
            libelle=libelle,
            definition=f"Définition de {libelle}.",
            theme="canaux_contact",
            unite=unite,  # type: ignore[arg-type]
            sommable=unite == "nombre",
            sens=sens,  # type: ignore[arg-type]
            parent=parent,
            graphique=graphique,  # type: ignore[arg-type]
            essentiel=True,
        )

    return build


@pytest.fixture
def observations() -> Callable[..., pd.DataFrame]:
    """Build a tidy observation frame from (caisse pair, indicator code, value) rows, with overrides."""

    def build(*rows: tuple[Any, ...], **defaults: Any) -> pd.DataFrame:
        records = []
        for row in rows:
            (code, name), indicateur, valeur, *extra = row
            record = {
                "caisse": code,
                "caisse_nom": name,
                "annee": 2024,
                "indicateur": indicateur,
                "valeur": float(valeur),
                "unite": "nombre",
                "qualificatif": "exact",
                "nature": "niveau",
                "periode": "annee",
                "source": "Rapport d'activité 2024",
                **defaults,
            }
            if extra:
                record.update(extra[0])
            records.append(record)
        return pd.DataFrame(records)

    return build


@pytest.fixture
def text() -> FigureText:
    return FigureText(
        "Demandes des assurés", "Nombre de demandes, 2024", "rapport d'activité 2024 de la CPAM"
    )


@pytest.fixture
def named_annotations() -> Callable[[go.Figure], dict[str, str]]:
    """The figure's named annotations (source, notes, unpublished, centre) by name."""

    def read(fig: go.Figure) -> dict[str, str]:
        return {a.name: a.text for a in fig.layout.annotations if a.name}

    return read
