"""The steering-committee dossier as plain records, and the chart variant drawn inside a slide or a page.

The panels layer fills a ``Dossier`` from the store (figures built for the filters, key figures, sentences);
``deck``, ``report`` and ``archive`` turn it into files. Nothing here reads the store or knows about Dash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.export.chart_data import NativeChart
from dashboard.export.provenance import Provenance
from dashboard.export.since import SinceCommittee
from dashboard.export.story import KeyNumber
from dashboard.figures import layout as text_layout
from dashboard.theme import export_filename

DOSSIER_TITLE: Final = "Dossier comité de pilotage"

# The chart inside a slide or a report page: laid out at the size of a chart card (about 800 px wide,
# what the builders are designed for), so that its 14 px text reads at about 11 pt once placed.
INSET_WIDTH: Final = 800
INSET_HEIGHT: Final = 470

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class DossierFigure:
    """One chart of the dossier, with everything its slide or page shows.

    Attributes:
        key: Unique ASCII key, used in file names (``contact-channels_demandes_total``).
        section: The page the chart belongs to (« Canaux de contact »).
        title: The chart's title.
        subtitle: The selection in words.
        source: The source line (« Source : … »).
        summary: The chart's one-sentence text alternative (alt text of the picture).
        figure: The finished figure, title, subtitle and source inside (None when the dossier was built
            for the deck alone, whose charts are native).
        key_numbers: Two to four key figures as text.
        note: A factual sentence for the speaker's notes.
        url: The dashboard view that shows this chart with the same filters.
        chart: The chart's data for a native PowerPoint chart (None: the deck places the picture).
        table: The published figures behind the chart, as ``analysis.readable_table`` gives them.
    """

    key: str
    section: str
    title: str
    subtitle: str
    source: str
    summary: str
    figure: go.Figure | None
    key_numbers: tuple[KeyNumber, ...]
    note: str
    url: str
    chart: NativeChart | None = None
    table: pd.DataFrame | None = None

    @property
    def drawn(self) -> go.Figure:
        """The plotly figure, which the report and the images need."""
        if self.figure is None:
            raise ValueError(f"graphique non dessiné : {self.key}")
        return self.figure


@dataclass(frozen=True, slots=True)
class Dossier:
    """The whole dossier: who and when, where it comes from, and its charts in order."""

    caisses: str
    period: str
    provenance: Provenance
    figures: tuple[DossierFigure, ...]
    file_stem: str
    title: str = DOSSIER_TITLE
    caisse_ids: tuple[str, ...] = ()
    year: int | None = None
    since: SinceCommittee | None = None  # what changed since the last committee of the same selection

    def member_stem(self, *parts: str) -> str:
        """A file name inside the dossier: its parts, then the caisses, the year and the data version."""
        head = "_".join(p for p in parts if p)
        year = self.year if self.year is not None else self.provenance.exported.year
        return f"{export_filename(head, self.caisse_ids, year)}_donnees-v{self.provenance.data_version}"


def _lines(text: object) -> int:
    return len(text_layout.lines_of(str(text))) if text else 0


def inset_figure(figure: go.Figure) -> go.Figure:
    """A copy of the figure without its title, subtitle and source line, which the slide or page shows.

    The top and bottom margins shrink by the height ``figures.frame.finish`` reserved for those lines
    (reckoned with the same ``figures.layout`` helpers), so the plot keeps its legend and axis labels and
    fills the space it is given.
    """
    inset = go.Figure(figure)
    layout = inset.layout
    title_lines = _lines(layout.title.text)
    _, title_px = text_layout.title_block(title_lines, _lines(layout.title.subtitle.text))
    source = [a for a in layout.annotations if a.name == "source"]
    source_px = sum(_lines(a.text) * text_layout.line_px(theme.SOURCE_SIZE) for a in source)
    top = layout.margin.t if layout.margin.t is not None else 0
    bottom = layout.margin.b if layout.margin.b is not None else 0
    # Assigned, not updated: update_layout merges annotation lists element by element.
    layout.annotations = [a for a in layout.annotations if a.name != "source"]
    inset.update_layout(
        title={"text": "", "subtitle": {"text": ""}},
        margin={
            "t": max(text_layout.BLOCK_GAP, round(top - (title_px if title_lines else 0))),
            "b": max(text_layout.BLOCK_GAP, round(bottom - source_px)),
        },
    )
    return inset
