"""The dossier's words against its charts, for every caisse and every pair of caisses of the embedded data.

No note and no key figure may contradict a value its slide's chart shows: a caisse whose bar shows a value is
never « non publié », the value said for a caisse is the one drawn for it, and a change said to be computed
is the difference of the two years drawn.
"""

from __future__ import annotations

import itertools
import re
from io import BytesIO

import pytest
from pptx import Presentation

from dashboard.analysis import whole_year_levels
from dashboard.cache import CachedRepository
from dashboard.chart_index import figure_index
from dashboard.data.context import open_data
from dashboard.export.chart_data import caisse_value
from dashboard.export.deck import build_deck
from dashboard.filters import Filters
from dashboard.formatting import NON_PUBLIE, format_change, format_value
from dashboard.panels.common import caisse_names
from dashboard.panels.figure_index import build_dossier, default_choice, slide_story
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> CachedRepository:
    db = tmp_path_factory.mktemp("embedded") / "store.sqlite3"
    return CachedRepository(open_data(Settings(database_url=f"sqlite:///{db}")).repository)


# What a value drawn on no whole-year bar says of itself: « (septembre 2024) », « (en 2023) ».
ANOTHER_MEASURE = re.compile(r"\((?:en |[^()]* )\d{4}\)")


def _selections(repo: CachedRepository) -> list[Filters]:
    """Every caisse alone and every pair, on the latest year one of them published, against the one before."""
    counts = repo.counts_by_caisse_year()
    years: dict[str, set[int]] = {}
    for row in counts.to_dict("records"):
        years.setdefault(str(row["caisse"]), set()).add(int(row["annee"]))
    departement = {c.id: c.departement for c in repo.referentiel.caisses}
    caisses = sorted(years)
    groups = [(c,) for c in caisses] + list(itertools.combinations(caisses, 2))
    selections = []
    for group in groups:
        published = sorted(set().union(*(years[c] for c in group)))
        year = published[-1]
        earlier = [y for y in published if y < year]
        comparison = earlier[-1] if earlier else year - 1
        deps = tuple(dict.fromkeys(departement[c] for c in group))
        selections.append(Filters(year, comparison, deps, group, caisses_explicit=True))
    return selections


def _clause(note: str, name: str) -> str:
    """The part of a several-caisses sentence about one caisse (up to the next « ; » or the end)."""
    start = note.index(f"{name}, ")
    end = note.find(" ; ", start)
    return note[start : end if end >= 0 else len(note)]


def test_every_selection_of_the_embedded_data_says_what_its_charts_show(embedded):
    index = figure_index(embedded.catalog)
    names = caisse_names(embedded)
    selections = _selections(embedded)
    assert len(selections) > 100  # every caisse and every pair
    checked = 0
    for filters in selections:
        frame = embedded.observations(caisses=filters.caisses, years=filters.years)
        codes = set(frame["indicateur"])
        for item in index.values():
            if not codes & {i.code for i in item.indicators}:
                continue  # nothing published for this chart: the dossier leaves it out
            story = slide_story(embedded, filters, item)
            main = story.main
            if main is None or main.indicator not in item.spec.indicators:
                continue  # the sentence is about a parent the chart does not draw
            ind = main.indicator
            for caisse in filters.caisses:
                shown = caisse_value(story.chart, ind, caisse, filters.annee)
                before = caisse_value(story.chart, ind, caisse, filters.comparaison)
                name = names[caisse]
                text = story.note if len(filters.caisses) == 1 else _clause(story.note, name)
                where = f"{filters} {item.id}: {story.note}"
                if shown is None:  # « non publié », or a part of the year or another year, named as such
                    assert NON_PUBLIE in text or ANOTHER_MEASURE.search(text) or len(filters.caisses) == 1, (
                        where
                    )
                    continue
                assert f"{name}, {NON_PUBLIE}" not in story.note, where
                assert format_value(shown, ind.unite, "exact") in text, where
                if " soit " in text and "telle que publiée" not in text and before is not None:
                    computed = format_change(shown - before, "evolution_val", ind.unite)
                    assert f"soit {computed}" in text, where
                checked += 1
            for number in story.key_numbers:
                caisse = next(
                    (c for c in filters.caisses if number.label == f"{ind.libelle} — {names[c]}"), None
                )
                if caisse is not None:
                    shown = caisse_value(story.chart, ind, caisse, filters.annee)
                    if shown is None:  # a card's part of the year or other year: it names itself
                        assert ANOTHER_MEASURE.search(number.value), number
                    else:
                        assert format_value(shown, ind.unite, "exact") in number.value, number
    assert checked > 200


