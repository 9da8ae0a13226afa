import threading
import xml.etree.ElementTree as ET
from io import BytesIO

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from dashboard.export.images import SIZES, ExportUnavailable, ImageRenderer
from dashboard.export.projector import SCREEN_HEIGHT, SCREEN_WIDTH
from dashboard.figures import FigureText, finish
from tests.helpers import png_size


@pytest.fixture(scope="module")
def figure():
    bars = go.Bar(x=["a", "b"], y=[3, 4], showlegend=False)
    return finish(
        go.Figure(bars), FigureText("Demandes des assurés", "CPAM de la Côte-d'Or — 2024", "Rapport")
    )


def test_png_has_the_requested_pixel_size(renderer, figure):
    assert png_size(renderer.render(figure, "png", width=320, height=180)) == (320, 180)
    assert png_size(renderer.render(figure, "png", width=320, height=180, scale=2)) == (640, 360)


def test_svg_is_xml_holding_the_title(renderer, figure):
    root = ET.fromstring(renderer.render(figure, "svg", width=400, height=300))
    assert root.tag.endswith("svg")
    texts = " ".join(t for t in root.itertext())
    assert "Demandes des assurés" in texts
    assert "CPAM de la Côte-d'Or — 2024" in texts


def test_pdf_is_one_page_of_the_layout_size_in_points(renderer, figure):
    page = PdfReader(BytesIO(renderer.render(figure, "pdf", width=400, height=300))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (300, 225)
    assert "Demandes des assurés" in page.extract_text()


def test_threads_rendering_at_once_each_get_their_own_image(renderer, figure):
    widths = [200, 240, 280, 320]
    found: dict[int, tuple[int, int]] = {}

    def draw(width: int) -> None:
        found[width] = png_size(renderer.render(figure, "png", width=width, height=150))

    threads = [threading.Thread(target=draw, args=(w,)) for w in widths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {w: (w, 150) for w in widths}


def test_sizes_fit_a_projected_slide_and_an_a4_page():
    slide, a4 = SIZES["diapositive"], SIZES["a4"]
    assert (slide.width, slide.height) == (SCREEN_WIDTH, SCREEN_HEIGHT)  # judged on a 1280 × 720 screen
    assert (slide.width * slide.scale, slide.height * slide.scale) == (1920, 1080)
    assert slide.width * 9 == slide.height * 16
    assert a4.width / a4.height == pytest.approx(297 / 210, rel=0.01)


def test_missing_chromium_says_what_to_install_and_starts_nothing(tmp_path, figure):
    missing = ImageRenderer(tmp_path / "pas-de-chromium")
    with pytest.raises(ExportUnavailable) as error:
        missing.render(figure, "png", width=100, height=100)
    message = str(error.value)
    assert "Chromium est introuvable" in message
    assert "apt-get install chromium" in message
    assert "« Image PNG »" in message
    assert not missing.running


def test_unknown_format_is_refused(renderer, figure):
    with pytest.raises(ValueError, match="format"):
        renderer.render(figure, "gif", width=100, height=100)  # type: ignore[arg-type]
