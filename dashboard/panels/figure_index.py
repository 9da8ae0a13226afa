"""Every chart a themed page shows, as an allow-list; each drawn for filters exactly as its page draws it.

The export route, the committee dossier and the presentation mode only accept (page key, chart key) pairs
found here: the pairs come from the page table and ``charts.all_specs``, never from a request.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from dashboard.analysis import KeyFigure, key_figure
from dashboard.cache import CachedRepository
from dashboard.charts import BuiltChart, ChartSpec, all_specs, build_chart
from dashboard.data.catalog import Indicator
from dashboard.export.dossier import Dossier, DossierFigure
from dashboard.export.provenance import Provenance, file_stem
from dashboard.export.story import key_numbers, main_figure, note_sentence
from dashboard.figures.frame import source_text
from dashboard.filters import Filters, to_query
from dashboard.panels import theme_page
from dashboard.panels.common import caisse_names, selection_label


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


def figure_index(repo: CachedRepository) -> dict[str, IndexedChart]:
    """Every chart a theme page can show, in menu order, keyed by ``IndexedChart.id``."""
    catalog = repo.catalog
    index: dict[str, IndexedChart] = {}
    for theme in sorted(catalog.themes, key=lambda t: t.ordre):
        indicators = catalog.by_theme(theme.code)
        for spec in all_specs(indicators, catalog):
            shown = spec.indicators if spec.parent is None else (spec.parent, *spec.indicators)
            item = IndexedChart(
                theme.page_key, theme.libelle, theme.chemin, spec, indicators, any(i.essentiel for i in shown)
            )
            index[item.id] = item
    return index


def chosen(index: dict[str, IndexedChart], keys: object) -> list[IndexedChart]:
    """The known charts among untrusted keys (a callback payload), in index order, without duplicates."""
    wanted = {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()
    return [item for key, item in index.items() if key in wanted]


def default_choice(repo: CachedRepository, filters: Filters) -> list[str]:
    """The charts ticked by default: those the theme pages show for the filters (only what was published)."""
    shown: list[str] = []
    for theme in sorted(repo.catalog.themes, key=lambda t: t.ordre):
        view = theme_page.cached_view(repo, theme, filters)
        shown.extend(f"{theme.page_key}/{chart.spec.key}" for chart in view.charts)
    return shown


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
