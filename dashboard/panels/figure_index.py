"""Every chart a themed page shows, as an allow-list; each drawn for filters exactly as its page draws it.

The export route, the committee dossier and the presentation mode only accept (page key, chart key) pairs
found here: the pairs come from the pages' metadata and ``charts.chart_specs``, never from a request.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from dashboard.analysis import KeyFigure, key_figure
from dashboard.cache import CachedRepository
from dashboard.charts import BuiltChart, ChartSpec, build_chart, chart_specs
from dashboard.data.catalog import Indicator
from dashboard.export.dossier import Dossier, DossierFigure
from dashboard.export.provenance import Provenance, file_stem
from dashboard.export.story import key_numbers, main_figure, note_sentence
from dashboard.figures.frame import source_text
from dashboard.filters import Filters, to_query
from dashboard.panels.common import caisse_names, selection_label
from dashboard.panels.page import PanelPage

OTHER_PANEL = "other"


@dataclass(frozen=True, slots=True)
class IndexedChart:
    """A chart of a themed page.

    Attributes:
        panel: The page key (the ``panel`` of the chart's component ids).
        section: The page or theme title (« Canaux de contact »).
        path: The address of the page that shows it.
        spec: How the chart is drawn.
        indicators: The indicators the page reads (the frame is the page's own, so the figure is identical).
        holds_key_figure: Whether one of its indicators is a key figure (``Indicator.essentiel``).
    """

    panel: str
    section: str
    path: str
    spec: ChartSpec
    indicators: tuple[Indicator, ...]
    holds_key_figure: bool

    @property
    def id(self) -> str:
        """« page key/chart key », the value of a checklist option."""
        return f"{self.panel}/{self.spec.key}"

    @property
    def shown(self) -> tuple[Indicator, ...]:
        """The indicators the chart shows (a share chart's parent first)."""
        own = self.spec.indicators
        return own if self.spec.parent is None else (self.spec.parent, *own)


def _themed_pages() -> list[PanelPage]:
    # Imported here: the panels package imports the page modules, some of which import this module.
    from dashboard.panels import PANELS

    pages = [p.PAGE for p in sorted(PANELS, key=lambda p: p.PAGE.order)]
    return [page for page in pages if page.catalog_panel is not None]


def figure_index(repo: CachedRepository) -> dict[str, IndexedChart]:
    """Every chart of every themed page, in navigation order, keyed by ``IndexedChart.id``."""
    catalog = repo.catalog
    index: dict[str, IndexedChart] = {}
    for page in _themed_pages():
        assert page.catalog_panel is not None
        if page.catalog_panel == OTHER_PANEL:
            themes = sorted((t for t in catalog.themes if t.panneau == OTHER_PANEL), key=lambda t: t.ordre)
            groups = [(t.libelle, f"{page.path}/{t.code}", catalog.by_theme(t.code)) for t in themes]
        else:
            groups = [(page.title, page.path, catalog.by_panel(page.catalog_panel))]
        for section, path, indicators in groups:
            for spec in chart_specs(indicators, catalog):
                shown = spec.indicators if spec.parent is None else (spec.parent, *spec.indicators)
                item = IndexedChart(
                    page.key, section, path, spec, indicators, any(i.essentiel for i in shown)
                )
                index[item.id] = item
    return index


def chosen(index: dict[str, IndexedChart], keys: object) -> list[IndexedChart]:
    """The known charts among untrusted keys (a callback payload), in index order, without duplicates."""
    wanted = {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()
    return [item for key, item in index.items() if key in wanted]


def default_choice(index: dict[str, IndexedChart]) -> list[str]:
    """The charts ticked by default: those holding a key figure."""
    return [key for key, item in index.items() if item.holds_key_figure]


def view_url(base_url: str, path: str, filters: Filters) -> str:
    """The dashboard address that shows the same view: base URL, page path, filters."""
    return f"{base_url.rstrip('/')}{path}{to_query(filters)}"


def draw(repo: CachedRepository, filters: Filters, item: IndexedChart) -> tuple[BuiltChart, list[KeyFigure]]:
    """The chart for the filters, exactly as its page draws it, and the key figures of its indicators."""
    frame = repo.observations(
        caisses=filters.caisses, years=filters.years, indicators=[i.code for i in item.indicators]
    )
    built = build_chart(
        item.spec,
        frame,
        caisses=filters.caisses,
        year=filters.annee,
        subtitle=selection_label(filters, repo, with_comparison=False),
        names=caisse_names(repo),
    )
    figures = [
        key_figure(frame, ind, filters.caisses, filters.annee, filters.comparaison) for ind in item.shown
    ]
    return built, figures


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


def build_dossier(
    repo: CachedRepository, filters: Filters, items: Iterable[IndexedChart], base_url: str
) -> Dossier:
    """The committee dossier of these charts for the filters: figures, key figures, sentences, links."""
    names = caisse_names(repo)
    selection = selection_label(filters, repo, with_comparison=False)
    figures = []
    for item in items:
        built, key_figures = draw(repo, filters, item)
        main = main_figure(key_figures)
        note = (
            note_sentence(main, filters.annee, filters.comparaison, names, selection)
            if main is not None
            else built.summary
        )
        layout = built.figure.layout
        source = next((a.text for a in layout.annotations if a.name == "source"), None)
        figures.append(
            DossierFigure(
                key=f"{item.panel}_{item.spec.key}",
                section=item.section,
                title=item.spec.title,
                subtitle=selection,
                source=html.unescape(source.replace("<br>", " ")) if source else source_text(""),
                summary=built.summary,
                figure=built.figure,
                key_numbers=key_numbers(key_figures, filters.comparaison, names),
                note=note,
                url=view_url(base_url, item.path, filters),
            )
        )
    period = f"Année {filters.annee}" + (
        f" · comparaison avec {filters.comparaison}" if filters.comparaison is not None else ""
    )
    prov = provenance(repo, filters, view_url(base_url, "/", filters))
    stem = file_stem("comite-de-pilotage", list(filters.caisses), filters.annee, prov.data_version)
    return Dossier(_who(filters, repo), period, prov, tuple(figures), stem)
