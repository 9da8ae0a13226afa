"""Indicateurs: the catalog as a page, one entry per indicator, searchable without regard to accents.

Each entry says what the indicator measures, where its definition comes from (national or local), its unit,
theme, whether it adds up across caisses, and which caisses published it for which years. Every indicator
has its own address (``indicator_href``), which card and chart titles link to.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.components.links import CATALOG_PATH, indicator_href
from dashboard.data.catalog import Catalog, Indicator
from dashboard.formatting import format_number
from dashboard.panels.common import caisse_names
from dashboard.panels.page import PanelPage

# Not in the main menu (it holds one row at 1366 px): reached from the import page and from
# the card and chart titles that link to an entry (indicator_href).
PAGE = PanelPage(key="indicators", path=CATALOG_PATH, title="Indicateurs", order=12, nav=False)
MAX_QUERY = 100
_UNITS = {
    "nombre": "nombre",
    "%": "pourcentage (%)",
    "€": "euros (€)",
    "jours": "jours",
    "heures": "heures",
    "minutes": "minutes",
}
_DIRECTIONS = {
    "hausse": "une hausse est souhaitable",
    "baisse": "une baisse est souhaitable",
    "neutre": "neutre",
}


def serves(catalog: Catalog, path: str) -> bool:
    """Whether an address is the catalog page's: the list, or the entry of a known indicator."""
    if path == PAGE.path:
        return True
    code = path.removeprefix(PAGE.path + "/")
    return code != path and code in catalog


def _published(code: str, published: dict[str, dict[str, list[int]]], names: dict[str, str]) -> Component:
    by_caisse = published.get(code, {})
    if not by_caisse:
        return html.P(
            "Publié par : aucune caisse pour l'instant (non publié).", className="indicator-published"
        )
    items = [
        html.Li(f"{names.get(caisse, caisse)} : {', '.join(str(y) for y in years)}")
        for caisse, years in sorted(by_caisse.items(), key=lambda item: names.get(item[0], item[0]))
    ]
    return html.Div(
        [html.P(f"Publié par {format_number(len(items))} caisse(s), pour les années :"), html.Ul(items)],
        className="indicator-published",
    )


def _entry(
    ind: Indicator, catalog: Catalog, published: dict[str, dict[str, list[int]]], names: dict[str, str]
) -> Component:
    theme = catalog.theme(ind.theme).libelle if ind.theme in {t.code for t in catalog.themes} else ind.theme
    source = (
        f"Définition nationale — source : {ind.definition_source}"
        if ind.definition_source
        else "Définition locale : celle des caisses qui publient ce chiffre (elle peut varier entre caisses)."
    )
    facts = [
        ("Code", ind.code),
        ("Thème", theme),
        ("Unité", _UNITS.get(ind.unite, ind.unite)),
        ("Additionnable entre caisses", "oui" if ind.sommable else "non"),
        ("Sens", _DIRECTIONS.get(ind.sens, ind.sens)),
    ]
    if ind.parent is not None and ind.parent in catalog:
        facts.append(("Partie de", catalog.get(ind.parent).libelle))
    if ind.synonymes:
        facts.append(("Aussi appelé", " ; ".join(ind.synonymes)))
    details: list[Component] = []
    for term, value in facts:
        details += [html.Dt(term), html.Dd(value)]
    return html.Article(
        [
            html.H1(ind.libelle, className="page-title"),
            html.P(
                "Indicateur retiré : caché des pages, ses chiffres sont conservés.", className="text-muted"
            )
            if ind.retire
            else None,
            html.P(ind.definition, className="indicator-definition"),
            html.P(source, className="indicator-source"),
            html.Dl(details, className="indicator-facts"),
            _published(ind.code, published, names),
        ],
        className="indicator-entry",
    )


def _publication_summary(code: str, published: dict[str, dict[str, list[int]]]) -> str:
    by_caisse = published.get(code, {})
    if not by_caisse:
        return "non publié"
    years = sorted({y for found in by_caisse.values() for y in found})
    span = str(years[0]) if len(years) == 1 else f"{years[0]} à {years[-1]}"
    return f"publié par {format_number(len(by_caisse))} caisse(s), {span}"


