"""Addresses that components link to: an indicator's entry in the catalog page."""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

CATALOG_PATH: Final = "/indicateurs"


def indicator_href(code: str) -> str:
    """The address of an indicator's entry in the catalog page (its definition, unit, who published it)."""
    return f"{CATALOG_PATH}/{quote(code, safe='')}"
