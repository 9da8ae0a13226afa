import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.analysis import records
from dashboard.charts import (
    BuiltChart,
    ChartSpec,
    all_specs,
    build_chart,
    chart_specs,
    complete,
    sources_line,
)
from dashboard.data.catalog import Catalog
from dashboard.figures.layout import unwrap
from dashboard.formatting import MINUS, NBSP, format_number

NB = NBSP

NAMES = {"cpam-21": "CPAM de la Côte-d'Or", "cpam-85": "CPAM de la Vendée"}


def test_specs_follow_the_catalog(tiny_catalog):
    specs = {s.key: s for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog)}
    assert specs["parts-demandes_total"].kind == "part"
    assert specs["parts-demandes_total"].parent.code == "demandes_total"
    assert [i.code for i in specs["parts-demandes_total"].indicators] == ["part_demandes_compte_ameli"]
    assert specs["demandes_total"].kind == "volume"
    assert specs["temps_attente_moyen"].kind == "duree"  # the catalog's kind: drawn as bars
    assert "part_demandes_compte_ameli" not in specs  # drawn with its parent


def test_missing_caisse_becomes_a_nan_row_never_zero(make_frame):
    frame = make_frame(("cpam-21", 2024, "demandes_total", 3872394))
    data = complete(frame, ["demandes_total"], ["cpam-21", "cpam-85"], 2024, NAMES)
    vendee = data[data["caisse"] == "cpam-85"].iloc[0]
    assert math.isnan(vendee["valeur"])
    assert vendee["caisse_nom"] == "CPAM de la Vendée"


def test_chart_for_two_caisses_says_non_publie_for_the_missing_one(make_frame, tiny_catalog):
    frame = make_frame(("cpam-21", 2024, "demandes_total", 3872394))
    spec = next(
        s
        for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog)
        if s.key == "demandes_total"
    )
    built = build_chart(spec, frame, caisses=["cpam-21", "cpam-85"], year=2024, subtitle="2024", names=NAMES)
    texts = [t for trace in built.figure.data for t in (trace.text or ())]
    assert "3\u00a0872\u00a0394" in texts
    assert "non publié" in texts
    assert "3\u00a0872\u00a0394" in built.summary
    assert built.figure.layout.title.text.startswith("Demandes des assurés")
    assert any("Rapport 2024" in (a.text or "") for a in built.figure.layout.annotations)


def test_chart_without_any_figure_is_the_non_publie_placeholder(make_frame, tiny_catalog):
    frame = make_frame(("cpam-21", 2023, "demandes_total", 1))
    spec = next(
        s
        for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog)
        if s.key == "demandes_total"
    )
    built = build_chart(spec, frame, caisses=["cpam-21"], year=2024, subtitle="2024", names=NAMES)
    assert any("non publié" in (a.text or "") for a in built.figure.layout.annotations)
    assert "non publié" in built.summary


# ----------------------------------------------------------------------------- on the embedded data


def spec_of(catalog: Catalog, key: str) -> ChartSpec:
    themes = {ind.theme for ind in catalog}
    return next(
        s for theme in sorted(themes) for s in all_specs(catalog.by_theme(theme), catalog) if s.key == key
    )


def draw(embedded, key: str, caisses: list[str], year: int, comparison: int | None = None) -> BuiltChart:
    frame, catalog = embedded
    names = dict(zip(frame["caisse"], frame["caisse_nom"], strict=True))
    spec = spec_of(catalog, key)
    rows = frame[frame["caisse"].isin(caisses) & frame["indicateur"].isin(spec.codes)]
    subtitle = f"{', '.join(names[c] for c in caisses)} — {year}"
    return build_chart(
        spec, rows, caisses=caisses, year=year, subtitle=subtitle, names=names, comparison=comparison
    )


def bars_of(built: BuiltChart) -> list[go.Bar]:
    return [t for t in built.figure.data if t.type == "bar"]


