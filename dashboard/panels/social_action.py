"""Action sanitaire et sociale: a themed page (key figures, catalog-driven charts, every figure)."""

from __future__ import annotations

from dash import Dash
from dash.development.base_component import Component

from dashboard.cache import CachedRepository
from dashboard.charts import chart_specs
from dashboard.panels.page import PanelPage
from dashboard.panels.themed import indicators_of, register_themed_callbacks, themed_layout

PAGE = PanelPage(
    key="social-action",
    path="/action-sociale",
    title="Action sanitaire et sociale",
    order=4,
    catalog_panel="social_action",
)
INTRO = (
    "Les aides financières individuelles demandées et accordées, leurs montants, et les associations "
    "financées par la caisse."
)


def layout(repo: CachedRepository, path: str) -> Component:
    """Cards, charts and table of the page's themes, filled by the callback."""
    specs = chart_specs(indicators_of(repo, PAGE, None), repo.catalog)
    return themed_layout(PAGE, repo, specs, PAGE.title, INTRO)


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """The page's single callback."""
    register_themed_callbacks(app, repo, PAGE, lambda _path: None)
