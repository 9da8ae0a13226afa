import pickle

from dashboard.charts import summarize
from dashboard.views import Selection, counts_by_theme, drawn_numbers, theme_view


def test_a_cached_view_keeps_neither_figures_nor_read_rows_and_draws_the_same_time_series(embedded) -> None:
    frame, catalog = embedded
    theme = next(t for t in catalog.themes if t.code == catalog.get("visites_accueil_physique").theme)
    indicators = catalog.by_theme(theme.code)
    rows = frame[(frame["caisse"] == "cpam-75") & frame["indicateur"].isin([i.code for i in indicators])]
    selection = Selection(("cpam-75",), 2021, None, {"cpam-75": "CPAM de Paris"}, "CPAM de Paris — 2021")
    view = theme_view(theme, indicators, catalog, rows, selection)
    (chart,) = [c for c in view.charts if c.spec.codes == ("visites_accueil_physique",)]
    assert chart.plan.trend == (2018, 2019, 2020, 2021)
    assert [r["valeur"] for r in chart.plan.published] == [794492, 731284, 384564, 114000]
    assert "2018, 794 492" in chart.summary.replace("\u202f", " ").replace("\u00a0", " ")
    fresh = chart.built.figure

    cached = pickle.loads(pickle.dumps(view))

    (again,) = [c for c in cached.charts if c.spec.codes == ("visites_accueil_physique",)]
    assert again.plan.published == ()
    assert "built" not in again.__dict__
    assert again.summary == chart.summary
    # Read again from the plan's rows, what a cached series says and draws is what it said and drew.
    assert summarize(again.plan) == chart.summary
    assert (
        drawn_numbers([again])
        == drawn_numbers([chart])
        == {("cpam-75", "visites_accueil_physique", y) for y in (2018, 2019, 2020, 2021)}
    )
    assert again.built.figure.to_plotly_json() == fresh.to_plotly_json()


def test_a_series_takes_its_rows_when_drawn_with_non_publie_where_a_caisse_did_not_publish(embedded) -> None:
    frame, catalog = embedded
    theme = next(t for t in catalog.themes if t.code == "mediation_cra")
    indicators = catalog.by_theme(theme.code)
    caisses = ("cpam-21", "cpam-85")
    rows = frame[frame["caisse"].isin(caisses) & frame["indicateur"].isin([i.code for i in indicators])]
    names = {"cpam-21": "CPAM de la Côte-d'Or", "cpam-85": "CPAM de la Vendée"}
    view = theme_view(theme, indicators, catalog, rows, Selection(caisses, 2024, None, names, "2024"))
    series = [c for c in view.charts if c.plan.trend]
    assert [c.spec.key for c in series] == ["mediation_saisines"]
    # The view is planned and summed up from the page's rows read as dicts: most series of a page wait
    # below the window, and their own rows are taken only when they are drawn.
    assert all("rows" not in c.plan.__dict__ for c in series)
    (chart,) = series
    vendee = "CPAM de la Vendée : 2019, 933 ; 2020, 659 ; 2024, non publié"
    assert vendee in chart.summary.replace("\u00a0", " ")

    drawn = chart.plan.rows

    shown = list(zip(drawn["caisse"], drawn["annee"], drawn["valeur"].fillna(-1), strict=True))
    assert shown == [
        ("cpam-85", 2019, 933),
        ("cpam-85", 2020, 659),
        ("cpam-21", 2024, 463),
        ("cpam-85", 2024, -1),
    ]
    assert chart.built.points == 3
    cached = pickle.loads(pickle.dumps(view))
    (again,) = [c for c in cached.charts if c.plan.trend]
    assert again.plan.rows.equals(drawn)


def test_counts_by_theme_adds_up_indicators_and_leaves_out_those_the_catalog_lacks(embedded) -> None:
    _, catalog = embedded
    theme = catalog.get("demandes_total").theme
    sibling = next(i.code for i in catalog.by_theme(theme) if i.code != "demandes_total")
    by_indicator = {"demandes_total": 2, sibling: 3, "inconnu": 5, "mediation_saisines": 0}
    assert counts_by_theme(by_indicator, catalog) == {theme: 5}
