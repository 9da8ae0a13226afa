"""The theme: one source of colours and fonts for figures and CSS, readable, exported at slide size."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import theme

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _root_variables(css: str) -> dict[str, str]:
    """The --cpam-* custom properties declared in the stylesheet's top-level :root rule."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    block = re.search(r"(?m)^:root\s*\{(?P<body>[^}]*)\}", css)
    assert block is not None, "assets/app.css has no top-level :root rule"
    return {
        name: " ".join(value.split())
        for name, value in re.findall(r"(--cpam-[\w-]+)\s*:\s*([^;]+);", block.group("body"))
    }


def _luminance(color: str) -> float:
    """WCAG 2.x relative luminance, written out again here so the test does not trust theme's own."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_css_variables_equal_the_theme_values() -> None:
    declared = _root_variables((ASSETS / "app.css").read_text(encoding="utf-8"))
    assert declared == theme.css_variables()


def test_every_theme_colour_is_in_the_css() -> None:
    values = set(theme.css_variables().values())
    for color in (*theme.PALETTE, theme.PRIMARY, theme.TEXT, theme.MUTED, theme.UNPUBLISHED, theme.FOCUS):
        assert color in values


@pytest.mark.parametrize("color", theme.TEXT_COLORS)
def test_text_colours_reach_wcag_aa_on_white(color: str) -> None:
    assert _contrast(color, "#FFFFFF") >= 4.5


def test_white_text_on_the_primary_colour_reaches_aa() -> None:
    assert _contrast(theme.ON_PRIMARY, theme.PRIMARY) >= 4.5


def test_contrast_ratio_matches_the_wcag_formula() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert theme.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert theme.contrast_ratio(theme.MUTED, "#FFFFFF") == pytest.approx(_contrast(theme.MUTED, "#FFFFFF"))


@pytest.mark.parametrize("fill", theme.PALETTE)
def test_labels_on_palette_colours_pick_the_more_readable_text(fill: str) -> None:
    chosen = theme.text_color_on(fill)
    other = theme.ON_PRIMARY if chosen == theme.TEXT else theme.TEXT
    assert _contrast(chosen, fill) >= _contrast(other, fill)
    assert _contrast(chosen, fill) >= 3  # large/bold text threshold at worst


def test_palette_is_okabe_ito() -> None:
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(theme.PALETTE) == okabe_ito
    assert len(theme.PALETTE) == 8


def test_a_caisse_keeps_its_colour_whatever_the_order_it_comes_in() -> None:
    assert theme.series_colors(["cpam-71", "cpam-21"]) == theme.series_colors(["cpam-21", "cpam-71"])
    assert theme.series_colors(["cpam-21"])["cpam-21"] == theme.PALETTE[0]


def test_template_sets_french_separators_palette_and_fonts() -> None:
    layout = theme.TEMPLATE.layout
    assert layout.separators == ",\u00a0"
    assert list(layout.colorway) == list(theme.PALETTE)
    assert layout.font.family == theme.FONT_FAMILY
    assert "DejaVu Sans" in theme.FONT_FAMILY
    assert "Segoe UI" in theme.FONT_FAMILY
    assert layout.paper_bgcolor == "#FFFFFF"
    assert layout.legend.orientation == "h"
    assert layout.yaxis.exponentformat == "none"  # "3 800 000", never "3.8M"


def test_template_turns_off_zoom_and_pan_by_dragging() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"template": theme.TEMPLATE})
    assert fig.layout.template.layout.dragmode is False


def test_template_is_not_the_process_default() -> None:
    # Importing the theme leaves plotly's process-wide default alone: a bare figure keeps plotly's look.
    assert pio.templates.default == "plotly"
    assert go.Figure().layout.template.layout.separators != theme.TEMPLATE.layout.separators
    fig = go.Figure(layout={"template": theme.TEMPLATE})
    fig.layout.template.layout.font.size = 99
    assert theme.TEMPLATE.layout.font.size == theme.FONT_SIZE  # figures get a copy


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_graph_config_exports_a_presentation_image(fmt: str) -> None:
    config = theme.graph_config("canaux-de-contact_cpam-21_2024", fmt)  # type: ignore[arg-type]
    options = config["toImageButtonOptions"]
    assert options["format"] == fmt
    assert options["filename"] == "canaux-de-contact_cpam-21_2024"
    assert (options["width"], options["height"]) == (1600, 900)
    assert options["scale"] == (2 if fmt == "png" else 1)
    assert config["locale"] == "fr"
    assert config["displaylogo"] is False
    # The toolbar holds the image download alone: no zoom, pan or selection button to tab through.
    assert config["modeBarButtons"] == [["toImage"]]
    assert config["scrollZoom"] is False
    assert config["showSendToCloud"] is False


@pytest.mark.parametrize(
    ("panel", "caisses", "year", "expected"),
    [
        ("Canaux de contact", ["CPAM 21"], 2024, "canaux-de-contact_cpam-21_2024"),
        ("canaux-de-contact", ["cpam-21"], 2024, "canaux-de-contact_cpam-21_2024"),
        (
            "Médiation et CRA",
            ["CPAM de la Côte-d'Or", "cpam-71"],
            2023,
            "mediation-et-cra_cpam-de-la-cote-d-or-cpam-71_2023",
        ),
        ("Téléservices", [], 2022, "teleservices_toutes-caisses_2022"),
        ("Comparer", ["a", "b", "c", "d"], 2024, "comparer_4-caisses_2024"),
        ("../../etc/passwd", ["<script>"], 2024, "etc-passwd_script_2024"),
    ],
)
def test_export_filename_is_a_safe_ascii_slug(
    panel: str, caisses: list[str], year: int, expected: str
) -> None:
    name = theme.export_filename(panel, caisses, year)
    assert name == expected
    assert re.fullmatch(r"[a-z0-9_-]+", name)


def test_export_filename_is_bounded() -> None:
    assert len(theme.export_filename("x" * 300, ["cpam-21"], 2024)) <= 120


def test_french_locale_asset_is_plotly_fr_and_survives_lazy_loading() -> None:
    script = (ASSETS / "fr.js").read_text(encoding="utf-8")
    assert 'name:"fr"' in script
    # Queued when plotly.js is not loaded yet (Dash 4 loads it lazily), registered at once otherwise.
    assert "window.PlotlyLocales.push(locale)" in script
    assert "Plotly.register(locale)" in script


def test_vendored_bootstrap_keeps_its_licence_and_requests_no_source_map() -> None:
    css = (ASSETS / "00-bootstrap.min.css").read_text(encoding="utf-8")
    assert "Bootstrap  v5.3" in css
    assert "Licensed under MIT" in css
    assert "sourceMappingURL" not in css
    assert "http://" not in css.replace("http://www.w3.org/2000/svg", "")
    assert "@import" not in css