def test_two_caisses_where_one_did_not_publish_name_the_value_of_the_other(embedded):
    index = figure_index(embedded.catalog)
    filters = Filters(2024, 2023, ("21", "85"), ("cpam-21", "cpam-85"), caisses_explicit=True)

    story = slide_story(embedded, filters, index["contact-channels/demandes_total"])

    assert story.note.startswith("En 2024, demandes des assurés : CPAM de la Côte-d'Or, 3\u00a0872\u00a0394")
    assert "CPAM de la Vendée, non publié" in story.note
    assert "non publié pour CPAM de la Côte-d'Or" not in story.note
    assert story.note == (
        "En 2024, demandes des assurés : CPAM de la Côte-d'Or, 3\u00a0872\u00a0394 "
        "(chiffre de 2023 non publié) ; CPAM de la Vendée, non publié."
    )


def _store_level(repo: CachedRepository, caisse: str, code: str, year: int) -> float | None:
    rows = whole_year_levels(repo.observations(caisses=[caisse], years=[year], indicators=[code]))
    return float(rows.iloc[0]["valeur"]) if len(rows) else None


@pytest.mark.parametrize(
    "filters",
    [
        Filters(2024, 2023, ("21",), ("cpam-21",), caisses_explicit=True),
        Filters(2024, 2023, ("21", "85"), ("cpam-21", "cpam-85"), caisses_explicit=True),
    ],
    ids=["cote-d-or", "cote-d-or-et-vendee"],
)
def test_every_native_chart_of_the_deck_holds_the_figures_of_the_store(embedded, filters):
    index = figure_index(embedded.catalog)
    by_name = {v: k for k, v in caisse_names(embedded).items()}
    items = [index[key] for key in default_choice(embedded, filters)]
    dossier = build_dossier(embedded, filters, items, "http://127.0.0.1:8050")
    deck = Presentation(BytesIO(build_deck(dossier)))

    frames = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    native = [
        (figure, item)
        for figure, item in zip(dossier.figures, items, strict=True)
        if figure.chart is not None and not figure.chart.empty
    ]
    assert len(frames) == len(native) > 5
    checked = 0
    for frame, (figure, item) in zip(frames, native, strict=True):
        plot = frame.chart.plots[0]
        codes = {ind.libelle: ind.code for ind in item.spec.indicators}
        for series in plot.series:
            for category, value in zip(plot.categories, series.values, strict=True):
                if len(filters.caisses) == 1:  # categories are indicators (or parts); series are years
                    caisse, code = filters.caisses[0], codes[category.removesuffix(" (non publié)")]
                    year = filters.annee if figure.chart.kind == "donut" else int(series.name)
                else:  # categories are caisses; a series is « indicator — year » or the year alone
                    caisse = by_name[category.removesuffix(" (non publié)")]
                    label, _, year_text = series.name.rpartition(" — ")
                    only = item.spec.indicators[0].code if len(item.spec.indicators) == 1 else None
                    code = codes.get(label) or codes.get(series.name) or only
                    year = int(year_text) if year_text.isdigit() else filters.annee
                assert value == _store_level(embedded, caisse, code, year), (figure.title, series.name)
                checked += 1
    assert checked > 10
