"""The files served from assets/ make the browser fetch nothing from another host (internal networks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FILES = sorted(p for p in ASSETS.iterdir() if p.suffix in {".js", ".css"})
# Hosts that appear only as text: XML namespaces, licence and documentation links in comments or messages.
TEXT_ONLY_HOSTS = {
    "www.w3.org",
    "getbootstrap.com",
    "github.com",
    "plotly.com",
    "getify.mit-license.org",
    "syntheti.cc",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_assets_name_no_host_to_fetch_from(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    hosts = set(re.findall(r"https?://([A-Za-z0-9.-]+)", text))
    assert hosts <= TEXT_ONLY_HOSTS, sorted(hosts - TEXT_ONLY_HOSTS)
    # Defaults plotly.js would use (its server, map files) and stylesheet imports stay on this server.
    assert not re.findall(r'dflt:"(?:https?:)?//', text)
    assert not re.findall(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", text)


def test_every_asset_is_checked() -> None:
    assert {p.name for p in FILES} >= {"plotly-basic-4.1.1.min.js", "00-bootstrap.min.css", "fr.js"}
