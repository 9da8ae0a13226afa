"""Charts at a projector's size: every text of a figure enlarged so that it reads from the back of a room.

The builders lay a chart out for a card of about 800 px, with 13–14 px text: stretched on a projected
slide that is about 8 pt. A projected chart needs at least 18 px of text on a 1280 × 720 screen (or the
same proportion at another size). ``for_projector`` multiplies every font size of a figure (its template
included) and the top and bottom margins that hold its title block and source line, which are sized from
those fonts, so nothing overlaps. Pure: a plotly dict in, a new dict out.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from dashboard import theme

# The screen a projected chart is judged on, and the smallest text it must show there.
SCREEN_WIDTH: Final = 1280
SCREEN_HEIGHT: Final = 720
MIN_TEXT_PX: Final = 18

_FONT_KEYS: Final = frozenset({"font", "tickfont", "textfont", "insidetextfont", "outsidetextfont"})


def _scale_fonts(node: Any, factor: float, in_font: bool = False) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if in_font and key == "size" and isinstance(value, int | float) and not isinstance(value, bool):
                node[key] = round(value * factor, 1)
            else:
                _scale_fonts(value, factor, key in _FONT_KEYS)
    elif isinstance(node, list | tuple):
        for value in node:
            _scale_fonts(value, factor)


def for_projector(figure: dict[str, Any], factor: float | None = None) -> dict[str, Any]:
    """A copy of the figure (plotly JSON) with every text ``factor`` times larger, margins to match.

    Args:
        figure: A figure as ``go.Figure.to_plotly_json()`` gives it.
        factor: How much larger; by default ``theme.PROJECTOR_FACTOR``, or more if the figure's smallest
            text (a source line, for instance) would still be under 18 px at 1280 × 720.

    Returns:
        The enlarged figure; the one given is left as it was.
    """
    if factor is None:
        factor = max(theme.PROJECTOR_FACTOR, MIN_TEXT_PX / smallest_text_px(figure))
    enlarged = copy.deepcopy(figure)
    layout = enlarged.setdefault("layout", {})
    if "font" not in layout:  # a figure that relies on the template alone still gets a size to scale
        layout["font"] = {"size": theme.FONT_SIZE}
    _scale_fonts(enlarged, factor)
    margin = layout.setdefault("margin", {})
    for side in ("t", "b"):
        if isinstance(margin.get(side), int | float):
            margin[side] = round(margin[side] * factor)
    return enlarged


def smallest_text_px(figure: dict[str, Any]) -> float:
    """The smallest font size set anywhere in a figure (tests and checks)."""
    sizes: list[float] = []

    def walk(node: Any, in_font: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if in_font and key == "size" and isinstance(value, int | float):
                    sizes.append(float(value))
                else:
                    walk(value, key in _FONT_KEYS)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(figure)
    return min(sizes) if sizes else float(theme.FONT_SIZE)
