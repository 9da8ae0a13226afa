import io
import zipfile

import pytest

from dashboard.data.parsing import ParseError
from dashboard.data.reading import read_table
from tests.helpers import zip_bomb

LIMIT = 1024 * 1024


def test_oversized_file_is_refused_before_parsing():
    with pytest.raises(ParseError, match="limite"):
        read_table(b"a;b\n" + b"1;2\n" * 1000, "gros.csv", max_bytes=100)


def test_empty_file_is_refused():
    with pytest.raises(ParseError, match="vide"):
        read_table(b"", "vide.csv", max_bytes=LIMIT)


def test_header_without_rows_is_refused():
    with pytest.raises(ParseError, match="aucune ligne"):
        read_table(b"departement;caisse\n\n", "entete.csv", max_bytes=LIMIT)


def test_renamed_binary_is_refused():
    with pytest.raises(ParseError, match="binaire"):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.csv", max_bytes=LIMIT)


def test_workbook_renamed_to_csv_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ParseError, match=r"\.xlsx"):
        read_table(buffer.getvalue(), "donnees.csv", max_bytes=LIMIT)


def test_xlsx_zip_bomb_is_refused_before_inflating():
    data = zip_bomb(20)
    assert len(data) < 100_000
    with pytest.raises(ParseError, match="volumineux"):
        read_table(data, "bombe.xlsx", max_bytes=LIMIT)


def test_non_zip_xlsx_is_refused():
    with pytest.raises(ParseError, match="pas un classeur"):
        read_table(b"departement;caisse\n21;cpam-21\n", "faux.xlsx", max_bytes=LIMIT)


def test_blank_lines_are_skipped_and_line_numbers_kept():
    table = read_table(b"departement;caisse\n21;cpam-21\n\n;\n85;cpam-85\n", "f.csv", max_bytes=LIMIT)
    assert [row.line for row in table.rows] == [2, 5]
    assert table.rows[1].cells == {"departement": "85", "caisse": "cpam-85"}


def test_too_many_rows_are_refused():
    data = b"a;b\n" + b"1;2\n" * 30
    with pytest.raises(ParseError, match="20 lignes"):
        read_table(data, "f.csv", max_bytes=LIMIT, max_rows=20)
