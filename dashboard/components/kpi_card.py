"""A key-figure card: value, unit, qualifier, change against the comparison year, source."""

from __future__ import annotations

from dash import html

from dashboard.analysis import KeyFigure
from dashboard.components import html_attrs
from dashboard.formatting import NON_PUBLIE, format_change, format_value


def _change_line(figure: KeyFigure, comparison: int | None) -> html.Div | None:
    change = figure.change
    unite = figure.indicator.unite
    if comparison is None or figure.value is None:
        return None
    if change is None:
        text = (
            f"Non comparable avec {comparison} (valeur approchée ou périmètre différent)"
            if figure.comparison_published
            else f"{comparison} : non publié"
        )
        return html.Div(text, className="kpi-change")
    parts = []
    if change.computed_abs is not None:
        computed = format_change(change.computed_abs, "evolution_val", unite)
        if change.computed_pct is not None and unite != "%":
            computed += f" ({format_change(change.computed_pct, 'evolution_pct', unite, decimals=1)})"
        parts.append(f"calculée : {computed}")
    published = []
    if change.published_abs is not None:
        published.append(format_change(change.published_abs, "evolution_val", unite))
    if change.published_pct is not None:
        published.append(format_change(change.published_pct, "evolution_pct", unite))
    if published:
        parts.append(f"publiée : {' ; '.join(published)}")
    return html.Div(f"Évolution depuis {comparison} — {' · '.join(parts)}", className="kpi-change")


def _source(figure: KeyFigure) -> html.Div | None:
    if not figure.sources:
        return None
    items: list[html.Span | html.A | str] = ["Source : "]
    for i, (title, url) in enumerate(figure.sources):
        if i:
            items.append(" ; ")
        if url:
            items.append(html.A(title, href=url, target="_blank", rel="noopener noreferrer"))
        else:
            items.append(html.Span(title))
    return html.Div(items, className="kpi-source", title=" ; ".join(t for t, _ in figure.sources))


def build_kpi_card(figure: KeyFigure, *, comparison: int | None, caisse_names: dict[str, str]) -> html.Div:
    """One card; a figure that was not published reads « non publié », never zero."""
    ind = figure.indicator
    if figure.value is None:
        value_text = NON_PUBLIE
    else:
        value_text = format_value(figure.value, ind.unite, figure.qualificatif)
    notes: list[str] = []
    if figure.summed:
        notes.append(f"Somme de {len(figure.caisses_published)} caisses")
    if figure.not_summable:
        notes.append("Non additionnable entre caisses : valeur par caisse ci-dessous")
    elif figure.value is None and figure.caisses_published and figure.caisses_missing:
        missing = ", ".join(caisse_names.get(c, c) for c in figure.caisses_missing)
        notes.append(f"Somme impossible : non publié pour {missing}")
    if figure.derived:
        notes.append("Valeur calculée à partir de chiffres publiés")
    details = []
    if len(figure.by_caisse) > 1 or (figure.value is None and figure.by_caisse):
        details = [
            html.Li(f"{caisse_names.get(c, c)} : {format_value(v, ind.unite, q)}")
            for c, v, q in figure.by_caisse
        ]
    children = [
        html.Div(ind.libelle, className="kpi-label"),
        html.Div(value_text, className="kpi-value" + (" unpublished" if figure.value is None else "")),
        *[html.Div(note, className="kpi-note") for note in notes],
        html.Ul(details, className="kpi-by-caisse") if details else None,
        _change_line(figure, comparison),
        _source(figure),
    ]
    return html.Div(
        [c for c in children if c is not None],
        className="kpi-card",
        title=ind.definition,
        **html_attrs(data_indicator=ind.code),
    )
