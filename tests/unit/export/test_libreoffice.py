"""LibreOffice as a real client: the deck opens in Impress, and its charts are still charts there."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from dashboard.export.deck import build_deck

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : make libreoffice")


def _convert(deck, fmt: str, tmp_path) -> bytes:
    """Convert with a throw-away LibreOffice profile (a shared one locks between runs)."""
    profile = (tmp_path / "profil").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path / "sortie"),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "sortie" / f"{deck.stem}.{fmt}").read_bytes()


def test_libreoffice_reads_the_deck_charts_as_charts_and_prints_them(tmp_path, dossier):
    deck = tmp_path / "dossier.pptx"
    deck.write_bytes(build_deck(dossier))

    converted = _convert(deck, "odp", tmp_path)
    (tmp_path / "dossier.odp").write_bytes(converted)
    with zipfile.ZipFile(tmp_path / "dossier.odp") as archive:
        objects = [n for n in archive.namelist() if re.fullmatch(r"Object \d+/content\.xml", n)]
        charts = [archive.read(n).decode() for n in objects]
    assert len(charts) == 1  # the second chart of the dossier has no native form
    assert 'chart:class="chart:bar"' in charts[0]
    assert "Appels traités" in charts[0]

    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(_convert(deck, "pdf", tmp_path))
    pages = PdfReader(pdf).pages
    assert len(pages) == 1 + len(dossier.figures)
    text = pages[1].extract_text()
    assert dossier.figures[0].title in text
    assert re.search(r"191\D?580", text)  # the data label, with the reader's thousands separator
    assert re.search(r"126\D?212", text)
