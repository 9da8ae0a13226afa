import pytest

from dashboard.data.referentiel import Caisse, Departement
from dashboard.filters import (
    Choices,
    Filters,
    control_values,
    default_filters,
    filters_from_values,
    filters_of_change,
    parse_filters,
    to_query,
)

CHOICES = Choices(
    years=(2019, 2020, 2023, 2024),
    departements=(
        Departement("21", "Côte-d'Or", "Bourgogne-Franche-Comté"),
        Departement("59", "Nord", "Hauts-de-France"),
        Departement("85", "Vendée", "Pays de la Loire"),
        Departement("2A", "Corse-du-Sud", "Corse"),
    ),
    caisses=(
        Caisse("cpam-21", "CPAM de la Côte-d'Or", "21"),
        Caisse("cpam-59-hainaut", "CPAM du Hainaut", "59"),
        Caisse("cpam-59-roubaix-tourcoing", "CPAM de Roubaix-Tourcoing", "59"),
        Caisse("cpam-85", "CPAM de la Vendée", "85"),
        Caisse("cpam-2a", "CPAM de la Corse-du-Sud", "2A"),
    ),
    default_year=2024,
    default_departement="21",
)


def test_empty_query_opens_the_default_view():
    filters, notices = parse_filters("", CHOICES)
    assert filters == default_filters(CHOICES)
    assert (filters.annee, filters.comparaison, filters.departements, filters.caisses) == (
        2024,
        2023,
        ("21",),
        ("cpam-21",),
    )
    assert notices == []


def test_valid_query_round_trips():
    filters, notices = parse_filters("?annee=2020&comparaison=2019&departements=85,59", CHOICES)
    assert notices == []
    assert filters.departements == ("85", "59")
    assert filters.caisses == ("cpam-85", "cpam-59-hainaut", "cpam-59-roubaix-tourcoing")
    again, _ = parse_filters(to_query(filters), CHOICES)
    assert again == filters


def test_one_caisse_of_a_departement_with_several():
    filters, _ = parse_filters("?annee=2024&departements=59&caisses=cpam-59-hainaut", CHOICES)
    assert filters.caisses == ("cpam-59-hainaut",)
    assert "caisses=cpam-59-hainaut" in to_query(filters)


@pytest.mark.parametrize(
    ("query", "notice_word"),
    [
        ("?annee=1900", "Année"),
        ("?annee=abc", "Année"),
        ("?departements=ZZ", "Département"),
        ("?comparaison=2024&annee=2024", "comparaison"),
        ("?departements=21&caisses=cpam-85", "Caisse"),
    ],
)
def test_invalid_values_fall_back_with_a_french_notice(query, notice_word):
    filters, notices = parse_filters(query, CHOICES)
    assert filters.annee in CHOICES.years
    assert filters.departements
    assert len(notices) == 1
    assert notice_word in notices[0]


def test_valid_and_invalid_values_together_keep_the_valid_ones():
    filters, notices = parse_filters("?annee=2020&departements=85,99", CHOICES)
    assert (filters.annee, filters.departements) == (2020, ("85",))
    assert len(notices) == 1


def test_huge_query_is_refused_whole():
    filters, notices = parse_filters("?departements=" + ",".join(["21"] * 2000), CHOICES)
    assert filters == default_filters(CHOICES)
    assert notices


def test_lowercase_corsica_code_is_understood():
    filters, _ = parse_filters("?departements=2a", CHOICES)
    assert filters.departements == ("2A",)


@pytest.mark.parametrize(
    ("year", "comparison", "departements", "caisses"),
    [
        ({"x": 1}, None, None, None),
        ("2024", ["2023"], "21", 5),
        (2024, "aucune", [1, 2], [None]),
        (None, None, ["21"] * 100, ["cpam-21"] * 100),
    ],
)
def test_forged_filter_values_never_raise(year, comparison, departements, caisses):
    filters, _ = filters_from_values(year, comparison, departements, caisses, CHOICES)
    assert filters.annee in CHOICES.years
    assert set(filters.departements) <= {"21", "59", "85", "2A"}


