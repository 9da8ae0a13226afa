"""The catalog page as a person uses it: search without accents, then open one indicator's entry."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import ids

pytestmark = pytest.mark.browser


def test_searching_decroche_finds_the_answer_rate_then_its_entry_opens(session, screenshots) -> None:
    page = session.open("/indicateurs")
    expect(page.locator("#page-content h1")).to_have_text("Catalogue des indicateurs")
    entry = page.locator(".indicator-entry").filter(has_text="Taux de décroché au 3646")
    other = page.locator(".indicator-entry").filter(has_text="Bénéficiaires de l'aide médicale de l'État")
    expect(entry).to_be_visible()
    expect(other).to_be_visible()

    search = page.locator(f"#{ids.INDICATOR_SEARCH}")
    search.fill("DECROCHE")
    search.press("Enter")
    expect(other).to_be_hidden()
    expect(entry).to_be_visible()
    expect(page.locator(f"#{ids.INDICATOR_COUNT}")).to_contain_text("pour « DECROCHE »")
    page.screenshot(path=screenshots / "indicateurs-recherche.png", full_page=True)

    entry.get_by_role("link", name="Taux de décroché au 3646").click()
    expect(page).to_have_url(
        re.compile(r"/indicateurs/taux_decroche_3646(\?.*)?$")
    )  # the shell keeps the filters
    expect(page.locator("#page-content h1")).to_have_text("Taux de décroché au 3646")
    expect(page.locator("#page-content")).to_contain_text("Définition locale")
    expect(page.locator("#page-content")).to_contain_text("pourcentage (%)")
    assert session.watch.console_errors == []
    assert session.watch.page_errors == []
    assert session.watch.outside_requests == []
