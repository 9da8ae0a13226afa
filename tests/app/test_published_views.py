"""Every caisse and year of the embedded data, alone and beside another caisse, through every view.

A view is built from what the selection published: no chart, card, screen or slide whose whole content is
« non publié »; every published figure shown as a chart or a card; no card headline « non publié » when a
chosen caisse published.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterator

import pytest

from dashboard.cache import CachedRepository
from dashboard.chart_index import figure_index
from dashboard.components.kpi_card import build_kpi_section
from dashboard.data import columns as col
from dashboard.data.context import open_data
from dashboard.filters import Filters
from dashboard.formatting import NON_PUBLIE
from dashboard.panels.common import selection
from dashboard.panels.figure_index import default_choice, left_out
from dashboard.panels.presentation import screens
from dashboard.panels.theme_page import cached_view
from dashboard.settings import Settings
from dashboard.views import counts_by_theme, drawn_numbers, overview_view, theme_counts


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> CachedRepository:
    db = tmp_path_factory.mktemp("views") / "store.sqlite3"
    return CachedRepository(open_data(Settings(database_url=f"sqlite:///{db}")).repository)


def _selections(repo: CachedRepository) -> Iterator[tuple[str, Filters]]:
    """Each caisse-year alone, and beside another caisse: the richest of that year, else a silent one."""
    counts = repo.counts_by_caisse_year()
    years = set(repo.choices().years)
    by_caisse = {c.id: c for c in repo.referentiel.caisses}
    seen: set[tuple[str, ...]] = set()
    for row in counts.itertuples():
        caisse, year = str(row.caisse), int(row.annee)
        comparison = year - 1 if year - 1 in years else None
        same_year = counts[(counts["annee"] == year) & (counts["caisse"] != caisse)]
        silent = next(c for c in sorted(by_caisse) if c not in set(counts[counts["annee"] == year]["caisse"]))
        partner = str(same_year.sort_values("chiffres").iloc[-1]["caisse"]) if not same_year.empty else silent
        for chosen in ((caisse,), (caisse, partner)):
            if chosen in seen or chosen[::-1] in seen:
                continue
            seen.add(chosen)
            deps = tuple(dict.fromkeys(by_caisse[c].departement for c in chosen))
            yield f"{'+'.join(chosen)} {year}", Filters(year, comparison, deps, chosen, caisses_explicit=True)


def _cards_headlines(cards, filters: Filters) -> list[tuple[str, list[str]]]:
    """(class, texts) of every value a card headlines, rendered as a person sees it."""
    from tests.app.view_tree import texts, with_class

    section = [
        c.to_plotly_json() for c in build_kpi_section(cards, comparison=filters.comparaison, caisse_names={})
    ]
    rendered = _as_json(section)
    found = []
    for card in with_class(rendered, "kpi-card"):
        values = [t for n in with_class(card, "kpi-value") for t in texts(n)]
        lines = [t for n in with_class(card, "kpi-caisse-value") for t in texts(n)]
        found.append((card["props"]["data-indicator"], values + lines))
    return found


def _as_json(tree):
    import json

    import plotly

    return json.loads(json.dumps(tree, cls=plotly.utils.PlotlyJSONEncoder))


def _carded(view_cards) -> set[tuple[str, str]]:
    """(caisse, indicator) of every card that shows a caisse's figure."""
    found = set()
    for card in view_cards:
        for own in card.per_caisse or (card,):
            if own.published or own.previous is not None:
                found.update((c, card.indicator.code) for c in own.caisses_published or own.caisses_missing)
    return found


def selected_codes(repo: CachedRepository, filters: Filters) -> set[str]:
    """Indicators the chosen caisses published in the year or the comparison year."""
    frame = repo.observations(caisses=filters.caisses, years=filters.years)
    return set(frame[col.INDICATEUR]) if not frame.empty else set()


