import pytest

from dashboard.analysis import key_figure, themes_with_figures, whole_year_levels


def ameli_change_2024(value: float) -> tuple[object, ...]:
    """The Côte-d'Or's published change of its ameli accounts, 2024 against 2023."""
    return (
        "cpam-21",
        2024,
        "adherents_compte_ameli",
        value,
        {"nature": "evolution_val", "annee_reference": 2023},
    )


def test_levels_keep_whole_years_and_drop_changes_and_months(make_frame):
    frame = make_frame(
        ("cpam-21", 2024, "demandes_total", 3872394),
        ameli_change_2024(12650),
        ("cpam-85", 2020, "taux_commande_carte_vitale_en_ligne", 98, {"periode": "mois-04"}),
    )
    assert list(whole_year_levels(frame)["indicateur"]) == ["demandes_total"]


def test_a_whole_year_beats_a_year_end_and_levels_come_by_indicator_caisse_and_year(make_frame):
    frame = make_frame(
        ("cpam-71", 2024, "demandes_total", 2100000, {"periode": "fin_annee"}),
        ("cpam-21", 2024, "demandes_total", 3872394, {"periode": "fin_annee"}),
        ("cpam-21", 2023, "demandes_total", 3700000),
        ("cpam-21", 2024, "demandes_total", 3872000),
        ("cpam-21", 2024, "appels_recus", 812650),
    )
    levels = whole_year_levels(frame)[["indicateur", "caisse", "annee", "valeur"]]
    assert list(levels.itertuples(index=False, name=None)) == [
        ("appels_recus", "cpam-21", 2024, 812650),
        ("demandes_total", "cpam-21", 2023, 3700000),
        ("demandes_total", "cpam-21", 2024, 3872000),  # the whole year, not the year-end figure
        ("demandes_total", "cpam-71", 2024, 2100000),  # a year-end figure where it is the only one
    ]
    assert list(whole_year_levels(frame, [2023])["valeur"]) == [3700000]


def test_published_change_not_restated_as_computed_when_base_year_derived_from_it(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "adherents_compte_ameli", 312009),
        (
            "cpam-21",
            2023,
            "adherents_compte_ameli",
            299359,
            {"derive": True, "derivation": "312 009 − 12 650"},
        ),
        ameli_change_2024(12650),
    )
    card = key_figure(frame, tiny_catalog.get("adherents_compte_ameli"), ["cpam-21"], 2024, 2023)
    assert card.value == 312009
    assert card.change is not None
    # 2023 was derived from the published +12 650: a « calculée » change would only restate it.
    assert card.change.computed_abs is None
    assert card.change.published_abs == 12650


def test_computed_change_beside_published_one_when_both_years_published(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "adherents_compte_ameli", 312009),
        ("cpam-21", 2023, "adherents_compte_ameli", 299359),
        ameli_change_2024(12000),
    )
    card = key_figure(frame, tiny_catalog.get("adherents_compte_ameli"), ["cpam-21"], 2024, 2023)
    assert card.change is not None
    assert card.change.computed_abs == 12650
    assert card.change.published_abs == 12000
    assert card.change.computed_pct == pytest.approx(4.2257, rel=1e-3)


def test_multi_caisse_card_holds_each_caisse_own_figure(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "demandes_total", 3872394),
        ("cpam-21", 2023, "demandes_total", 3800000),
    )
    card = key_figure(frame, tiny_catalog.get("demandes_total"), ["cpam-21", "cpam-85"], 2024, 2023)
    assert card.value is None  # no sum: Vendée did not publish
    assert card.published
    own = {f.caisses_published: f for f in card.per_caisse}
    assert own[("cpam-21",)].value == 3872394
    assert own[("cpam-21",)].change is not None
    assert own[("cpam-21",)].change.computed_abs == 72394
    assert [f.value for f in card.per_caisse if not f.caisses_published] == [None]


