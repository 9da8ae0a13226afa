"""Every chart a themed page shows, as an allow-list, next to the chart specs it is made of.

The export route, the committee dossier and the presentation mode only accept (page key, chart key) pairs
found here: the pairs come from the page table and ``charts.all_specs``, never from a request.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.charts import ChartSpec, all_specs
from dashboard.data.catalog import Catalog, Indicator


@dataclass(frozen=True, slots=True)
class IndexedChart:
    """A chart of a themed page.

    Attributes:
        panel: The page key (the ``panel`` of the chart's component ids).
        section: The page or theme title (« Canaux de contact »).
        path: The address of the page that shows it.
        spec: How the chart is drawn.
        indicators: The indicators the page reads (the frame is the page's own, so the figure is identical).
    """

    panel: str
    section: str
    path: str
    spec: ChartSpec
    indicators: tuple[Indicator, ...]

    @property
    def id(self) -> str:
        """« page key/chart key », the value of a checklist option."""
        return f"{self.panel}/{self.spec.key}"

    @property
    def shown(self) -> tuple[Indicator, ...]:
        """The indicators the chart shows (a share chart's parent first)."""
        own = self.spec.indicators
        return own if self.spec.parent is None else (self.spec.parent, *own)


def figure_index(catalog: Catalog) -> dict[str, IndexedChart]:
    """Every chart a theme page can show, in menu order, keyed by ``IndexedChart.id``."""
    index: dict[str, IndexedChart] = {}
    for theme in sorted(catalog.themes, key=lambda t: t.ordre):
        indicators = catalog.by_theme(theme.code)
        for spec in all_specs(indicators, catalog):
            item = IndexedChart(theme.page_key, theme.libelle, theme.chemin, spec, indicators)
            index[item.id] = item
    return index


def chosen(index: dict[str, IndexedChart], keys: object) -> list[IndexedChart]:
    """The known charts among untrusted keys (a callback payload), in index order, without duplicates."""
    wanted = {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()
    return [item for key, item in index.items() if key in wanted]