def test_every_view_shows_what_the_selection_published_and_nothing_empty(repo):
    problems: list[str] = []
    index = figure_index(repo.catalog)
    checked = 0
    for label, filters in _selections(repo):
        checked += 1
        chosen = selection(filters, repo)
        for theme in repo.catalog.themes:
            view = cached_view(repo, theme, filters)
            drawn, carded = drawn_numbers(view.charts), _carded(view.cards)
            for record in view.rows.to_dict("records"):
                key = (str(record[col.CAISSE]), str(record[col.INDICATEUR]))
                if (*key, int(record[col.ANNEE])) not in drawn and key not in carded:
                    problems.append(f"{label} {theme.code}: {key} {record[col.ANNEE]} ni graphique ni carte")
            for chart in view.charts:
                values = chart.built.rows[col.VALEUR]
                if not any(isinstance(v, float) and not math.isnan(v) for v in values):
                    problems.append(f"{label} {theme.code}: graphique vide {chart.spec.key}")
            for indicator, shown in _cards_headlines(view.cards, filters):
                if not shown or all(t == NON_PUBLIE for t in shown):
                    problems.append(f"{label} {theme.code}: carte « non publié » {indicator}")
        overview = overview_view(
            repo.catalog, repo.observations(caisses=filters.caisses, years=filters.years), chosen
        )
        cards = [*overview.essentials, *(c for _, group in overview.by_theme for c in group)]
        for indicator, shown in _cards_headlines(cards, filters):
            if not shown or all(t == NON_PUBLIE for t in shown):
                problems.append(f"{label} vue d'ensemble: carte « non publié » {indicator}")
        for screen in screens(repo, filters):
            if screen.chart is None and not screen.cards:
                problems.append(f"{label} présentation: écran vide {screen.title}")
        ticked = default_choice(repo, filters)
        if len(ticked) != len(set(ticked)):
            problems.append(f"{label} comité: diapositive en double")
        # The Comité page accounts for every chart of the catalog: ticked, or listed with its reason.
        aside = left_out(repo, filters)
        if sorted([*ticked, *(c.id for c in aside)]) != sorted(index):
            problems.append(f"{label} comité: graphiques ni cochés ni listés comme laissés de côté")
        published = set(selected_codes(repo, filters))
        for chart in aside:
            holds = {i.code for i in index[chart.id].spec.indicators} & published  # parts, not their whole
            if not chart.reason or chart.nothing_published == bool(holds):
                problems.append(f"{label} comité: raison fausse pour {chart.id} ({chart.reason})")
    assert checked > len(repo.counts_by_caisse_year())  # every caisse-year, and pairs
    assert not problems, "\n".join(problems[:40])


def test_the_menu_of_themes_counts_in_the_store_what_the_views_count_from_the_figures(repo) -> None:
    """The « Autres thèmes » menu counts figures by a query; the views count the rows they read."""
    checked = 0
    for where, filters in _selections(repo):
        by_indicator = repo.counts_by_indicator(caisses=filters.caisses, years=filters.years)
        read = repo.observations(caisses=filters.caisses, years=filters.years)
        expected = theme_counts(read, repo.catalog, selection(filters, repo))
        assert counts_by_theme(by_indicator, repo.catalog) == expected, where
        assert sum(by_indicator.values()) == len(read), where
        checked += 1
    assert checked > len(repo.counts_by_caisse_year())  # every caisse-year, and pairs


def test_a_report_cited_by_several_cards_is_one_note_whether_the_figures_are_read_or_cached(repo) -> None:
    """A source without an address was one note per card when the figures came back from the cache."""
    from tests.app.view_tree import texts, with_class

    checked = 0
    for where, filters in _selections(repo):
        read = repo.observations(caisses=filters.caisses, years=filters.years)
        for frame in (read, pickle.loads(pickle.dumps(read))):
            overview = overview_view(repo.catalog, frame, selection(filters, repo))
            for cards in (overview.essentials, *(group for _, group in overview.by_theme)):
                section = build_kpi_section(cards, comparison=filters.comparaison, caisse_names={})
                rendered = _as_json([c.to_plotly_json() for c in section])
                notes = [
                    " ".join(texts(li))
                    for ol in with_class(rendered, "kpi-notes")
                    for li in ol["props"]["children"]
                ]
                assert len(notes) == len(set(notes)), (where, notes)
                checked += len(notes)
    assert checked > len(repo.counts_by_caisse_year())
