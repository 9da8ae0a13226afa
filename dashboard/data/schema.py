"""The store's tables (SQLAlchemy Core): référentiel, figures, imports, version, users, catalog.

The schema evolves only through the Alembic revisions of `dashboard/data/migrations`: a change here comes with
a new revision (a test checks that the revisions build exactly these tables).
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dashboard.data import columns as col

metadata = MetaData()

departements = Table(
    "departements",
    metadata,
    Column("code", String(3), primary_key=True),
    Column("nom", String(80), nullable=False),
    Column("region", String(80), nullable=False),
)

caisses = Table(
    "caisses",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("nom", String(120), nullable=False),
    Column("departement", String(3), ForeignKey("departements.code"), nullable=False, index=True),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fichier", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("importe_le", DateTime(timezone=True), nullable=False),
    Column("auteur", String(120), nullable=False),
    Column("lignes", Integer, nullable=False),
    Column("nouvelles", Integer, nullable=False),
    Column("modifiees", Integer, nullable=False),
    Column("inchangees", Integer, nullable=False),
)

# One figure: its key (one stored figure per key), then the fields a later import may change. The figures
# (observations) and their previous versions (replaced_values) share these columns.
OBSERVATION_KEY: Final = (
    col.CAISSE,
    col.ANNEE,
    col.INDICATEUR,
    col.PERIODE,
    col.NATURE,
    col.ANNEE_REFERENCE,
)
OBSERVATION_VALUES: Final = (
    col.VALEUR,
    col.QUALIFICATIF,
    col.DERIVE,
    col.DERIVATION,
    col.SOURCE,
    col.URL,
    col.COMMENTAIRE,
)
OBSERVATION_FIELDS: Final = (*OBSERVATION_KEY, *OBSERVATION_VALUES)


def _observation_columns(
    *, caisse_key: bool, fields: tuple[str, ...] = OBSERVATION_FIELDS
) -> list[Column[Any]]:
    """The columns of these observation fields; ``caisse_key`` ties the caisse to the référentiel."""
    referentiel = [ForeignKey("caisses.id")] if caisse_key else []
    columns: dict[str, Column[Any]] = {
        col.CAISSE: Column(col.CAISSE, String(40), *referentiel, nullable=False),
        col.ANNEE: Column(col.ANNEE, Integer, nullable=False),
        col.INDICATEUR: Column(col.INDICATEUR, String(80), nullable=False),
        col.PERIODE: Column(col.PERIODE, String(12), nullable=False),
        col.NATURE: Column(col.NATURE, String(16), nullable=False),
        col.ANNEE_REFERENCE: Column(col.ANNEE_REFERENCE, Integer, nullable=False),
        col.VALEUR: Column(col.VALEUR, Float, nullable=False),
        col.QUALIFICATIF: Column(col.QUALIFICATIF, String(10), nullable=False),
        col.DERIVE: Column(col.DERIVE, Boolean, nullable=False),
        col.DERIVATION: Column(col.DERIVATION, Text),
        col.SOURCE: Column(col.SOURCE, Text, nullable=False),
        col.URL: Column(col.URL, Text),
        col.COMMENTAIRE: Column(col.COMMENTAIRE, Text),
    }
    return [columns[name] for name in fields]


# A level has annee_reference 0 in the table (NULLs would not collide in the unique key); the read API
# turns it back into a missing value.
observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_observation_columns(caisse_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
    UniqueConstraint(*OBSERVATION_KEY, name="uq_figure"),
    Index("ix_observations_indicateur_annee", "indicateur", "annee"),
    Index("ix_observations_annee", "annee"),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("cle", String(40), primary_key=True),
    Column("valeur", Integer, nullable=False),
)

# What an import replaced: the previous version of every figure it changed, so that undoing the import
# restores exactly those values (and the import that owned them). Figures an import added are the ones it
# still owns and that are not listed here.
replaced_values = Table(
    "replaced_values",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
    *_observation_columns(caisse_key=False),
    Column("ancien_import_id", Integer, ForeignKey("imports.id"), nullable=False, index=True),
)

# An undone import keeps its row in `imports` (the history stays whole); this table says when and by whom.
undone_imports = Table(
    "undone_imports",
    metadata,
    Column("import_id", Integer, ForeignKey("imports.id"), primary_key=True),
    Column("annule_le", DateTime(timezone=True), nullable=False),
    Column("annule_par", String(120), nullable=False),
)

# Accounts for the password login (roles also apply to single sign-on users found here by name).
users = Table(
    "users",
    metadata,
    Column("nom", String(120), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("mot_de_passe", String(255)),  # a werkzeug scrypt hash; NULL for a single sign-on account
    Column("cree_le", DateTime(timezone=True), nullable=False),
)

# Who did what: imports, undos, exports, logins, backups.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("horodatage", DateTime(timezone=True), nullable=False, index=True),
    Column("utilisateur", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Column("import_id", Integer),  # no foreign key: the journal outlives what it describes
)

# Signed-in sessions, checked on every request: signing out, a new password or a removed account ends them
# on the server, whatever copy of the cookie exists. Only a digest of the cookie's token is stored.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("jeton", String(64), primary_key=True),  # SHA-256 of the token carried by the cookie
    Column("nom", String(120), nullable=False, index=True),
    Column("cree_le", DateTime(timezone=True), nullable=False),
    Column("expire_le", DateTime(timezone=True), nullable=False, index=True),
)

# The indicator catalog, as the pages read it: seeded from the package's indicators.csv on first start, then
# changed only by catalog imports (each one journalled in `catalog_imports`, and undoable).
indicators = Table(
    "indicators",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("position", Integer, nullable=False),  # catalog order: pages list indicators in this order
    Column("libelle", String(90), nullable=False),
    Column("definition", Text, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("unite", String(10), nullable=False),
    Column("sommable", Boolean, nullable=False),
    Column("sens", String(10), nullable=False),
    Column("parent", String(80)),
    Column("graphique", String(10), nullable=False),
    Column("essentiel", Boolean, nullable=False),
    Column("synonymes", Text, nullable=False),  # the names a caisse's own files use, separated by « | »
    Column("definition_source", Text, nullable=False),  # where a national definition comes from, or ""
    Column("retire", Boolean, nullable=False),  # hidden from pages; its figures are kept
)

# Each change of the catalog: who, when, which file, what it did, and the whole catalog as it was before
# (JSON), so that undoing it restores the previous catalog exactly.
catalog_imports = Table(
    "catalog_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fichier", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("importe_le", DateTime(timezone=True), nullable=False),
    Column("auteur", String(120), nullable=False),
    Column("nouveaux", Integer, nullable=False),
    Column("modifies", Integer, nullable=False),
    Column("inchanges", Integer, nullable=False),
    Column("supprimes", Integer, nullable=False),
    Column("precedent", Text, nullable=False),
    Column("annule_le", DateTime(timezone=True)),
    Column("annule_par", String(120)),
)

# --- Committees -------------------------------------------------------------------------------------------
# A dossier saved as a committee: its selection, its charts, the data version, and a copy of the figures of
# the selection as they stood, so that the next dossier for the same selection can say what is new, what
# changed (and by which import) and what was withdrawn since.
committees = Table(
    "committees",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cle", String(500), nullable=False, index=True),  # caisses, year and comparison year
    Column("tenu_le", DateTime(timezone=True), nullable=False),
    Column("auteur", String(120), nullable=False),
    Column("caisses", String(400), nullable=False),
    Column("annee", Integer, nullable=False),
    Column("comparaison", Integer),
    Column("graphiques", Text, nullable=False),  # JSON list of chart ids
    Column("version_donnees", Integer, nullable=False),
)

committee_figures = Table(
    "committee_figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("committee_id", Integer, ForeignKey("committees.id"), nullable=False, index=True),
    # A figure's key, value and qualifier, as the observations hold them.
    *_observation_columns(caisse_key=False, fields=(*OBSERVATION_KEY, col.VALEUR, col.QUALIFICATIF)),
    Column("import_id", Integer, nullable=False),  # no foreign key: the copy outlives an undone import
)
