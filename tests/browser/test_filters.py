"""The filter bar as a director uses it: mouse, keyboard, copied links, back button, two people at once."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from dashboard import ids

pytestmark = pytest.mark.browser

COTE_D_OR = ("21", "21 — Côte-d'Or")
VENDEE = ("85", "85 — Vendée")


def test_choosing_cote_d_or_2024_with_the_dropdowns_shows_its_key_figures(
    open_page: Callable[[str], Page], ui
) -> None:
    # « / » opens on Côte-d'Or 2024 by default: start elsewhere so that the choice is a real change.
    page = open_page("/?annee=2020&departements=85")
    ui.expect_unpublished(page, "demandes_total")

    ui.choose_option(page, ids.YEAR, "2024")
    ui.switch_departement(page, old=VENDEE, new=COTE_D_OR)

    # The comparison year follows the year: the previous one.
    expect(page).to_have_url(re.compile(r"/\?annee=2024&comparaison=2023&departements=21(&|$)"))
    ui.expect_filters(page, "2024", "2023", "21 — Côte-d'Or")
    ui.expect_card(page, "demandes_total", "3 872 394")
    ui.expect_card(page, "part_demandes_compte_ameli", "95 %")


def test_switching_to_vendee_2020_changes_the_figures(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21")
    ui.expect_card(page, "demandes_total", "3 872 394")
    ui.expect_card(page, "mediation_saisines", "463")

    ui.choose_option(page, ids.YEAR, "2020")
    ui.switch_departement(page, old=COTE_D_OR, new=VENDEE)

    ui.expect_filters(page, "2020", "2019", "85 — Vendée")
    expect(page.locator(".page-subtitle")).to_contain_text("CPAM de la Vendée — 2020")
    ui.expect_unpublished(page, "demandes_total")
    ui.expect_card(page, "taux_assures_avec_compte_ameli", "72,6 %")
    ui.expect_card(page, "mediation_saisines", "659")
    ui.expect_card(page, "delai_moyen_traitement_css", "27 jours")

    # The navigation bar carries the filters to the other pages.
    page.get_by_role("navigation").get_by_role("link", name="Téléservices", exact=True).click()
    expect(page).to_have_url(re.compile(r"/teleservices\?annee=2020&comparaison=2019&departements=85(&|$)"))
    expect(page.locator("#page-content h1")).to_have_text("Téléservices et compte ameli")
    ui.settle(page)
    ui.expect_card(page, "taux_assures_avec_compte_ameli", "72,6 %")
    ui.expect_unpublished(page, "adherents_compte_ameli")
    ui.expect_filters(page, "2020", "2019", "85 — Vendée")


def test_copied_url_reopens_the_same_filters(session, new_session, ui) -> None:
    page = session.open("/")
    ui.choose_option(page, ids.YEAR, "2020")
    ui.choose_option(page, ids.COMPARISON, "2018")  # a choice of its own, kept in the address
    ui.switch_departement(page, old=COTE_D_OR, new=VENDEE)
    ui.expect_card(page, "mediation_saisines", "659")
    ui.settle(page)
    copied = page.url
    shown = ui.filter_state(page)
    figures = ui.card_values(page)
    assert shown == ("2020", "2018", "85 — Vendée")

    # Pasted into another browser (nothing shared with the first one but the address).
    other = new_session().open(copied)

    assert ui.filter_state(other) == shown
    assert ui.card_values(other) == figures
    assert other.url == copied


def test_back_and_forward_restore_the_previous_filters(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21")
    ui.expect_filters(page, "2024", "2023", "21 — Côte-d'Or")

    ui.choose_option(page, ids.YEAR, "2022")
    expect(page).to_have_url(re.compile(r"annee=2022&comparaison=2021"))
    ui.expect_unpublished(page, "demandes_total")
    ui.choose_option(page, ids.COMPARISON, "Aucune")
    expect(page).to_have_url(re.compile(r"annee=2022&comparaison=aucune"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"annee=2022&comparaison=2021"))
    ui.expect_filters(page, "2022", "2021", "21 — Côte-d'Or")
    ui.expect_unpublished(page, "demandes_total")

    page.go_back()
    expect(page).to_have_url(re.compile(r"annee=2024&comparaison=2023"))
    ui.expect_filters(page, "2024", "2023", "21 — Côte-d'Or")
    ui.expect_card(page, "demandes_total", "3 872 394")

    page.go_forward()
    expect(page).to_have_url(re.compile(r"annee=2022&comparaison=2021"))
    ui.expect_filters(page, "2022", "2021", "21 — Côte-d'Or")
    ui.expect_unpublished(page, "demandes_total")


def test_filters_work_with_the_keyboard_alone(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21")
    ui.expect_card(page, "demandes_total", "3 872 394")
    keyboard = page.keyboard

    keyboard.press("Tab")
    assert ui.focused(page)["text"] == "Aller au contenu"
    for _ in range(40):
        if ui.focused(page)["id"] == ids.YEAR:
            break
        keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the year filter")
    # The focus is visible on the control (WCAG 2.4.7), and the control is named by its label.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 3
    expect(page.get_by_role("combobox", name="Année", exact=True)).to_be_focused()

    # A native select: each arrow chooses the next year down (2024 → 2023 → 2022).
    keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"annee=2023"))
    ui.settle(page)
    keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"annee=2022"))
    ui.expect_filters(page, "2022", "2021", "21 — Côte-d'Or")
    ui.expect_unpublished(page, "demandes_total")
    ui.wait_focus(page, selector=f"#{ids.YEAR}")  # the focus stays on the control

    # The départements: open the list, type to search, tick with the space bar, close with Escape.
    keyboard.press("Tab")
    keyboard.press("Tab")
    ui.wait_focus(page, selector=f"#{ids.DEPARTEMENTS}-open")
    keyboard.press("Enter")
    expect(page.locator(f"#{ids.DEPARTEMENTS}-panel")).to_be_visible()
    ui.wait_focus(page, selector=f"#{ids.DEPARTEMENTS_SEARCH}")
    keyboard.type("85")
    expect(page.locator(f"#{ids.DEPARTEMENTS} .form-check-label")).to_have_text(["85 — Vendée"])
    keyboard.press("Tab")
    ui.wait_focus(page, label="85 — Vendée")
    keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"departements=21,85"))
    keyboard.press("Escape")
    expect(page.locator(f"#{ids.DEPARTEMENTS}-panel")).to_be_hidden()
    ui.wait_focus(page, selector=f"#{ids.DEPARTEMENTS}-open")
    ui.expect_filters(page, "2022", "2021", "21 — Côte-d'Or, 85 — Vendée")


def test_two_browsers_do_not_share_state(new_session, ui) -> None:
    first, second = new_session(), new_session()
    page_a, page_b = first.new_page(), second.new_page()
    # Both load at the same time.
    page_a.goto(first.server.url("/?annee=2024&departements=21"), wait_until="commit")
    page_b.goto(second.server.url("/?annee=2020&departements=85"), wait_until="commit")
    ui.settle(page_a)
    ui.settle(page_b)
    ui.expect_card(page_a, "demandes_total", "3 872 394")
    ui.expect_unpublished(page_b, "demandes_total")
    ui.expect_card(page_b, "mediation_saisines", "659")

    # One person changes the year; the other's figures stay theirs, before and after a refresh.
    ui.choose_option(page_a, ids.YEAR, "2022")
    page_b.reload(wait_until="commit")
    ui.settle(page_b)
    ui.expect_unpublished(page_a, "demandes_total")
    ui.expect_unpublished(page_a, "mediation_saisines")
    ui.expect_filters(page_b, "2020", "2019", "85 — Vendée")
    ui.expect_card(page_b, "mediation_saisines", "659")
    ui.expect_card(page_b, "taux_assures_avec_compte_ameli", "72,6 %")

    page_a.reload()
    ui.settle(page_a)
    ui.expect_filters(page_a, "2022", "2021", "21 — Côte-d'Or")
    ui.expect_unpublished(page_a, "demandes_total")


def test_filters_are_named_by_their_labels_and_speak_french(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21,85")

    # Each control's accessible name is its label, not its current value.
    expect(page.get_by_role("combobox", name="Année", exact=True)).to_have_value("2024")
    expect(page.get_by_role("combobox", name="Comparer avec", exact=True)).to_have_value("2023")
    departements = page.locator(f"#{ids.DEPARTEMENTS}-open")
    assert departements.evaluate("el => el.getAttribute('aria-labelledby')") == f"{ids.DEPARTEMENTS}-label"
    expect(page.locator(f"#{ids.DEPARTEMENTS}-label")).to_have_text("Départements")

    departements.click()
    panel = page.locator(f"#{ids.DEPARTEMENTS}-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_role("group", name="Départements")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Rechercher un département")).to_be_visible()
    shown = f"{ui.normalise(page.locator('.filter-bar').inner_text())}"
    for english in ("Search", "Select All", "Deselect All", "selected"):
        assert english not in shown
    # A click elsewhere closes the list.
    page.locator(f"label[for={ids.YEAR}]").click()
    expect(panel).to_be_hidden()


class HeldFilterBar:
    """Holds the filter bar's answers and counts the page's and the menu's requests: what waits for what."""

    def __init__(self, page: Page) -> None:
        self.held: list[Route] = []
        self.page_requests = 0
        self.menu_requests = 0
        page.route(re.compile(r"/_dash-update-component"), self.route)

    def route(self, route: Route) -> None:
        output = str((route.request.post_data_json or {}).get("output", ""))
        if f"{ids.URL}.search" in output and f"{ids.NOTICE}.children" in output:
            self.held.append(route)
            return
        self.page_requests += f"{ids.THEME_BODY}.children" in output
        self.menu_requests += output == f"{ids.NAV_THEMES}.children"
        route.continue_()

    def release(self) -> None:
        while self.held:
            self.held.pop().continue_()


