"""Téléservices: a themed page (key figures, catalog-driven charts, every figure)."""

from __future__ import annotations

from dash import Dash
from dash.development.base_component import Component

from dashboard.cache import CachedRepository
from dashboard.charts import chart_specs
from dashboard.panels.page import PanelPage
from dashboard.panels.themed import indicators_of, register_themed_callbacks, themed_layout

PAGE = PanelPage(
    key="teleservices", path="/teleservices", title="Téléservices", order=2, catalog_panel="teleservices"
)
INTRO = (
    "L'usage des téléservices du compte ameli (carte Vitale, déclaration de naissance, Complémentaire"
    " santé solidaire…) et le nombre d'adhérents ou la part d'assurés ayant un compte."
)


def layout(repo: CachedRepository, path: str) -> Component:
    """Cards, charts and table of the page's themes, filled by the callback."""
    specs = chart_specs(indicators_of(repo, PAGE, None), repo.catalog)
    return themed_layout(PAGE, repo, specs, PAGE.title, INTRO)


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """The page's single callback."""
    register_themed_callbacks(app, repo, PAGE, lambda _path: None)
