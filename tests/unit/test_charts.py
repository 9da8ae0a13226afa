import math

from dashboard.charts import build_chart, chart_specs, complete

NAMES = {"cpam-21": "CPAM de la Côte-d'Or", "cpam-85": "CPAM de la Vendée"}


def test_specs_follow_the_catalog(tiny_catalog):
    specs = {s.key: s for s in chart_specs(tiny_catalog.by_theme("canaux_contact"), tiny_catalog)}
    assert specs["parts-demandes_total"].kind == "part"
    assert specs["parts-demandes_total"].parent.code == "demandes_total"
    assert [i.code for i in specs["parts-demandes_total"].indicators] == ["part_demandes_compte_ameli"]
    assert specs["demandes_total"].kind == "volume"
    assert specs["temps_attente_moyen"].kind == "volume"  # a duration is drawn as bars
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
