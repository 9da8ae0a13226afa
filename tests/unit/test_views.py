import pickle

from dashboard.views import Selection, theme_view


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
    assert again.built.figure.to_plotly_json() == fresh.to_plotly_json()