def notes_of(built: BuiltChart) -> str:
    return next((unwrap(a.text) for a in built.figure.layout.annotations if a.name == "notes"), "")


def unpublished(built: BuiltChart) -> bool:
    return any(a.name == "unpublished" for a in built.figure.layout.annotations)


def test_vendee_2020_draws_its_933_saisines_of_2019_beside_2020(embedded) -> None:
    built = draw(embedded, "mediation_saisines", ["cpam-85"], 2020, comparison=2019)
    before, now = bars_of(built)
    assert (before.name, list(before.y), list(before.text)) == ("2019", [933], ["933"])
    assert (now.name, list(now.y), list(now.text)) == ("2020", [659], ["659"])
    assert built.points == 2
    assert "(comparaison : 2019)" in unwrap(built.figure.layout.title.subtitle.text)
    # The published change and the one the two levels give, each named for what it is.
    assert notes_of(built) == f"Évolution 2019-2020 : {MINUS}30{NB}% (publiée) ; {MINUS}29,4{NB}% (calculée)"
    assert "2019, 933" in built.summary


def test_a_comparison_year_not_published_adds_nothing(embedded) -> None:
    built = draw(embedded, "mediation_saisines", ["cpam-21"], 2024, comparison=2023)
    assert [b.name for b in bars_of(built)] == ["Saisines du médiateur"]
    assert built.points == 1
    assert "comparaison" not in built.figure.layout.title.subtitle.text


def test_a_published_change_is_not_called_calculee_when_the_earlier_level_came_from_it(embedded) -> None:
    built = draw(embedded, "adherents_compte_ameli", ["cpam-21"], 2024, comparison=2023)
    before, now = bars_of(built)
    assert before.text[0] == f"299{NB}359<br>calculée"
    assert now.text[0] == f"312{NB}009"
    notes = notes_of(built)
    assert f"Évolution 2023-2024 : +12{NB}650 (publiée)" in notes
    assert "(calculée)" not in notes
    assert "Valeur calculée (CPAM de la Côte-d'Or, 2023)" in notes
    derived = built.rows[built.rows["derive"].astype(bool)]
    assert list(derived["annee"]) == [2023]
    assert "valeur calculée" in built.summary


def test_css_asi_published_for_the_second_half_of_2024_is_drawn_with_its_period(embedded) -> None:
    built = draw(embedded, "detail-beneficiaires_css", ["cpam-21"], 2024)
    assert not unpublished(built)
    (bar,) = bars_of(built)
    # The catalog's other parts of the total (with or without contribution) were not published: no number.
    drawn = [(y, t) for y, t in zip(bar.y, bar.text, strict=True) if not math.isnan(y)]
    assert drawn == [(28, "28<br>2e semestre 2024")]
    assert f"Sur un total de 45{NB}303" in notes_of(built)
    assert "2e semestre 2024" in built.summary
    # The whole year's total is its own chart: the half-year is never added to nor set against it.
    total = draw(embedded, "beneficiaires_css", ["cpam-21"], 2024)
    assert [list(b.y) for b in bars_of(total)] == [[45303]]


def test_a_month_is_drawn_and_the_other_periods_of_the_year_are_told(embedded) -> None:
    built = draw(embedded, "delai_moyen_traitement_ij", ["cpam-45"], 2022)
    (bar,) = bars_of(built)
    assert bar.text[0] == f"38{NB}jours<br>octobre 2022"
    assert f"Aussi publié : pic 2022 : 45{NB}jours" in notes_of(built)


def test_accompagnement_cote_dor_2024_one_slot_and_its_own_label_per_bar(embedded) -> None:
    built = draw(embedded, "detail-mission_accompagnement_sante_accompagnements", ["cpam-21"], 2024)
    (bar,) = bars_of(built)
    published = [(x, y, t) for x, y, t in zip(bar.x, bar.y, bar.text, strict=True) if not math.isnan(y)]
    assert len(set(bar.x)) == len(bar.x)
    assert sorted(y for _, y, _ in published) == [194, 599, 600]
    assert all(t == format_number(y) for _, y, t in published)
    assert 1199 not in list(bar.y)
    assert f"Sur un total de 1{NB}393" in notes_of(built)


