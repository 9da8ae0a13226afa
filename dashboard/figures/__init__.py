"""Pure figure builders: tidy frame and catalog records in, finished ``go.Figure`` out.

No dash, no I/O, no globals: every builder formats its numbers through ``dashboard.formatting`` and applies
``dashboard.theme.TEMPLATE`` explicitly. ``BUILDERS`` is the one dispatch: the catalog's chart kind
(``Indicator.graphique``, carried by ``charts.ChartSpec.kind``) picks the builder, and every builder takes the
same call (``Builder``: one ``ChartData``). Trends across years and rankings are drawn by their own builders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, TypeAlias

import plotly.graph_objects as go

from dashboard.data.catalog import ChartKind
from dashboard.figures.frame import ChartData, FigureText, build_unpublished, figure_json, finish
from dashboard.figures.ranking import build_ranking_bars
from dashboard.figures.rates import build_rate_bars
from dashboard.figures.shares import build_share_donut, build_share_stack, build_shares
from dashboard.figures.summary import describe, describe_rows
from dashboard.figures.trends import build_trend_lines
from dashboard.figures.volumes import build_volume_bars

# The call every chart kind's builder accepts.
Builder: TypeAlias = Callable[[ChartData], go.Figure]


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
    "ChartData",
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
    "describe_rows",
    "figure_json",
    "finish",
]
