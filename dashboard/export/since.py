"""« Depuis le dernier comité » in words: the figures new, changed and withdrawn since a saved committee.

Pure: ``data.committees.Changes`` and the catalog in, French lines out, every number through ``formatting``.
The deck's slide, and the Comité page, show the same lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from dashboard.data.catalog import Catalog
from dashboard.data.committees import Changes, FigureKey, FigureState
from dashboard.formatting import format_change, format_date, format_datetime, format_periode, format_value

SINCE_TITLE: Final = "Depuis le dernier comité"


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One changed figure as a table row: what, before, now, and where the new value comes from."""

    kind: str  # « Nouveau », « Modifié » or « Retiré »
    figure: str
    before: str
    after: str
    origin: str


@dataclass(frozen=True, slots=True)
class SinceCommittee:
    """The changes since a committee, ready to show."""

    heading: str
    lines: tuple[ChangeLine, ...]

    @property
    def summary(self) -> str:
        """« 1 chiffre nouveau, 2 modifiés, 0 retiré » in words."""
        count = {kind: sum(1 for line in self.lines if line.kind == kind) for kind in KINDS}
        if not self.lines:
            return "Aucun chiffre n'a changé depuis."
        return (
            f"{count['Nouveau']} chiffre(s) nouveau(x), {count['Modifié']} modifié(s), "
            f"{count['Retiré']} retiré(s)."
        )


KINDS: Final = ("Nouveau", "Modifié", "Retiré")


def _label(key: FigureKey, catalog: Catalog, names: Mapping[str, str]) -> str:
    caisse, annee, code, periode, nature, reference = key
    label = catalog.get(code).libelle if code in catalog else code
    text = f"{label} — {names.get(caisse, caisse)} — {annee}"
    if periode not in ("annee",):
        text += f" ({format_periode(periode).lower()})"
    if nature != "niveau" and reference:
        text += f", évolution depuis {reference}"
    return text


def _value(key: FigureKey, state: FigureState, catalog: Catalog) -> str:
    code, nature = key[2], key[4]
    unite = catalog.get(code).unite if code in catalog else "nombre"
    if nature == "niveau":
        return format_value(state.valeur, unite, state.qualificatif)
    return format_change(state.valeur, nature, unite)


def _origin(state: FigureState) -> str:
    when = f" du {format_date(state.imported)}" if isinstance(state.imported, datetime) else ""
    name = f" « {state.import_file} »" if state.import_file else ""
    return f"import n° {state.import_id}{name}{when}"


def describe_changes(changes: Changes, catalog: Catalog, names: Mapping[str, str]) -> SinceCommittee:
    """The changes since the committee as a heading and one line per figure: new, changed, withdrawn."""
    held = changes.committee
    heading = (
        f"Depuis le comité du {format_datetime(held.held.astimezone())} (données version {held.data_version})"
    )
    lines = [
        ChangeLine("Nouveau", _label(k, catalog, names), "—", _value(k, s, catalog), _origin(s))
        for k, s in changes.new
    ]
    lines += [
        ChangeLine(
            "Modifié", _label(k, catalog, names), _value(k, b, catalog), _value(k, a, catalog), _origin(a)
        )
        for k, b, a in changes.changed
    ]
    lines += [
        ChangeLine("Retiré", _label(k, catalog, names), _value(k, s, catalog), "retiré", "import annulé")
        for k, s in changes.withdrawn
    ]
    return SinceCommittee(heading, tuple(lines))
