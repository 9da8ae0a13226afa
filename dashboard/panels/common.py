"""Helpers every page uses: the page header, the ready signal, the filters, caisse names."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dash import Input, State, dcc, html
from dash._utils import to_json

from dashboard import ids
from dashboard.cache import CachedRepository
from dashboard.filters import Filters, filters_of_change, parse_filters
from dashboard.views import Selection


def ready_id(panel: str) -> dict[str, str]:
    """A store inside the page: its presence fires the page's callback when the page is shown."""
    return {"type": "page-ready", "panel": panel}


def subtitle_id(panel: str) -> dict[str, str]:
    """The line under the page title that the page's callback fills with the selection."""
    return {"type": "page-subtitle", "panel": panel}


def page_inputs(panel: str) -> tuple[Input, Input]:
    """What redraws a page: the filter bar's last change, and the page being shown (its ready store).

    Not the address: the filter bar's callback writes it, and a page would wait for that callback's answer
    before asking for its own (two round trips per change).
    """
    return Input(ids.FILTER_CHANGE, "data"), Input(ready_id(panel), "data")


def page_state() -> State:
    """The filters a page was drawn for, read by the callbacks that complete it (a table opened, a file).

    The same change the page was drawn from: the address may still be one round trip behind.
    """
    return State(ids.FILTER_CHANGE, "data")


def page_header(panel: str, title: str, intro: str, *, subtitle: bool = True) -> html.Div:
    """The page title (h1), a subtitle filled by the callback, an introduction, and the ready signal.

    A page that does not depend on the filters (the import page) has no subtitle.
    """
    line = [html.P(id=subtitle_id(panel), className="page-subtitle")] if subtitle else []
    return html.Div(
        [
            html.H1(title, className="page-title"),
            *line,
            html.P(intro, className="page-intro"),
            dcc.Store(id=ready_id(panel), data=True),
        ],
        className="page-header",
    )


def cached_answer(repo: CachedRepository, key: str, render: Callable[[], Any]) -> Any:
    """What ``render`` makes for a callback's answer, cached as the plain JSON data that Dash sends.

    A cached answer is sent again at every later request for the same selection. Kept as components, each
    send unpickled them and encoded them one by one in Python (6.5 ms for « /canaux » at full scale); as
    plain data it unpickles twice as fast and Dash's encoder writes it at C speed (1.9 ms). Tuples come
    back as lists.
    """
    return repo.cached(key, lambda: json.loads(to_json(render())))


def current_filters(search: Any, repo: CachedRepository) -> Filters:
    """The validated filters of the URL (notices are shown by the shell, not repeated here)."""
    filters, _ = parse_filters(search if isinstance(search, str) else "", repo.choices())
    return filters


def changed_filters(change: Any, repo: CachedRepository) -> Filters:
    """The validated filters of the filter bar's last change (``page_inputs``), as the bar resolves them."""
    filters, _ = filters_of_change(change, repo.choices())
    return filters


def caisse_names(repo: CachedRepository) -> dict[str, str]:
    """Caisse id → name."""
    return {c.id: c.nom for c in repo.referentiel.caisses}


def selection_label(filters: Filters, repo: CachedRepository, *, with_comparison: bool = True) -> str:
    """« CPAM de la Côte-d'Or — 2024 (comparaison : 2023) »."""
    names = caisse_names(repo)
    caisses = [names[c] for c in filters.caisses]
    who = ", ".join(caisses) if len(caisses) <= 3 else f"{len(caisses)} caisses"
    text = f"{who} — {filters.annee}"
    if with_comparison and filters.comparaison is not None:
        text += f" (comparaison : {filters.comparaison})"
    return text


def is_open(n_clicks: Any) -> bool:
    """Whether a « voir les données » disclosure is open: its summary was clicked an odd number of times.

    A click, Enter or Space on a ``<summary>`` toggles it and fires one click event. The tables are sent
    only while open: hidden, they were most of the components a filter change rebuilt in the browser.
    """
    return isinstance(n_clicks, int) and n_clicks % 2 == 1


def selection(filters: Filters, repo: CachedRepository) -> Selection:
    """The selection a view is computed for: caisses, years, and the words that name them."""
    return Selection(
        caisses=filters.caisses,
        annee=filters.annee,
        comparaison=filters.comparaison,
        names=caisse_names(repo),
        subtitle=selection_label(filters, repo, with_comparison=False),
    )
