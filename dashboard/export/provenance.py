"""Where an exported file comes from: the filters, the data version, the view that reopens it.

Every file made on the server says it twice: in its name (caisses, year, data version) and inside it (PNG
text chunks, an SVG ``<title>``/``<desc>``, PDF document properties, the deck's properties and footnotes),
so that a figure shown at a committee can be traced back to the dashboard view it came from.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from xml.sax.saxutils import escape as xml_escape

from pypdf import PdfReader, PdfWriter

from dashboard.formatting import format_datetime
from dashboard.theme import export_filename

APP_NAME: Final = "Tableau de bord de la qualité de service des CPAM"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_SVG_OPEN: Final = re.compile(rb"<svg\b[^>]*>")


@dataclass(frozen=True, slots=True)
class Provenance:
    """The selection a file was made from.

    Attributes:
        selection: The filters in words (« CPAM de la Côte-d'Or — 2024 (comparaison : 2023) »).
        query: The filters as the URL query string (``?annee=2024&comparaison=2023&departements=21``).
        data_version: The store's data version when the file was made.
        url: The address of the dashboard view that shows the same thing (base URL + path + query).
        exported: When the file was made.
    """

    selection: str
    query: str
    data_version: int
    url: str
    exported: datetime

    def description(self) -> str:
        """One French paragraph naming the filters, the data version, the view and the date."""
        return (
            f"Filtres : {self.selection} ({self.query}). Version des données : {self.data_version}. "
            f"Vue d'origine : {self.url}. Exporté le {format_datetime(self.exported)}."
        )

    def footer(self) -> str:
        """A short line for a page or slide footer."""
        return f"Données : version {self.data_version} · exporté le {format_datetime(self.exported)}"


def file_stem(page: str, caisses: Sequence[str], year: int, data_version: int, *parts: str) -> str:
    """A safe file name without extension: page, caisses, year, extra parts, then the data version.

    Example: ``canaux-de-contact_cpam-21_2024_demandes_total_a4_donnees-v3``.
    """
    base = export_filename(page, caisses, year)
    extra = [re.sub(r"[^a-z0-9_-]+", "-", part.lower()).strip("-_") for part in parts]
    return "_".join([base, *(p for p in extra if p), f"donnees-v{int(data_version)}"])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _itxt(keyword: str, text: str) -> bytes:
    # iTXt: keyword, null, compression flag and method (none), empty language tag and translated keyword.
    return _png_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00" + b"\x00\x00" + text.encode())


def stamp_png(data: bytes, title: str, provenance: Provenance) -> bytes:
    """The PNG with Title, Description, Source and Software text chunks after its header."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("pas un fichier PNG")
    header_end = len(_PNG_SIGNATURE) + 8 + struct.unpack(">I", data[8:12])[0] + 4
    chunks = b"".join(
        (
            _itxt("Title", title),
            _itxt("Description", provenance.description()),
            _itxt("Source", provenance.url),
            _itxt("Software", APP_NAME),
        )
    )
    return data[:header_end] + chunks + data[header_end:]


def stamp_svg(data: bytes, title: str, provenance: Provenance) -> bytes:
    """The SVG with a ``<title>`` (its accessible name) and a ``<desc>`` naming filters, data and view."""
    match = _SVG_OPEN.search(data)
    if match is None:
        raise ValueError("pas un fichier SVG")
    added = (
        f"<title>{xml_escape(title)}</title><desc>{xml_escape(provenance.description())}</desc>"
    ).encode()
    return data[: match.end()] + added + data[match.end() :]


def stamp_pdf(data: bytes, title: str, provenance: Provenance) -> bytes:
    """The PDF with its document properties: title, subject (filters, data version, view), creator."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata(pdf_metadata(title, provenance))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_metadata(title: str, provenance: Provenance) -> dict[str, str]:
    """PDF document properties of an exported file."""
    return {
        "/Title": title,
        "/Subject": provenance.description(),
        "/Keywords": f"filtres {provenance.query}; version des données {provenance.data_version}",
        "/Creator": APP_NAME,
        "/Producer": APP_NAME,
    }


def stamp(data: bytes, fmt: str, title: str, provenance: Provenance) -> bytes:
    """Write the provenance inside a PNG, SVG or PDF file."""
    if fmt == "png":
        return stamp_png(data, title, provenance)
    if fmt == "svg":
        return stamp_svg(data, title, provenance)
    if fmt == "pdf":
        return stamp_pdf(data, title, provenance)
    raise ValueError(f"format inconnu : {fmt!r}")
