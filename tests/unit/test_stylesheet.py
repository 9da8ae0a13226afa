"""The stylesheet takes every theme colour from its :root variables, never as a copied literal."""

import re
from pathlib import Path

from dashboard import theme

CSS = (Path(__file__).resolve().parents[2] / "assets" / "app.css").read_text(encoding="utf-8")


def _rules_outside_root() -> str:
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
    root = re.search(r"(?m)^:root\s*\{[^}]*\}", css)
    assert root is not None
    return css[: root.start()] + css[root.end() :]


def test_no_rule_copies_a_theme_colour_instead_of_reading_its_variable():
    rules = _rules_outside_root().upper()
    copied = {
        name: value
        for name, value in theme.css_variables().items()
        if value.startswith("#") and value.upper() in rules
    }
    assert copied == {}


def test_bootstrap_reads_the_theme_colours_through_the_variables():
    root = re.search(r"(?m)^:root\s*\{(?P<body>[^}]*)\}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL))
    assert root is not None
    body = root.group("body")
    assert "--bs-link-color-rgb: var(--cpam-primary-rgb);" in body
    assert "--bs-link-hover-color-rgb: var(--cpam-text-rgb);" in body
    assert theme.css_variables()["--cpam-primary-rgb"] == theme.rgb_triplet(theme.PRIMARY) == "0, 114, 178"
