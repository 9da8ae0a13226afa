"""Pure figure builders: tidy frame and catalog records in, finished ``go.Figure`` out.

No dash, no I/O, no globals: every builder formats its numbers through ``dashboard.formatting`` and applies
``dashboard.theme.TEMPLATE`` explicitly. ``BUILDERS`` is the one dispatch: the catalog's chart kind
(``Indicator.graphique``, carried by ``charts.ChartSpec.kind``) picks the builder, and every builder takes the
same call (``Builder``). Trends across years and rankings are drawn by their own builders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final, Protocol

import pandas as pd
import plotly.graph_objects as go

from dashboard.data.catalog import ChartKind, Indicator
from dashboard.figures.frame import FigureText, build_unpublished, finish
from dashboard.figures.ranking import build_ranking_bars
from dashboard.figures.rates import build_rate_bars
from dashboard.figures.shares import build_share_donut, build_share_stack, build_shares
from dashboard.figures.summary import describe
from dashboard.figures.trends import build_trend_lines
from dashboard.figures.volumes import build_volume_bars


class Builder(Protocol):
    """The call every chart kind's builder accepts."""

    def __call__(
        self,
        frame: pd.DataFrame,
        *,
        indicators: Sequence[Indicator],
        text: FigureText,
        compared: pd.DataFrame | None = None,
        notes: Sequence[str] = (),
        parent: Indicator | None = None,
    ) -> go.Figure:
        """Draw the chart of these indicators from a tidy frame, with its title, subtitle and source.

        ``compared`` holds the comparison year's rows, ``notes`` the sentences under the plot, ``parent``
        the whole a breakdown belongs to (its rows are in ``frame``).
        """


BUILDERS: Final[Mapping[ChartKind, Builder]] = MappingProxyType(
    {
        "volume": build_volume_bars,
        "part": build_shares,
        "taux": build_rate_bars,
        # Durations are bars like volumes; the unit ("jours", "min", "h") is in the labels and on the axis.
        "duree": build_volume_bars,
    }
)

__all__ = [
    "BUILDERS",
    "Builder",
    "FigureText",
    "build_ranking_bars",
    "build_rate_bars",
    "build_share_donut",
    "build_share_stack",
    "build_shares",
    "build_trend_lines",
    "build_unpublished",
    "build_volume_bars",
    "describe",
    "finish",
]
