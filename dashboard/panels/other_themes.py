"""Autres thèmes: one page per catalog theme that has no page of its own (délais, partenariats…)."""

from __future__ import annotations

from dash import Dash
from dash.development.base_component import Component

from dashboard.cache import CachedRepository
from dashboard.charts import chart_specs
from dashboard.panels.accessibility import not_found
from dashboard.panels.page import PanelPage
from dashboard.panels.themed import indicators_of, register_themed_callbacks, themed_layout

PAGE = PanelPage(
    key="other", path="/autres", title="Autres thèmes", order=7, catalog_panel="other", nav=False
)
PREFIX = "/autres/"


def theme_of_path(path: object) -> str | None:
    """The theme code of an address such as /autres/delais (None when absent)."""
    return (
        path.removeprefix(PREFIX).strip("/") or None
        if isinstance(path, str) and path.startswith(PREFIX)
        else None
    )


def layout(repo: CachedRepository, path: str) -> Component:
    """The page of the theme named in the address; an unknown theme reads « page introuvable »."""
    code = theme_of_path(path)
    themes = {t.code: t for t in repo.catalog.themes if t.panneau == PAGE.catalog_panel}
    if code is None:
        code = min(themes.values(), key=lambda t: t.ordre).code
    if code not in themes:
        return not_found(path)
    indicators = indicators_of(repo, PAGE, code)
    specs = chart_specs(indicators, repo.catalog)
    intro = (
        "Un thème publié par certaines caisses seulement. Les chiffres non publiés pour la sélection sont "
        "indiqués « non publié »."
    )
    key_figures = any(ind.essentiel for ind in indicators)
    return themed_layout(PAGE, repo, specs, themes[code].libelle, intro, key_figures=key_figures)


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """The page's single callback; the theme comes from the address."""

    def theme(path: object) -> str:
        code = theme_of_path(path)
        themes = [t for t in repo.catalog.themes if t.panneau == PAGE.catalog_panel]
        return code if code in {t.code for t in themes} else min(themes, key=lambda t: t.ordre).code

    register_themed_callbacks(app, repo, PAGE, theme)