def test_prevention_doubs_2022_a_single_share_is_not_a_full_ring(embedded) -> None:
    built = draw(embedded, "parts-consultants_antenne_ces", ["cpam-25"], 2022)
    (pie,) = built.figure.data
    assert list(pie.values) == [82, pytest.approx(18)]
    assert unwrap(pie.labels[1]) == f"Non ventilé{NB}—{NB}18{NB}%"


def test_finances_doubs_2022_euros_without_cents_on_the_chart(embedded) -> None:
    built = draw(embedded, "depenses_soins_de_ville_ondam", ["cpam-25"], 2022)
    (bar,) = bars_of(built)
    assert bar.text[0] == f"729{NB}117{NB}025{NB}€"


def test_no_chart_puts_a_total_among_its_own_parts(embedded) -> None:
    _, catalog = embedded
    for theme in sorted({ind.theme for ind in catalog}):
        for spec in all_specs(catalog.by_theme(theme), catalog):
            codes = {ind.code for ind in spec.indicators}
            assert not any(ind.parent in codes for ind in spec.indicators), spec.key
    mediation = {s.key: s for s in all_specs(catalog.by_theme("mediation_cra"), catalog)}
    assert [i.code for i in mediation["mediation_saisines"].indicators] == ["mediation_saisines"]
    assert mediation["detail-mediation_saisines"].parent.code == "mediation_saisines"


def test_paris_four_published_years_make_a_time_series(embedded) -> None:
    built = draw(embedded, "visites_accueil_physique", ["cpam-75"], 2021)
    (line,) = built.figure.data
    assert line.type == "scatter"
    assert "lines" in line.mode
    assert list(line.x) == ["2018", "2019", "2020", "2021"]
    assert list(line.y) == [794492, 731284, 384564, 114000]
    assert built.points == 4


def test_two_caisses_side_by_side_non_publie_only_for_the_one_that_did_not_publish(embedded) -> None:
    built = draw(embedded, "demandes_total", ["cpam-21", "cpam-85"], 2024)
    (bar, mark) = built.figure.data
    assert list(bar.x) == ["CPAM de la Côte-d'Or", "CPAM de la Vendée"]
    assert bar.y[0] == 3872394
    assert math.isnan(bar.y[1])
    assert list(mark.text) == ["non publié"]
    assert list(mark.x) == ["CPAM de la Vendée"]
    assert not any("total" in (t.name or "").lower() for t in built.figure.data)
    assert built.points == 1


def _published_in(rows: pd.DataFrame, codes: set[str], year: int) -> bool:
    own = rows[rows["indicateur"].isin(codes) & (rows["annee"] == year) & (rows["nature"] == "niveau")]
    return bool(own["valeur"].notna().any())


def test_every_caisse_and_year_of_the_embedded_data_draws_what_it_published(embedded) -> None:
    """Each caisse × year, with the year before as comparison year: what was published is drawn."""
    frame, catalog = embedded
    names = dict(zip(frame["caisse"], frame["caisse_nom"], strict=True))
    themes = sorted({i.theme for i in catalog})
    specs = [s for theme in themes for s in all_specs(catalog.by_theme(theme), catalog)]
    checked = 0
    for caisse, year in sorted(set(zip(frame["caisse"], frame["annee"], strict=True))):
        rows = frame[frame["caisse"] == caisse]
        in_year = set(rows.loc[rows["annee"] == year, "indicateur"])
        for spec in specs:
            if not in_year & set(spec.codes):
                continue
            own = rows[rows["indicateur"].isin(spec.codes)]
            built = build_chart(
                spec,
                own,
                caisses=[caisse],
                year=year,
                subtitle=names[caisse],
                names=names,
                comparison=year - 1,
            )
            where = (caisse, year, spec.key)
            if _published_in(own, {i.code for i in spec.indicators}, year):
                assert not unpublished(built), where
                assert built.points >= 1, where
            if unpublished(built):
                assert built.points == 0, where
            checked += 1
    assert checked > 200


