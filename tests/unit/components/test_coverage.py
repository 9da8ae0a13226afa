import pandas as pd

from dashboard.components.coverage import build_coverage_table


def _cells(component) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            walk(node.children)

    walk(component)
    return found


def test_coverage_counts_per_caisse_and_year_with_a_dash_for_none():
    coverage = pd.DataFrame(
        {"caisse": ["cpam-21", "cpam-21", "cpam-21"], "annee": [2024, 2024, 2023], "chiffres": [100, 8, 4]}
    )
    table = build_coverage_table(
        coverage, ["cpam-21", "cpam-85"], [2023, 2024], {"cpam-21": "CPAM de la Côte-d'Or"}
    )
    cells = _cells(table)
    assert cells[:4] == ["Nombre de chiffres publiés par caisse et par année", "Caisse", "2023", "2024"]
    assert cells[4:7] == ["CPAM de la Côte-d'Or", "4", "108"]
    assert cells[7:] == ["cpam-85", "—", "—"]
