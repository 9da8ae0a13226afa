"""A person without a mouse: few tab stops from the filters to a chart's data, each with a visible focus."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids
from dashboard.data.shipped_catalog import load_catalog

pytestmark = pytest.mark.browser

REPORTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe"
MAX_STOPS_TO_FIRST_CHART_DATA = 20
MAX_STOPS_PER_CHART = 6

# What the focus is on: its description, the width of its outline, and the chart card it belongs to.
FOCUSED_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const card = el.closest('.chart-card');
    const name = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60);
    return {
        what: `${el.tagName.toLowerCase()}#${el.id} « ${name} »`,
        outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
        card: card ? [...document.querySelectorAll('.chart-card')].indexOf(card) : -1,
        dataSummary: el.matches('.chart-details > summary'),
        skipLink: el.id === 'skip-to-charts',
    };
}"""

# Every element of each chart card that Tab reaches (visible, not disabled, not taken out of the order).
CARD_STOPS_JS = """() => [...document.querySelectorAll('#page-content .chart-card')].map((card) => {
    const candidates = card.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]');
    return [...candidates].filter((el) => {
        if (el.disabled || el.tabIndex < 0) return false;
        if (el.closest('details:not([open]) > :not(summary)')) return false;
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    }).map((el) => (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40));
})"""


def test_from_the_filters_to_the_first_charts_data_in_at_most_20_stops(
    open_page: Callable[[str], Page],
) -> None:
    page = open_page("/canaux?annee=2024&departements=21")
    page.locator(f"#{ids.YEAR}").focus()
    expect(page.locator(f"#{ids.YEAR}")).to_be_focused()

    # Tab, and Enter on « Aller aux graphiques » as a keyboard user would: each key press is a stop.
    visited = []
    key = "Tab"
    for _ in range(MAX_STOPS_TO_FIRST_CHART_DATA):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED_JS)
        visited.append(f"{key}: {focused['what']}")
        # Every stop shows where the focus is: a ring of 3 px at least (WCAG 2.4.7, RGAA 10.7).
        assert focused["outline"] >= 3, f"focus ring of {focused['outline']} px on {focused['what']}"
        if focused["dataSummary"] and focused["card"] == 0:
            break
        key = "Enter" if focused["skipLink"] else "Tab"
    else:
        pytest.fail(
            f"« Voir les données » of the first chart not reached in {MAX_STOPS_TO_FIRST_CHART_DATA} stops:\n"
            + "\n".join(visited)
        )
    assert any("Aller aux graphiques" in stop for stop in visited), visited
    # The path taken, kept with the accessibility reports (the statement quotes its length).
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "clavier-canaux.json").write_text(
        json.dumps({"stops": len(visited), "path": visited}, ensure_ascii=False, indent=1), "utf-8"
    )
    # Enter opens the table of the chart's figures.
    page.keyboard.press("Enter")
    expect(page.locator(".chart-card").first.locator(".chart-data table")).to_be_visible()


def test_the_skip_to_charts_link_is_offered_only_where_there_are_charts(
    open_page: Callable[[str], Page],
) -> None:
    page = open_page("/accessibilite")
    expect(page.locator(f"#{ids.SKIP_TO_CHARTS}")).to_be_hidden()
    expect(page.locator(f"#{ids.SKIP_TO_CHARTS}")).to_have_attribute("hidden", "")


def test_each_chart_costs_at_most_6_stops(open_page: Callable[[str], Page]) -> None:
    # Every page of the main menu that draws charts for this selection, and Comparer.
    themes = sorted(load_catalog().themes, key=lambda t: t.ordre)
    paths = [t.chemin for t in themes if t.menu] + ["/comparer"]
    measured: dict[str, list[list[str]]] = {}
    for path in paths:
        page = open_page(f"{path}?annee=2024&departements=21")
        cards = page.evaluate(CARD_STOPS_JS)
        page.close()
        if cards:
            measured[path] = cards
        for index, stops in enumerate(cards):
            assert len(stops) <= MAX_STOPS_PER_CHART, f"chart {index + 1} of {path}: {stops}"
            # Only image downloads and the data table: no zoom or pan button.
            words = " ".join(stops).lower()
            assert not any(word in words for word in ("zoom", "déplacer", "pan ", "autoscale")), stops
            assert any(stop.startswith("Voir les données") for stop in stops), stops
    assert "/comparer" in measured, measured
    assert len(measured) >= 2, measured
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "clavier-graphiques.json").write_text(
        json.dumps(
            {"max_stops": max(len(c) for cards in measured.values() for c in cards), "pages": measured},
            ensure_ascii=False,
        ),
        "utf-8",
    )


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+(?:\.\d+)?", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The focus ring of the element with the focus, and the colour it is drawn on (the nearest opaque background).
RING_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    let node = el.parentElement, background = 'rgb(255, 255, 255)';
    while (node) {
        const bg = getComputedStyle(node).backgroundColor;
        if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') { background = bg; break; }
        node = node.parentElement;
    }
    return {width: parseFloat(style.outlineWidth), color: style.outlineColor, background};
}"""


def test_focus_rings_stand_out_on_the_navigation_and_on_the_page(open_page: Callable[[str], Page]) -> None:
    page = open_page("/canaux?annee=2024&departements=21")
    targets = [
        page.get_by_role("navigation").get_by_role("link").first,
        page.locator(f"#{ids.YEAR}"),
        page.locator(f"#{ids.DEPARTEMENTS}-open"),
        page.locator(".chart-export .btn").first,
    ]
    for target in targets:
        target.focus()
        # Focus moved by script shows no ring in Chromium unless it follows a key press: Tab then back.
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        ring = page.evaluate(RING_JS)
        assert ring["width"] >= 3, ring
        # A ring is a non-text contrast (WCAG 1.4.11): 3:1 against what it is drawn on.
        assert _contrast(ring["color"], ring["background"]) >= 3, ring
