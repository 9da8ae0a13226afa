"""The deck's slide master: the shipped 16:9 one, or a caisse's own ``.pptx`` named by ``TDB_DECK_TEMPLATE``.

The deck asks for four layouts by role (title, section, chart with key figures, table). In the shipped master
(``scripts/build_deck_template.py``) they carry the French names below. In a caisse's master, a layout is
found by the same name, else by a usual English name, else by its placeholders (a centred title for the
title slide, a title alone for the others), so any master made in PowerPoint works without renaming.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, Literal

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

LayoutRole = Literal["title", "section", "chart", "table"]
TEMPLATE_PATH: Final = Path(__file__).resolve().parent / "deck_template.pptx"
LAYOUT_NAMES: Final[dict[LayoutRole, str]] = {
    "title": "Titre du dossier",
    "section": "Titre de section",
    "chart": "Graphique et chiffres clés",
    "table": "Tableau",
}
_ENGLISH: Final[dict[LayoutRole, tuple[str, ...]]] = {
    "title": ("title slide", "diapositive de titre"),
    "section": ("section header", "en-tête de section"),
    "chart": ("title only", "titre seul"),
    "table": ("title and content", "titre et contenu"),
}


class TemplateError(ValueError):
    """The deck master cannot be used; the message is French."""


def open_master(path: Path | None = None) -> Any:
    """A new presentation on the given master (``TDB_DECK_TEMPLATE``), or on the shipped 16:9 one.

    The master's own slides are removed: only its layouts, theme and size are kept.
    """
    source = path or TEMPLATE_PATH
    try:
        prs = Presentation(str(source))
    except Exception as err:  # python-pptx raises several kinds for a file that is not a deck
        raise TemplateError(f"Le masque de présentation {source} est illisible : {err}") from err
    slides = prs.slides._sldIdLst
    for slide_id in list(slides):
        prs.part.drop_rel(slide_id.rId)
        slides.remove(slide_id)
    return prs


def _types(layout: Any) -> set[Any]:
    return {ph.placeholder_format.type for ph in layout.placeholders}


def find_layout(prs: Any, role: LayoutRole) -> Any:
    """The layout of a role: by our French name, a usual name, then by its placeholders."""
    layouts = list(prs.slide_layouts)
    names = {LAYOUT_NAMES[role].casefold(), *_ENGLISH[role]}
    for layout in layouts:
        if layout.name.casefold() in names:
            return layout
    if role == "title":
        wanted = [la for la in layouts if PP_PLACEHOLDER.CENTER_TITLE in _types(la)]
    else:
        wanted = [la for la in layouts if _types(la) & {PP_PLACEHOLDER.TITLE}]
        alone = [la for la in wanted if not _types(la) & {PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY}]
        wanted = alone or wanted
    if wanted:
        return wanted[0]
    if not layouts:
        raise TemplateError("Le masque de présentation ne contient aucune disposition.")
    return layouts[0]