START = "?annee=2024&comparaison=2023&departements=21"


@pytest.mark.parametrize(
    ("change", "subtitle", "address"),
    [
        ("année", "CPAM de la Côte-d'Or — 2023", r"annee=2023&comparaison=2022&"),
        ("département", "CPAM de la Côte-d'Or, CPAM de la Vendée — 2024", r"departements=21,85(&|$)"),
    ],
)
def test_a_filter_change_draws_the_page_once_without_waiting_for_the_filter_bar(
    open_page: Callable[[str], Page], ui, change: str, subtitle: str, address: str
) -> None:
    page = open_page(f"/canaux{START}")
    bar = HeldFilterBar(page)

    if change == "année":
        ui.choose_option(page, ids.YEAR, "2023")
    else:
        ui.toggle_departement(page, *VENDEE)

    # The page shows the new selection while the filter bar's answer is still held: one round trip.
    expect(page.locator(".page-subtitle")).to_have_text(ui.spaced(subtitle))
    assert bar.held, "the filter bar's request was sent and is unanswered"
    assert bar.menu_requests == 1, "the theme menu did not wait for the filter bar either"
    assert page.url.endswith(START)
    bar.release()

    # The bar then shows the corrected values (comparison year, caisses) and the address follows; the
    # correction does not draw the page a second time.
    expect(page).to_have_url(re.compile(address))
    ui.settle(page)
    expect(page.locator(".page-subtitle")).to_have_text(ui.spaced(subtitle))
    if change == "année":
        ui.expect_filters(page, "2023", "2022", "21 — Côte-d'Or")
    else:
        assert ui.dropdown_text(page, ids.CAISSES) == "CPAM de la Côte-d'Or, CPAM de la Vendée"
    assert bar.page_requests == 1


