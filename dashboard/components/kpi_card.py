"""Key-figure cards: each caisse's value, a total only where allowed, changes, definition and sources.

A card says something true for every caisse it names: one caisse reads as a headline; several read one
line each (« non publié » only for the caisse that did not publish), under a total only when the catalog
allows the sum and every caisse published. Sources shared by the cards of a section are written once, as
numbered notes under the grid, instead of on every card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import dcc, html

from dashboard.analysis import KeyFigure
from dashboard.components import html_attrs
from dashboard.components.links import indicator_href
from dashboard.formatting import NON_PUBLIE, format_change, format_periode, format_value

Source = tuple[str, str | None]


def _with_period(text: str, figure: KeyFigure, year: int | None) -> str:
    if figure.year is None:
        return text
    if figure.periode not in ("annee", "fin_annee"):
        return f"{text} ({format_periode(figure.periode)} {figure.year})"
    # A figure of the comparison year stands in when the year shown has none: it says its year.
    return f"{text} (en {figure.year})" if year is not None and figure.year != year else text


def value_words(figure: KeyFigure, year: int | None = None) -> str:
    """The value of a one-caisse figure as read on a card: value and period, or its published change."""
    unite = figure.indicator.unite
    if figure.value is not None:
        return _with_period(format_value(figure.value, unite, figure.qualificatif), figure, year)
    if figure.published_changes:
        return _published_change_words(figure)[0]
    return NON_PUBLIE


def _published_change_words(figure: KeyFigure) -> list[str]:
    """« +2 % depuis 2023 » for each change the caisse published for the year."""
    unite = figure.indicator.unite
    return [
        format_change(value, nature, unite) + (f" depuis {since}" if since is not None else "")
        for nature, value, since in figure.published_changes
    ]


def change_words(figure: KeyFigure, comparison: int | None, *, brief: bool = False) -> str | None:
    """« Évolution depuis 2023, calculée : +72 394 (+1,9 %) · publiée : +2 % depuis 2023 », or why none.

    ``brief`` (one caisse's line on a card of several) leaves out « 2023 : non publié ».
    """
    unite = figure.indicator.unite
    published = _published_change_words(figure)
    if figure.value is None:
        # Only published changes: the first is the headline, the line says what it is and gives the others.
        if not published:
            return None
        others = f" ; {' ; '.join(published[1:])}" if len(published) > 1 else ""
        return f"Évolution publiée, niveau non publié{others}"
    parts = []
    change = figure.change
    if comparison is not None and change is not None and change.computed_abs is not None:
        computed = format_change(change.computed_abs, "evolution_val", unite)
        if change.computed_pct is not None and unite != "%":
            computed += f" ({format_change(change.computed_pct, 'evolution_pct', unite, decimals=1)})"
        parts.append(f"Évolution depuis {comparison}, calculée : {computed}")
    # With a published change, that change speaks (a base year derived from it is not compared again).
    elif comparison is not None and not published and figure.comparison_published:
        parts.append(f"Non comparable avec {comparison} (valeur approchée ou périmètre différent)")
    elif comparison is not None and not published and not brief:
        parts.append(f"{comparison} : non publié")
    if published:
        parts.append(f"Évolution publiée : {' ; '.join(published)}")
    return " · ".join(parts) if parts else None


def _caisse_lines(
    figure: KeyFigure, comparison: int | None, names: Mapping[str, str], year: int | None
) -> html.Ul:
    items = []
    for own in figure.per_caisse:
        caisse = (own.caisses_published or own.caisses_missing)[0]
        change = change_words(own, comparison, brief=True) if own.published else None
        if not own.published and own.previous is not None and comparison is not None:
            before = format_value(own.previous[0], figure.indicator.unite, own.previous[1])
            change = f"{comparison} : {before}"
        items.append(
            html.Li(
                [
                    html.Span(f"{names.get(caisse, caisse)} : ", className="kpi-caisse"),
                    html.Span(
                        value_words(own, year),
                        className="kpi-caisse-value" + ("" if own.published else " unpublished"),
                    ),
                    html.Div(change, className="kpi-change") if change else None,
                ]
            )
        )
    return html.Ul(items, className="kpi-by-caisse")


def _note_refs(figure: KeyFigure, notes: list[Source]) -> html.Div | None:
    sources = list(figure.sources) or [s for own in figure.per_caisse for s in own.sources]
    if not sources:
        return None
    numbers = []
    for source in dict.fromkeys(sources):
        if source not in notes:
            notes.append(source)
        numbers.append(str(notes.index(source) + 1))
    label = "Source" if len(numbers) == 1 else "Sources"
    return html.Div(f"{label} : note {', '.join(numbers)}", className="kpi-source")


def build_kpi_card(
    figure: KeyFigure,
    *,
    comparison: int | None,
    caisse_names: Mapping[str, str],
    notes: list[Source],
    year: int | None = None,
) -> html.Div:
    """One card of the year shown; ``notes`` collects the section's sources, the card names their numbers."""
    ind = figure.indicator
    several = len(figure.per_caisse) > 1
    # The label links to the indicator's entry in the catalog: its definition, unit and who published it.
    # One component, not a link in a block: a page at full scale mounts some ten cards on every filter
    # change, and each component costs Dash's renderer a pass over the page.
    label = dcc.Link(ind.libelle, href=indicator_href(ind.code), className="kpi-label kpi-label-link")
    children: list[dcc.Link | html.Div | html.Ul | html.Details | None] = [label]
    if not several:
        children.append(
            html.Div(
                value_words(figure, year),
                className="kpi-value" + ("" if figure.published else " unpublished"),
            )
        )
        change = change_words(figure, comparison)
        children.append(html.Div(change, className="kpi-change") if change else None)
    else:
        if figure.summed and figure.value is not None:
            children.append(html.Div(value_words(figure, year), className="kpi-value"))
            children.append(
                html.Div(
                    f"Somme des {len(figure.caisses_published)} caisses, toutes publiées ; "
                    "l'indicateur s'additionne entre caisses",
                    className="kpi-note",
                )
            )
        elif figure.not_summable and sum(own.published for own in figure.per_caisse) > 1:
            children.append(html.Div("Non additionnable entre caisses", className="kpi-note"))
        children.append(_caisse_lines(figure, comparison, caisse_names, year))
    derived = figure.derived or any(own.derived for own in figure.per_caisse)
    if derived:
        children.append(html.Div("Valeur calculée à partir de chiffres publiés", className="kpi-note"))
    children.append(
        html.Details(
            [html.Summary("Définition"), ind.definition],
            className="kpi-definition",
        )
    )
    children.append(_note_refs(figure, notes))
    return html.Div(
        [c for c in children if c is not None],
        className="kpi-card",
        **html_attrs(data_indicator=ind.code),
    )


def build_source_notes(notes: Sequence[Source]) -> html.Ol | None:
    """The numbered sources of a section's cards, written once under the grid."""
    if not notes:
        return None
    items = [
        html.Li(html.A(title, href=url, target="_blank", rel="noopener noreferrer") if url else title)
        for title, url in notes
    ]
    return html.Ol(items, className="kpi-notes", **html_attrs(aria_label="Sources des chiffres clés"))


def build_kpi_section(
    figures: Sequence[KeyFigure],
    *,
    comparison: int | None,
    caisse_names: Mapping[str, str],
    year: int | None = None,
) -> list[html.Div | html.Ol]:
    """The grid of cards of the year shown and, under it, their numbered sources."""
    notes: list[Source] = []
    cards = [
        build_kpi_card(f, comparison=comparison, caisse_names=caisse_names, notes=notes, year=year)
        for f in figures
    ]
    sources = build_source_notes(notes)
    return [html.Div(cards, className="kpi-grid"), *([sources] if sources is not None else [])]