def test_parts_of_the_comparison_year_are_a_100_percent_bar_above_the_year(make_frame, tiny_catalog) -> None:
    frame = make_frame(
        ("cpam-21", 2023, "demandes_total", 3700000),
        ("cpam-21", 2023, "part_demandes_compte_ameli", 91),
        ("cpam-21", 2024, "demandes_total", 3872394),
        ("cpam-21", 2024, "part_demandes_compte_ameli", 95),
    )
    spec = next(
        s for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog) if s.kind == "part"
    )
    built = build_chart(
        spec, frame, caisses=["cpam-21"], year=2024, subtitle="2024", names=NAMES, comparison=2023
    )
    share = next(t for t in built.figure.data if t.type == "bar" and t.name != "Non ventilé")
    assert list(share.y) == ["CPAM de la Côte-d'Or — 2023", "CPAM de la Côte-d'Or — 2024"]
    assert list(share.x) == [91, 95]
    assert list(share.text) == [f"91{NB}%", f"95{NB}%"]
    assert built.points == 4


def test_a_month_is_never_set_beside_the_whole_comparison_year(make_frame, tiny_catalog) -> None:
    frame = make_frame(
        ("cpam-85", 2019, "demandes_total", 500000),
        ("cpam-85", 2020, "demandes_total", 45000, {"periode": "mois-04"}),
    )
    spec = next(
        s
        for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog)
        if s.key == "demandes_total"
    )
    built = build_chart(
        spec, frame, caisses=["cpam-85"], year=2020, subtitle="2020", names=NAMES, comparison=2019
    )
    (bar,) = bars_of(built)
    assert list(bar.y) == [45000]
    assert bar.text[0] == f"45{NB}000<br>avril 2020"
    assert "comparaison" not in built.figure.layout.title.subtitle.text
    assert built.points == 1


def test_a_breakdown_names_its_total_but_does_not_count_it_among_its_rows(embedded) -> None:
    built = draw(embedded, "detail-mediation_saisines", ["cpam-21"], 2024)
    assert set(built.rows["indicateur"]) == {
        "mediation_saisines_prestations_especes",
        "mediation_saisines_frais_sante",
        "mediation_saisines_acces_medecin_traitant",
    }
    assert built.points == 2
    assert "Sur un total de 463" in notes_of(built)


def test_sources_line_names_each_published_source_once_in_order_from_a_frame_or_its_rows(make_frame):
    frame = make_frame(
        ("cpam-21", 2023, "demandes_total", 3_800_000, {"source": "Rapport 2023"}),
        ("cpam-85", 2023, "demandes_total", float("nan"), {"source": "Rapport non publié"}),
        ("cpam-21", 2024, "demandes_total", 3_872_394, {"source": "Rapport 2024"}),
        ("cpam-85", 2024, "demandes_total", 1_000_000, {"source": "Rapport 2023"}),
    )
    assert sources_line(frame) == "Rapport 2023 ; Rapport 2024"
    assert sources_line(records(frame)) == "Rapport 2023 ; Rapport 2024"
    nothing = "aucun chiffre publié pour cette sélection"
    assert sources_line(frame.iloc[[1]]) == sources_line(records(frame.iloc[[1]])) == nothing
    assert sources_line(frame.drop(columns="source")) == sources_line(frame.iloc[0:0]) == nothing
    assert (
        sources_line(records(frame.drop(columns="source")))
        == sources_line(frame.drop(columns="valeur"))
        == nothing
    )
