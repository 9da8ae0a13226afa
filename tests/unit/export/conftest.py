"""One Chromium for the whole session (the process renderer, shared with the app tests), a small dossier."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.export.chart_data import NativeChart, Series
from dashboard.export.dossier import Dossier, DossierFigure
from dashboard.export.images import default_renderer
from dashboard.export.provenance import Provenance
from dashboard.export.story import KeyNumber
from dashboard.figures import FigureText, finish


@pytest.fixture(scope="session")
def renderer():
    """The app's renderer; a test using it is skipped without Chromium (see ``tests/conftest.py``)."""
    return default_renderer()


@pytest.fixture(scope="session")
def provenance() -> Provenance:
    return Provenance(
        selection="CPAM de la Côte-d'Or — 2024 (comparaison : 2023)",
        query="?annee=2024&comparaison=2023&departements=21",
        data_version=7,
        url="http://127.0.0.1:8050/canaux?annee=2024&comparaison=2023&departements=21",
        exported=datetime(2026, 3, 1, 9, 5),
    )


def _figure(title: str) -> go.Figure:
    bars = go.Bar(x=["Appels reçus", "Appels traités"], y=[191580, 126212], showlegend=False)
    return finish(go.Figure(bars), FigureText(title, "CPAM de la Côte-d'Or — 2024", "Rapport 2024"))


CHART = NativeChart(
    "bar",
    ("Appels reçus", "Appels traités"),
    (Series("2023", (180000.0, None), "", 2023), Series("2024", (191580.0, 126212.0), "", 2024)),
    "#,##0",
    "nombre",
)


def _table(title: str) -> pd.DataFrame:
    """The figures behind a chart, as ``analysis.readable_table`` gives them."""
    row = {
        "departement": "21 — Côte-d'Or",
        "caisse_nom": "CPAM de la Côte-d'Or",
        "annee": 2024,
        "theme": "Canaux de contact",
        "indicateur": "appels_3646_recus",
        "libelle": title,
        "valeur": 191580.0,
        "unite": "nombre",
        "qualificatif": "exact",
        "periode": "Année",
        "nature": "niveau",
        "annee_reference": "",
        "derivation": "",
        "source": "Rapport 2024",
        "url": "https://exemple.fr/rapport-2024",
        "commentaire": "",
    }
    rate = {
        **row,
        "indicateur": "taux_decroche",
        "libelle": "Taux de décroché",
        "valeur": 77.36,
        "unite": "%",
    }
    return pd.DataFrame([row, rate])


@pytest.fixture(scope="session")
def dossier(provenance) -> Dossier:
    titles = ["Appels reçus au 3646", "Temps d'attente moyen au 3646"]
    figures = tuple(
        DossierFigure(
            key=f"contact-channels_chart-{i}",
            section="Canaux de contact",
            title=title,
            subtitle="CPAM de la Côte-d'Or — 2024",
            source="Source : Rapport 2024",
            summary=f"{title}, CPAM de la Côte-d'Or, 2024 : 191 580.",
            figure=_figure(title),
            key_numbers=(KeyNumber("191\u00a0580", "Appels reçus"), KeyNumber("+2,1\u00a0%", "Évolution")),
            note=f"En 2024, {title.lower()} : 191 580 pour CPAM de la Côte-d'Or.",
            url=f"http://127.0.0.1:8050/canaux?annee=2024&graphique={i}",
            # The first chart is native; the second has no native form and falls back to a picture.
            chart=CHART if i == 1 else None,
            table=_table(title),
        )
        for i, title in enumerate(titles, start=1)
    )
    return Dossier(
        "CPAM de la Côte-d'Or",
        "Année 2024 · comparaison avec 2023",
        provenance,
        figures,
        "comite_cpam-21_2024",
        caisse_ids=("cpam-21",),
        year=2024,
    )