def test_no_comparison_is_kept_in_the_url():
    filters, _ = filters_from_values(2024, "aucune", ["21"], ["cpam-21"], CHOICES)
    assert filters.comparaison is None
    assert "comparaison=aucune" in to_query(filters)
    again, _ = parse_filters(to_query(filters), CHOICES)
    assert again.comparaison is None


def test_a_new_year_brings_its_previous_year_as_comparison():
    filters, notices = filters_from_values(2020, 2023, ["21"], ["cpam-21"], CHOICES, changed="annee")
    assert (filters.annee, filters.comparaison, notices) == (2020, 2019, [])
    filters, _ = filters_from_values(2023, 2019, ["21"], ["cpam-21"], CHOICES, changed="annee")
    assert filters.comparaison is None  # 2022 has no figures: no comparison rather than a wrong one


def test_a_new_year_keeps_no_comparison_when_none_was_chosen():
    filters, _ = filters_from_values(2020, "aucune", ["21"], ["cpam-21"], CHOICES, changed="annee")
    assert filters.comparaison is None


def test_adding_a_departement_brings_all_its_caisses():
    filters, notices = filters_from_values(
        2024, 2023, ["21", "59"], ["cpam-21"], CHOICES, changed="departements"
    )
    assert filters.caisses == ("cpam-21", "cpam-59-hainaut", "cpam-59-roubaix-tourcoing")
    assert not filters.caisses_explicit
    assert notices == []


def test_removing_a_departement_raises_no_warning():
    filters, notices = filters_from_values(
        2024, 2023, ["85"], ["cpam-21", "cpam-85"], CHOICES, changed="departements"
    )
    assert (filters.caisses, notices) == (("cpam-85",), [])


def _every_selection():
    """Every year, comparison, set of up to two départements and subset of their caisses of CHOICES."""
    codes = [d.code for d in CHOICES.departements]
    groups = [(a,) for a in codes] + [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]]
    for year in CHOICES.years:
        for comparison in (None, *(y for y in CHOICES.years if y < year)):
            for deps in groups:
                caisses = [c.id for c in CHOICES.caisses_of(deps)]
                subsets = {tuple(caisses), *((c,) for c in caisses)}
                for chosen in subsets:
                    explicit = set(chosen) != set(caisses)
                    yield Filters(year, comparison, deps, chosen if explicit else tuple(caisses), explicit)


def test_the_controls_of_a_selection_read_back_as_the_same_selection():
    """What the filter bar's callback sets in the controls comes back as a change: it must mean the same."""
    selections = list(_every_selection())
    assert len(selections) > 100
    for filters in selections:
        change = {"values": control_values(filters), "changed": None}
        assert filters_of_change(change, CHOICES) == (filters, []), filters
        assert parse_filters(to_query(filters), CHOICES) == (filters, [])


def test_a_first_visit_change_reads_the_address():
    change = {"search": "?annee=2020&comparaison=aucune&departements=85"}
    assert filters_of_change(change, CHOICES) == parse_filters(change["search"], CHOICES)


def test_a_control_change_follows_the_control_used():
    values = {"annee": 2020, "comparaison": 2023, "departements": ["21"], "caisses": ["cpam-21"]}
    filters, _ = filters_of_change({"values": values, "changed": "annee"}, CHOICES)
    assert filters.comparaison == 2019  # the new year brings its previous one
    filters, _ = filters_of_change({"values": values, "changed": "<script>"}, CHOICES)
    assert filters.comparaison is None  # an unknown control is no control: 2023 does not precede 2020


@pytest.mark.parametrize(
    "change", [None, 3, "?annee=2020", [], {}, {"values": [2020]}, {"search": ["?annee=2020"]}]
)
def test_a_forged_change_opens_the_default_view(change):
    assert filters_of_change(change, CHOICES) == (default_filters(CHOICES), [])


def test_asking_every_caisse_of_the_departements_is_the_implicit_choice():
    filters, _ = parse_filters(
        "?annee=2024&departements=59&caisses=cpam-59-roubaix-tourcoing,cpam-59-hainaut", CHOICES
    )
    assert not filters.caisses_explicit
    assert filters.caisses == ("cpam-59-hainaut", "cpam-59-roubaix-tourcoing")
    assert "caisses=" not in to_query(filters)
