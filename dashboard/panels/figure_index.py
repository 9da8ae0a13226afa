"""The charts of the allow-list (``chart_index``) drawn for filters exactly as their pages draw them.

What the committee ticks by default, each chart with its key figures and sentences, and the dossier the deck,
the report and the archive are made from.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from dashboard.analysis import KeyFigure, key_figure, key_figures, readable_table
from dashboard.cache import CachedRepository
from dashboard.chart_index import IndexedChart
from dashboard.charts import BuiltChart, build_chart, complete, sources_line
from dashboard.data import columns as col
from dashboard.export.chart_data import NativeChart, build_chart_data
from dashboard.export.dossier import Dossier, DossierFigure
from dashboard.export.provenance import Provenance, file_stem
from dashboard.export.story import KeyNumber, caisses_sentence, key_numbers, main_figure, note_sentence
from dashboard.figures.frame import source_text
from dashboard.figures.summary import NO_DATA, describe
from dashboard.filters import Filters, to_query
from dashboard.panels import theme_page
from dashboard.panels.common import caisse_names, selection_label
from dashboard.views import NOTHING_PUBLISHED


def default_choice(repo: CachedRepository, filters: Filters) -> list[str]:
    """The charts ticked by default: those the theme pages show for the filters (only what was published)."""
    shown: list[str] = []
    for theme in sorted(repo.catalog.themes, key=lambda t: t.ordre):
        view = theme_page.cached_view(repo, theme, filters)
        shown.extend(f"{theme.page_key}/{chart.spec.key}" for chart in view.charts)
    return shown


@dataclass(frozen=True, slots=True)
class LeftOutChart:
    """A chart of the index the theme pages do not draw for the filters, and why (in French)."""

    id: str
    section: str
    title: str
    reason: str

    @property
    def nothing_published(self) -> bool:
        """Whether no chosen caisse published any of its figures: such a chart never goes in a dossier."""
        return self.reason == NOTHING_PUBLISHED


def left_out(repo: CachedRepository, filters: Filters) -> list[LeftOutChart]:
    """The charts the default choice leaves out for the filters, with the reason, in menu order."""
    found: list[LeftOutChart] = []
    for theme in sorted(repo.catalog.themes, key=lambda t: t.ordre):
        view = theme_page.cached_view(repo, theme, filters)
        found.extend(
            LeftOutChart(f"{theme.page_key}/{c.spec.key}", theme.libelle, c.spec.title, c.reason)
            for c in view.left_out
        )
    return found


def view_url(base_url: str, path: str, filters: Filters) -> str:
    """The dashboard address that shows the same view: base URL, page path, filters."""
    return f"{base_url.rstrip('/')}{path}{to_query(filters)}"


def draw(repo: CachedRepository, filters: Filters, item: IndexedChart) -> tuple[BuiltChart, list[KeyFigure]]:
    """The chart for the filters, exactly as its page draws it, and the key figures of its indicators."""
    frame = theme_page.theme_frame(repo, item.indicators, filters)
    built = build_chart(
        item.spec,
        frame,
        caisses=filters.caisses,
        year=filters.annee,
        comparison=filters.comparaison,
        subtitle=selection_label(filters, repo, with_comparison=False),
        names=caisse_names(repo),
    )
    figures = [
        key_figure(frame, ind, filters.caisses, filters.annee, filters.comparaison) for ind in item.shown
    ]
    return built, figures


@dataclass(frozen=True, slots=True)
class SlideStory:
    """What a slide states besides its picture: the native chart's data, key figures and the sentence."""

    chart: NativeChart
    key_numbers: tuple[KeyNumber, ...]
    note: str
    main: KeyFigure | None


def _frame(repo: CachedRepository, filters: Filters, item: IndexedChart) -> pd.DataFrame:
    return theme_page.theme_frame(repo, item.indicators, filters)


