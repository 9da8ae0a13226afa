"""Which caisse published how many figures in which year: a coverage matrix a person reads."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from dash import html

from dashboard.data import columns as col
from dashboard.formatting import format_number


def build_coverage_table(
    coverage: pd.DataFrame, caisses: Sequence[str], years: Sequence[int], names: dict[str, str]
) -> html.Table:
    """Rows: the caisses; columns: the years; cells: how many figures were published (« — » for none).

    A value calculated from published figures is not a published one: a cell says « + 1 calculé ».
    """
    counts = coverage.groupby([col.CAISSE, col.ANNEE])["chiffres"].sum().to_dict()
    derived = (
        coverage.groupby([col.CAISSE, col.ANNEE])["calcules"].sum().to_dict()
        if "calcules" in coverage
        else {}
    )

    def cell(caisse: str, year: int) -> str:
        published = counts.get((caisse, year), 0)
        text = format_number(published) if published else "—"
        calculated = derived.get((caisse, year), 0)
        if calculated:
            text += f" + {format_number(calculated)} calculé{'s' if calculated > 1 else ''}"
        return text

    head = html.Thead(
        html.Tr(
            [html.Th("Caisse", scope="col"), *[html.Th(str(y), scope="col", className="num") for y in years]]
        )
    )
    body = [
        html.Tr(
            [
                html.Th(names.get(caisse, caisse), scope="row"),
                *[html.Td(cell(caisse, y), className="num") for y in years],
            ]
        )
        for caisse in caisses
    ]
    return html.Table(
        [html.Caption("Nombre de chiffres publiés par caisse et par année"), head, html.Tbody(body)],
        className="table table-sm coverage-table",
    )