def test_an_answer_overtaken_by_a_newer_click_does_not_undo_it(open_page: Callable[[str], Page], ui) -> None:
    page = open_page(f"/canaux{START}")
    bar = HeldFilterBar(page)

    # Two départements ticked within one round trip; the answers then arrive newest first.
    ui.toggle_departement(page, *VENDEE)
    ui.toggle_departement(page, "13", "13 — Bouches-du-Rhône")
    both = "CPAM de la Côte-d'Or, CPAM de la Vendée, CPAM des Bouches-du-Rhône — 2024"
    expect(page.locator(".page-subtitle")).to_have_text(ui.spaced(both))
    assert len(bar.held) == 2, "both answers of the filter bar are held"
    bar.release()

    # The first click's answer, arriving last, does not put back the caisses of 21 and 85 alone.
    expect(page).to_have_url(re.compile(r"departements=21,85,13(&|$)"))
    ui.close_dropdown(page, ids.DEPARTEMENTS)
    ui.settle(page)
    expect(page.locator(".page-subtitle")).to_have_text(ui.spaced(both))
    assert (
        ui.dropdown_text(page, ids.CAISSES)
        == "CPAM de la Côte-d'Or, CPAM de la Vendée, CPAM des Bouches-du-Rhône"
    )
    expect(page.locator(f"#{ids.NOTICE}")).to_be_empty()


def test_adding_a_departement_adds_its_caisse(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21")

    ui.toggle_departement(page, *VENDEE)
    expect(page).to_have_url(re.compile(r"departements=21,85"))
    ui.settle(page)

    assert "caisses=" not in page.url
    assert ui.dropdown_text(page, ids.CAISSES) == "CPAM de la Côte-d'Or, CPAM de la Vendée"
    assert ui.normalise(page.locator(".page-subtitle").inner_text()).startswith(
        "CPAM de la Côte-d'Or, CPAM de la Vendée — 2024"
    )


def test_removing_a_departement_shows_no_warning(open_page: Callable[[str], Page], ui) -> None:
    page = open_page("/?annee=2024&departements=21,85")

    ui.toggle_departement(page, *COTE_D_OR)
    expect(page).to_have_url(re.compile(r"departements=85(&|$)"))
    ui.settle(page)

    assert ui.normalise(page.locator(f"#{ids.NOTICE}").inner_text()) == ""
    assert "caisses=" not in page.url