def slide_story(
    repo: CachedRepository, filters: Filters, item: IndexedChart, summary: str = ""
) -> SlideStory:
    """The chart data, key figures and speaker's sentence of a chart, without drawing it.

    With several caisses the sentence is written caisse by caisse (``story.caisses_sentence``): each
    caisse's value and change, « non publié » only for the caisse that did not publish.
    """
    frame = _frame(repo, filters, item)
    names = caisse_names(repo)
    year, comparison = filters.annee, filters.comparaison
    chart = build_chart_data(
        item.spec, frame, caisses=filters.caisses, names=names, year=year, comparison=comparison
    )
    figures = key_figures(frame, item.shown, filters.caisses, year, comparison)
    main = main_figure(figures)
    if main is None:
        note = summary
    elif len(filters.caisses) == 1:
        selection = selection_label(filters, repo, with_comparison=False)
        note = note_sentence(main, year, comparison, names, selection)
    else:
        if len(main.per_caisse) == len(filters.caisses):  # the cards' own per-caisse figures
            per_caisse = list(zip(filters.caisses, main.per_caisse, strict=True))
        else:
            rows = frame[frame[col.INDICATEUR] == main.indicator.code]
            per_caisse = [
                (c, key_figure(rows, main.indicator, [c], year, comparison)) for c in filters.caisses
            ]
        note = caisses_sentence(per_caisse, main, year, comparison, names)
    return SlideStory(chart, key_numbers(figures, comparison, names, year), note, main)


def provenance(
    repo: CachedRepository, filters: Filters, url: str, when: datetime | None = None
) -> Provenance:
    """Where a file made now from these filters comes from."""
    return Provenance(
        selection=selection_label(filters, repo),
        query=to_query(filters),
        data_version=repo.data_version(),
        url=url,
        exported=when or datetime.now(),
    )


def _who(filters: Filters, repo: CachedRepository) -> str:
    names = caisse_names(repo)
    caisses = [names[c] for c in filters.caisses]
    if len(caisses) <= 3:
        return ", ".join(caisses)
    return f"{len(caisses)} caisses (départements {', '.join(filters.departements)})"


def _words(
    repo: CachedRepository, filters: Filters, item: IndexedChart, frame: pd.DataFrame
) -> tuple[str, str]:
    """The summary and source line of a chart without drawing it: what ``charts.build_chart`` writes."""
    data = complete(frame, item.spec.codes, filters.caisses, filters.annee, caisse_names(repo))
    summary = describe(data[data[col.VALEUR].notna()], indicators=item.shown)
    if summary == NO_DATA:
        subtitle = selection_label(filters, repo, with_comparison=False)
        summary = f"{item.spec.title}, {subtitle.replace(' — ', ', ')} : non publié."
    return summary, source_text(sources_line(data))


def build_dossier(
    repo: CachedRepository,
    filters: Filters,
    items: Iterable[IndexedChart],
    base_url: str,
    *,
    draw_figures: bool = True,
) -> Dossier:
    """The committee dossier of these charts for the filters: figures, key figures, sentences, links.

    ``draw_figures=False`` leaves the plotly figures out (the deck draws native charts): building them is
    most of a dossier's time.
    """
    selection = selection_label(filters, repo, with_comparison=False)
    figures = []
    for item in items:
        frame = _frame(repo, filters, item)
        figure = None
        if draw_figures:
            built, _ = draw(repo, filters, item)
            figure, summary = built.figure, built.summary
            source = next((a.text for a in figure.layout.annotations if a.name == "source"), None)
            source = html.unescape(source.replace("<br>", " ")) if source else source_text("")
        else:
            summary, source = _words(repo, filters, item, frame)
        story = slide_story(repo, filters, item, summary)
        shown = frame[frame[col.INDICATEUR].isin(item.spec.codes) & frame[col.ANNEE].isin(filters.years)]
        figures.append(
            DossierFigure(
                key=f"{item.panel}_{item.spec.key}",
                section=item.section,
                title=item.spec.title,
                subtitle=selection,
                source=source,
                summary=summary,
                figure=figure,
                key_numbers=story.key_numbers,
                note=story.note,
                url=view_url(base_url, item.path, filters),
                chart=story.chart,
                table=readable_table(shown, repo.catalog),
            )
        )
    period = f"Année {filters.annee}" + (
        f" · comparaison avec {filters.comparaison}" if filters.comparaison is not None else ""
    )
    prov = provenance(repo, filters, view_url(base_url, "/", filters))
    stem = file_stem("comite-de-pilotage", list(filters.caisses), filters.annee, prov.data_version)
    return Dossier(
        _who(filters, repo),
        period,
        prov,
        tuple(figures),
        stem,
        caisse_ids=filters.caisses,
        year=filters.annee,
    )
