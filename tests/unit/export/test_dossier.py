import plotly.graph_objects as go

from dashboard.export.dossier import inset_figure
from dashboard.figures import FigureText, finish


def test_inset_leaves_title_subtitle_and_source_to_the_slide_and_keeps_the_rest():
    bars = go.Bar(x=["a", "b"], y=[1, 2], showlegend=False)
    figure = finish(go.Figure(bars), FigureText("Titre", "Sous-titre", "Rapport"), notes=["Une note"])

    inset = inset_figure(figure)

    assert inset.layout.title.text == ""
    assert inset.layout.title.subtitle.text == ""
    assert [a.name for a in inset.layout.annotations] == ["notes"]
    assert inset.layout.margin.t < figure.layout.margin.t
    assert inset.layout.margin.b < figure.layout.margin.b
    assert [a.name for a in figure.layout.annotations] == ["notes", "source"]  # the original is untouched
