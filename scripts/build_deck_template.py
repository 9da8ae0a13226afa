"""Build the 16:9 slide master the deck opens (dashboard/export/deck_template.pptx).

python-pptx's own default is a 4:3 master: setting the slide size leaves its layouts' placeholders 10 in
wide. This script starts from it once, widens every placeholder to 13.333 in, keeps four named layouts
(title, section, chart with key figures, table), writes the theme's colours (``dashboard.theme``) into the
colour scheme so that native charts follow the master, tags text French (fr-FR) and lets titles shrink to
fit. The result is committed; run again only to change the master:

    .venv/bin/python scripts/build_deck_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.util import Emu, Inches

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import theme  # noqa: E402  (the script runs from a checkout, not an installed package)
from dashboard.export.deck_layouts import LAYOUT_NAMES, TEMPLATE_PATH  # noqa: E402

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
WIDE = Inches(13.333)
HIGH = Inches(7.5)
# Default layout index → our name (the other seven layouts are removed).
KEEP = {0: "title", 2: "section", 5: "chart", 1: "table"}


def _widen(shapes: object, ratio: float) -> None:
    for shape in shapes:  # type: ignore[attr-defined]
        if shape.left is None or shape.width is None:
            continue
        shape.left, shape.width = Emu(round(shape.left * ratio)), Emu(round(shape.width * ratio))
        shape.top, shape.height = shape.top, shape.height  # written out, so no position is inherited


def _colour_scheme(prs: Presentation) -> None:
    """Accents 1–6 and the dark/light text colours from dashboard.theme (colour-blind safe palette)."""
    master_part = prs.slide_master.part
    theme_part = next(rel.target_part for rel in master_part.rels.values() if rel.reltype.endswith("/theme"))
    root = etree.fromstring(theme_part.blob)
    scheme = root.find(".//a:clrScheme", NS)
    assert scheme is not None
    scheme.set("name", "Tableau de bord CPAM")
    colours = {
        "dk1": theme.TEXT,
        "lt1": theme.BACKGROUND,
        "dk2": theme.PRIMARY,
        "lt2": theme.SURFACE,
        **{f"accent{i}": colour for i, colour in enumerate(theme.PALETTE[:6], start=1)},
        "hlink": theme.PRIMARY,
    }
    for name, colour in colours.items():
        slot = scheme.find(f"a:{name}", NS)
        assert slot is not None
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{NS['a']}}}srgbClr", val=colour.lstrip("#").upper())
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _french_and_shrinking(prs: Presentation) -> None:
    """Every text style tagged fr-FR; the master's title shrinks its text to fit instead of overflowing."""
    master = prs.slide_master._element
    for ppr in master.iterfind(".//p:txStyles//a:defRPr", NS):
        ppr.set("lang", "fr-FR")
    for shape in prs.slide_master.placeholders:
        body = shape.text_frame._txBody.find("a:bodyPr", NS)
        if shape.placeholder_format.type is not None and "TITLE" in str(shape.placeholder_format.type):
            for child in list(body):
                body.remove(child)
            etree.SubElement(body, f"{{{NS['a']}}}normAutofit")


def main() -> None:
    """Write the master next to the deck builder."""
    prs = Presentation()
    ratio = WIDE / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE, HIGH
    layouts = list(prs.slide_layouts)
    # Layouts first: their placeholders inherit the master's position until they are given their own.
    for index, layout in enumerate(layouts):
        if index not in KEEP:
            continue
        _widen(layout.placeholders, ratio)
        layout._element.cSld.set("name", LAYOUT_NAMES[KEEP[index]])
    _widen(prs.slide_master.placeholders, ratio)
    for index, layout in enumerate(layouts):
        if index not in KEEP:
            prs.slide_layouts.remove(layout)
    _colour_scheme(prs)
    _french_and_shrinking(prs)
    props = prs.core_properties
    props.title = "Tableau de bord de la qualité de service des CPAM — masque 16:9"
    props.language = "fr-FR"
    props.author = "Tableau de bord de la qualité de service des CPAM"
    TEMPLATE_PATH.parent.mkdir(parents=True, exist_ok=True)
    prs.save(TEMPLATE_PATH)


if __name__ == "__main__":
    main()
