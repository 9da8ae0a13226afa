"""The parts of a year a figure may describe: their codes and their French words, defined once.

Formatting writes the words (``formatting.format_periode``, ``formatting.format_date``), parsing reads them
back with a few other spellings (``data.parsing.parse_period``), and the workbook template offers them in
its drop-down list. Standard library only, so every layer may import it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

MONTHS: Final[tuple[str, ...]] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

WHOLE_YEAR: Final = "annee"

# Each period code and the words a person reads, in the order of the template's list. Months are
# "mois-01" … "mois-12".
WORDS: Final = MappingProxyType(
    {
        WHOLE_YEAR: "année",
        "fin_annee": "fin d'année",
        "cumul": "cumul",
        "semestre-1": "1er semestre",
        "semestre-2": "2e semestre",
        "pic": "pic",
        **{f"mois-{i:02d}": month for i, month in enumerate(MONTHS, start=1)},
    }
)
CODES: Final[tuple[str, ...]] = tuple(WORDS)

# Other ways an office writes a period, beside its words and its code (compared without accents or case).
OTHER_SPELLINGS: Final = MappingProxyType(
    {
        "": WHOLE_YEAR,
        "annee entiere": WHOLE_YEAR,
        "fin annee": "fin_annee",
        "cumule": "cumul",
        "premier semestre": "semestre-1",
        "second semestre": "semestre-2",
        "deuxieme semestre": "semestre-2",
    }
)

# The choices of the template's « periode » list: a blank cell is the whole year, so « année » is not listed.
TEMPLATE_CHOICES: Final[tuple[str, ...]] = tuple(word for code, word in WORDS.items() if code != WHOLE_YEAR)
