"""The text alternative of a chart: one French sentence per indicator."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from dashboard.data.catalog import Indicator
from dashboard.figures import describe
from tests.helpers import CDO, SEL

NB = "\u00a0"


def test_describe_one_caisse_one_year(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations((CDO, "demandes", 3872394))
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary == f"Demandes des assurés, CPAM de la Côte-d'Or, 2024 : 3{NB}872{NB}394."


def test_describe_several_caisses_with_units_qualifiers_and_gaps(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations(
        (CDO, "taux", 96.65),
        (SEL, "taux", 90, {"qualificatif": "environ"}),
        (("cpam-58", "CPAM de la Nièvre"), "taux", math.nan),
        unite="%",
    )
    summary = describe(frame, indicators=[indicator("taux", "Part des e-mails traités en 48 h", "%", "taux")])
    assert summary == (
        f"Part des e-mails traités en 48 h, 2024 : CPAM de la Côte-d'Or, 96,65{NB}% ; "
        f"CPAM de la Nièvre, non publié ; CPAM de Saône-et-Loire, environ 90{NB}%."
    )


def test_describe_across_years(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = pd.concat(
        [
            observations((CDO, "demandes", 3500000), annee=2022),
            observations((CDO, "demandes", 3872394), annee=2024),
        ]
    )
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary == (
        f"Demandes des assurés, CPAM de la Côte-d'Or : 2022, 3{NB}500{NB}000 ; 2024, 3{NB}872{NB}394."
    )


def test_describe_a_published_change(
    observations: Callable[..., pd.DataFrame], indicator: Callable[..., Indicator]
) -> None:
    frame = observations((CDO, "demandes", -13.77, {"nature": "evolution_pct"}))
    summary = describe(frame, indicators=[indicator("demandes", "Demandes des assurés")])
    assert summary.endswith(f": \u221213,77{NB}%.")


def test_describe_nothing(
    indicator: Callable[..., Indicator], observations: Callable[..., pd.DataFrame]
) -> None:
    frame = observations((CDO, "autre", 1))
    assert describe(frame, indicators=[indicator("demandes", "Demandes")]) == "Aucune donnée publiée."
