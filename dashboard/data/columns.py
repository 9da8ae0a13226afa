"""Names and closed vocabularies of the tidy observation frame and of the import format.

The frame columns are the import format's own French column names, defined once here so that no layer
translates them.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from dashboard import periods

# Columns of the import format ("modèle de saisie"), in the order of the template.
DEPARTEMENT: Final = "departement"
CAISSE: Final = "caisse"
ANNEE: Final = "annee"
INDICATEUR: Final = "indicateur"
VALEUR: Final = "valeur"
QUALIFICATIF: Final = "qualificatif"
PERIODE: Final = "periode"
NATURE: Final = "nature"
ANNEE_REFERENCE: Final = "annee_reference"
SOURCE: Final = "source"
URL: Final = "url"
COMMENTAIRE: Final = "commentaire"
DERIVATION: Final = "derivation"

IMPORT_COLUMNS: Final = (
    DEPARTEMENT,
    CAISSE,
    ANNEE,
    INDICATEUR,
    VALEUR,
    QUALIFICATIF,
    PERIODE,
    NATURE,
    ANNEE_REFERENCE,
    SOURCE,
    URL,
    COMMENTAIRE,
    DERIVATION,
)
REQUIRED_COLUMNS: Final = (DEPARTEMENT, CAISSE, ANNEE, INDICATEUR, VALEUR, SOURCE)

# Extra columns of the tidy frame returned by the repository.
CAISSE_NOM: Final = "caisse_nom"
DEPARTEMENT_NOM: Final = "departement_nom"
DERIVE: Final = "derive"
IMPORT_ID: Final = "import_id"
UNITE: Final = "unite"

# The tidy frame: the import columns, then those the repository adds.
FRAME_COLUMNS: Final = (*IMPORT_COLUMNS, DEPARTEMENT_NOM, CAISSE_NOM, UNITE, DERIVE, IMPORT_ID)

Qualifier = Literal["exact", "plus de", "environ", "moins de"]
QUALIFIERS: Final[tuple[str, ...]] = get_args(Qualifier)

# A level, a change in percent, or a change in the indicator's own unit, against `annee_reference`.
Nature = Literal["niveau", "evolution_pct", "evolution_val"]
NATURES: Final[tuple[str, ...]] = get_args(Nature)

# What part of the year a value describes ("annee", "semestre-1", "mois-04"…), with its French words in
# ``dashboard.periods``.
PERIODS: Final[tuple[str, ...]] = periods.CODES

Unit = Literal["nombre", "%", "€", "jours", "heures", "minutes"]
UNITS: Final[tuple[str, ...]] = get_args(Unit)