def _list_items(
    shown: list[Indicator], catalog: Catalog, published: dict[str, dict[str, list[int]]]
) -> list[Component]:
    """One light item per indicator (a few components each: thousands would slow the browser down)."""
    themes = {t.code: t.libelle for t in catalog.themes}
    return [
        html.Li(
            [
                dcc.Link(ind.libelle, href=indicator_href(ind.code), className="indicator-title"),
                html.Span(
                    f" — {themes.get(ind.theme, ind.theme)} · {_UNITS.get(ind.unite, ind.unite)} · "
                    f"{_publication_summary(ind.code, published)}",
                    className="indicator-meta",
                ),
                html.P(ind.definition, className="indicator-definition"),
            ],
            className="indicator-entry",
        )
        for ind in shown
    ]


def _published_years(repo: CachedRepository) -> dict[str, dict[str, list[int]]]:
    return repo.cached("published-years", repo.repository.published_years)


def layout(repo: CachedRepository, path: str) -> Component:
    """The whole catalog with a search box, or one indicator's entry at ``/indicateurs/<code>``."""
    catalog = repo.catalog
    published = _published_years(repo)
    names = caisse_names(repo)
    code = path.removeprefix(PAGE.path).strip("/")
    if code:
        if code not in catalog:
            return html.Div(
                [
                    html.H1("Indicateur inconnu", className="page-title"),
                    html.P("Aucun indicateur du catalogue ne porte ce code."),
                    dcc.Link("Voir tout le catalogue des indicateurs", href=PAGE.path),
                ]
            )
        return html.Div(
            [
                html.P(dcc.Link("← Tout le catalogue des indicateurs", href=PAGE.path)),
                _entry(catalog.get(code), catalog, published, names),
            ],
            className="indicator-page",
        )
    entries = _list_items(list(catalog), catalog, published)
    return html.Div(
        [
            html.H1("Catalogue des indicateurs", className="page-title"),
            html.P(
                "Ce que mesure chaque indicateur, d'où vient sa définition, et quelles caisses l'ont publié. "
                "La recherche ignore les accents et les majuscules (« decroche » trouve « décroché »).",
                className="page-intro",
            ),
            html.Label("Rechercher un indicateur", htmlFor=ids.INDICATOR_SEARCH, className="form-label"),
            dcc.Input(
                id=ids.INDICATOR_SEARCH,
                type="search",
                debounce=True,
                maxLength=MAX_QUERY,
                placeholder="mot du libellé, de la définition ou un synonyme",
                className="form-control mb-2",
            ),
            html.P(
                f"{format_number(len(entries))} indicateur(s).",
                id=ids.INDICATOR_COUNT,
                role="status",
                className="indicator-count",
            ),
            html.Ul(entries, id=ids.INDICATOR_LIST, className="indicator-list list-unstyled"),
        ],
        className="indicator-page",
    )


def search_codes(catalog: Catalog, query: Any) -> set[str] | None:
    """The codes a search keeps; None for no search (everything shown). A forged value counts as none."""
    if not isinstance(query, str) or not query.strip():
        return None
    return {ind.code for ind in catalog.search(query[:MAX_QUERY]) if not ind.retire}


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """The search: the list holds the matching entries, and the count follows."""

    # Entries carry no pattern-matching id: a few hundred of them made the browser's callback graph crawl.
    @app.callback(
        Output(ids.INDICATOR_LIST, "children"),
        Output(ids.INDICATOR_COUNT, "children"),
        Input(ids.INDICATOR_SEARCH, "value"),
        prevent_initial_call=True,
    )
    def update_indicator_search(query: Any) -> tuple[list[Component], str]:
        catalog = repo.catalog
        kept = search_codes(catalog, query)
        shown = [ind for ind in catalog if kept is None or ind.code in kept]
        published = _published_years(repo)
        entries = _list_items(shown, catalog, published)
        count = f"{format_number(len(shown))} indicateur(s)"
        if kept is None:
            return entries, f"{count}."
        return entries, f"{count} pour « {str(query).strip()[:MAX_QUERY]} »."