def test_part_of_year_stands_in_with_its_period_and_is_never_summed(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "demandes_total", 28, {"periode": "semestre-2"}),
        ("cpam-85", 2024, "demandes_total", 40),
    )
    alone = key_figure(frame, tiny_catalog.get("demandes_total"), ["cpam-21"], 2024, None)
    assert (alone.value, alone.periode) == (28, "semestre-2")
    both = key_figure(frame, tiny_catalog.get("demandes_total"), ["cpam-21", "cpam-85"], 2024, None)
    assert both.value is None
    assert not both.summed


def test_unpublished_year_has_no_value_never_zero(make_frame, tiny_catalog):
    frame = make_frame(("cpam-21", 2024, "demandes_total", 3872394))
    card = key_figure(frame, tiny_catalog.get("demandes_total"), ["cpam-21"], 2023, None)
    assert card.value is None
    assert card.caisses_missing == ("cpam-21",)


def test_sum_across_caisses_only_when_summable_and_complete(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-59-hainaut", 2022, "demandes_total", 100),
        ("cpam-59-roubaix-tourcoing", 2022, "demandes_total", 50),
        ("cpam-59-hainaut", 2022, "taux_commande_carte_vitale_en_ligne", 85, {"unite": "%"}),
        ("cpam-59-roubaix-tourcoing", 2022, "taux_commande_carte_vitale_en_ligne", 80, {"unite": "%"}),
    )
    both = ["cpam-59-hainaut", "cpam-59-roubaix-tourcoing"]
    summed = key_figure(frame, tiny_catalog.get("demandes_total"), both, 2022, None)
    assert (summed.value, summed.summed) == (150, True)
    rate = key_figure(frame, tiny_catalog.get("taux_commande_carte_vitale_en_ligne"), both, 2022, None)
    assert rate.value is None
    assert rate.not_summable
    assert len(rate.by_caisse) == 2


def test_sum_refused_when_a_caisse_did_not_publish(make_frame, tiny_catalog):
    frame = make_frame(("cpam-59-hainaut", 2022, "demandes_total", 100))
    card = key_figure(
        frame,
        tiny_catalog.get("demandes_total"),
        ["cpam-59-hainaut", "cpam-59-roubaix-tourcoing"],
        2022,
        None,
    )
    assert card.value is None
    assert card.caisses_missing == ("cpam-59-roubaix-tourcoing",)


def test_change_not_computed_between_a_bound_and_an_exact_value(make_frame, tiny_catalog):
    frame = make_frame(
        ("cpam-21", 2024, "appels_3646_recus", 1000, {"qualificatif": "plus de"}),
        ("cpam-21", 2023, "appels_3646_recus", 900),
    )
    card = key_figure(frame, tiny_catalog.get("appels_3646_recus"), ["cpam-21"], 2024, 2023)
    assert card.qualificatif == "plus de"
    assert card.change is None


def test_published_change_differing_from_the_computed_one_shows_both(make_frame, tiny_catalog):
    # The Vendée page says "-12 %" for 476 against 792 (about -40 %): both are kept.
    frame = make_frame(
        ("cpam-85", 2020, "demandes_total", 476),
        ("cpam-85", 2019, "demandes_total", 792),
        ("cpam-85", 2020, "demandes_total", -12, {"nature": "evolution_pct", "annee_reference": 2019}),
    )
    card = key_figure(frame, tiny_catalog.get("demandes_total"), ["cpam-85"], 2020, 2019)
    assert card.change.published_pct == -12
    assert card.change.computed_pct == pytest.approx(-39.9, abs=0.1)


def test_themes_with_figures_counts_only_the_year(make_frame):
    frame = make_frame(("cpam-21", 2024, "demandes_total", 1), ("cpam-21", 2023, "beneficiaires_css", 2))
    assert themes_with_figures(
        frame, {"demandes_total": "canaux_contact", "beneficiaires_css": "css"}, 2024
    ) == {"canaux_contact": 1}
