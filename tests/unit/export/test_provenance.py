import struct
import xml.etree.ElementTree as ET
import zlib
from io import BytesIO

import plotly.graph_objects as go
from pypdf import PdfReader

from dashboard.export.provenance import file_stem, stamp
from tests.helpers import png_size


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks.append((kind, body))
        position += 12 + length
    return chunks


def test_png_carries_filters_data_version_and_view(renderer, provenance):
    png = renderer.render(go.Figure(), "png", width=120, height=80)
    stamped = stamp(png, "png", "Demandes des assurés", provenance)
    texts = {body.split(b"\x00", 1)[0]: body for kind, body in _chunks(stamped) if kind == b"iTXt"}
    assert "Demandes des assurés".encode() in texts[b"Title"]
    assert b"Version des donn\xc3\xa9es : 7" in texts[b"Description"]
    assert provenance.url.encode() in texts[b"Source"]
    assert png_size(stamped) == (120, 80)


def test_svg_gets_a_title_and_a_description(renderer, provenance):
    svg = renderer.render(go.Figure(), "svg", width=120, height=80)
    root = ET.fromstring(stamp(svg, "svg", "Temps d'attente <moyen>", provenance))
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{namespace}title").text == "Temps d'attente <moyen>"
    description = root.find(f"{namespace}desc").text
    assert "?annee=2024&comparaison=2023&departements=21" in description
    assert provenance.url in description


def test_pdf_document_properties_name_the_selection(renderer, provenance):
    pdf = renderer.render(go.Figure(), "pdf", width=120, height=80)
    metadata = PdfReader(BytesIO(stamp(pdf, "pdf", "Demandes", provenance))).metadata
    assert metadata.title == "Demandes"
    assert "Version des données : 7" in metadata.subject
    assert "CPAM de la Côte-d'Or" in metadata.subject


def test_file_stem_names_page_caisses_year_chart_size_and_data_version():
    stem = file_stem("Canaux de contact", ["cpam-21"], 2024, 7, "parts-demandes_total", "a4")
    assert stem == "canaux-de-contact_cpam-21_2024_parts-demandes_total_a4_donnees-v7"
