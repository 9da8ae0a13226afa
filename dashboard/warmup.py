"""Warm a worker before it serves: the first concurrent requests after start-up must not race."""

from __future__ import annotations

import json

import plotly.io as pio
from dash import Dash

from dashboard.cache import CachedRepository
from dashboard.figures.frame import FigureText, build_unpublished
from dashboard.filters import default_filters


def warm_up(app: Dash, repo: CachedRepository) -> None:
    """Resolve the layout, read the default view and serialise one figure before the first request.

    Plotly's own lazy imports and validators, and the caches, are then ready when concurrent requests arrive.
    """
    pio.defaults.mathjax = None  # the export page must fetch nothing from the internet
    layout = app.layout() if callable(app.layout) else app.layout
    json.dumps(layout.to_plotly_json(), default=str)
    filters = default_filters(repo.choices())
    repo.observations(caisses=filters.caisses, years=filters.years)
    build_unpublished(FigureText("Préchauffage", "", "")).to_json()
