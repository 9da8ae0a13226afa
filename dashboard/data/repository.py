"""The one door to the data for the layers above: tidy frames, years, caisses, coverage, imports."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, case, func, select

from dashboard.data import columns as col
from dashboard.data import schema
from dashboard.data.catalog import Catalog
from dashboard.data.catalog_store import published_years, read_catalog
from dashboard.data.referentiel import Caisse, Departement, Referentiel
from dashboard.data.store import Store

_OBS = schema.observations
_CAI = schema.caisses
_DEP = schema.departements


class Repository:
    """Read access to the store, returning tidy pandas frames with the columns of ``columns.py``."""

    def __init__(self, store: Store, catalog: Catalog, referentiel: Referentiel) -> None:
        """``catalog`` is the package's: its themes, and its indicators until the store holds a catalog."""
        self.store = store
        self.shipped_catalog = catalog
        self.referentiel = referentiel
        self._catalog_memo: tuple[int, Catalog] | None = None

    @property
    def catalog(self) -> Catalog:
        """The catalog in force at the current data version (every catalog change moves the version)."""
        return self.catalog_at(self.store.data_version())

    def catalog_at(self, version: int) -> Catalog:
        """The catalog in force at ``version``, read from the store once per version."""
        memo = self._catalog_memo
        if memo is None or memo[0] != version:
            with self.store.read() as conn:
                stored = read_catalog(conn, self.shipped_catalog.themes)
            # One tuple assignment: a thread reading meanwhile sees the old pair or the new, never a mix.
            memo = (version, stored or self.shipped_catalog)
            self._catalog_memo = memo
        return memo[1]

    def data_version(self) -> int:
        """Changes with every write; cache keys include it."""
        return self.store.data_version()

    def departements(self) -> tuple[Departement, ...]:
        """Every département of the référentiel."""
        return self.referentiel.departements

    def caisses_of(self, departement: str) -> tuple[Caisse, ...]:
        """The caisses of one département (several in Nord and Pas-de-Calais)."""
        return self.referentiel.caisses_of(departement)

    def available_years(self) -> list[int]:
        """The years that hold at least one figure, ascending."""
        with self.store.read() as conn:
            return sorted(int(y) for y in conn.scalars(select(_OBS.c.annee).distinct()))

    def observations(
        self,
        *,
        indicators: Collection[str] | None = None,
        years: Collection[int] | None = None,
        departements: Collection[str] | None = None,
        caisses: Collection[str] | None = None,
        catalog: Catalog | None = None,
    ) -> pd.DataFrame:
        """Stored figures matching every given filter, one row per figure (columns: ``FRAME_COLUMNS``).

        ``annee_reference`` is missing for a level; ``unite`` is the unit of ``valeur`` (``%`` for a change
        in percent, the unit of ``catalog`` otherwise: the one in force unless the caller already holds it).
        """
        query: Select[tuple[object, ...]] = (
            select(*_SELECTED)
            .join(_CAI, _OBS.c.caisse == _CAI.c.id)
            .join(_DEP, _CAI.c.departement == _DEP.c.code)
            .order_by(_OBS.c.caisse, _OBS.c.annee, _OBS.c.indicateur, _OBS.c.id)
        )
        if indicators is not None:
            query = query.where(_OBS.c.indicateur.in_(list(indicators)))
        if years is not None:
            query = query.where(_OBS.c.annee.in_([int(y) for y in years]))
        if departements is not None:
            query = query.where(_CAI.c.departement.in_(list(departements)))
        if caisses is not None:
            query = query.where(_OBS.c.caisse.in_(list(caisses)))
        with self.store.read() as conn:
            records = conn.execute(query).all()
        return _frame(records, catalog if catalog is not None else self.catalog)

    def counts_by_indicator(self, *, caisses: Collection[str], years: Collection[int]) -> dict[str, int]:
        """How many figures the caisses hold per indicator in these years, counted by the store.

        The rows ``observations`` gives for the same caisses and years (every nature and period, calculated
        values included), without reading them: the menu of themes needs their number alone.
        """
        query = (
            select(_OBS.c.indicateur, func.count())
            .join(_CAI, _OBS.c.caisse == _CAI.c.id)
            .join(_DEP, _CAI.c.departement == _DEP.c.code)
            .where(_OBS.c.caisse.in_(list(caisses)), _OBS.c.annee.in_([int(y) for y in years]))
            .group_by(_OBS.c.indicateur)
        )
        with self.store.read() as conn:
            return {str(code): int(n) for code, n in conn.execute(query).all()}

    def coverage(
        self, *, years: Collection[int] | None = None, departements: Collection[str] | None = None
    ) -> pd.DataFrame:
        """How many figures each caisse published per year and theme.

        Columns: departement, caisse, caisse_nom, annee, theme, indicateurs (distinct indicators), chiffres.
        """
        frame = self.observations(years=years, departements=departements)
        frame = frame[~frame[col.DERIVE].astype(bool)]  # a value calculated from others was not published
        themes = {ind.code: ind.theme for ind in self.catalog}
        frame["theme"] = frame[col.INDICATEUR].map(themes)
        grouped = frame.groupby(
            [col.DEPARTEMENT, col.CAISSE, col.CAISSE_NOM, col.ANNEE, "theme"], as_index=False
        ).agg(indicateurs=(col.INDICATEUR, "nunique"), chiffres=(col.VALEUR, "size"))
        return grouped

    def counts_by_caisse_year(self) -> pd.DataFrame:
        """Figures stored per caisse and year (columns: caisse, caisse_nom, annee, chiffres, calcules).

        ``chiffres`` counts the published figures; ``calcules`` the values calculated from them (``derive``),
        which were not published and are never counted as such.
        """
        derived = func.sum(case((_OBS.c.derive.is_(True), 1), else_=0))
        query = (
            select(
                _OBS.c.caisse,
                _CAI.c.nom,
                _OBS.c.annee,
                (func.count() - derived).label("chiffres"),
                derived.label("calcules"),
            )
            .join(_CAI, _OBS.c.caisse == _CAI.c.id)
            .group_by(_OBS.c.caisse, _CAI.c.nom, _OBS.c.annee)
            .order_by(_OBS.c.caisse, _OBS.c.annee)
        )
        with self.store.read() as conn:
            records = conn.execute(query).all()
        columns = [col.CAISSE, col.CAISSE_NOM, col.ANNEE, "chiffres", "calcules"]
        frame = pd.DataFrame.from_records(records, columns=columns)
        return frame.astype({"chiffres": int, "calcules": int})

    def published_years(self) -> dict[str, dict[str, list[int]]]:
        """For each indicator code: the caisses that published it and, for each, the years (ascending)."""
        with self.store.read() as conn:
            return published_years(conn)

    def imports(self, limit: int = 20) -> pd.DataFrame:
        """The latest imports, newest first."""
        imp = schema.imports
        query = select(imp).order_by(imp.c.id.desc()).limit(limit)
        with self.store.read() as conn:
            records = conn.execute(query).mappings().all()
        return pd.DataFrame([dict(r) for r in records], columns=[c.name for c in imp.columns])


_QUERIED = tuple(c for c in col.FRAME_COLUMNS if c != col.UNITE)
# Where each queried column is read, in _QUERIED's order (``_frame`` reads the rows back by position): the
# département and the names from the référentiel, every other column from the observations.
_FROM_REFERENTIEL: dict[str, ColumnElement[object]] = {
    col.DEPARTEMENT: _CAI.c.departement,
    col.DEPARTEMENT_NOM: _DEP.c.nom.label(col.DEPARTEMENT_NOM),
    col.CAISSE_NOM: _CAI.c.nom.label(col.CAISSE_NOM),
}
_SELECTED = tuple(_FROM_REFERENTIEL[c] if c in _FROM_REFERENTIEL else _OBS.c[c] for c in _QUERIED)
_NUMBERS = {col.ANNEE: "int64", col.VALEUR: "float64", col.IMPORT_ID: "int64", col.DERIVE: "bool"}


def _frame(records: Sequence[Sequence[object]], catalog: Catalog) -> pd.DataFrame:
    """The tidy frame of queried rows, built column by column with its final types.

    Text columns hold plain Python strings (NaN when missing): pandas' own string type, backed by Python
    objects where pyarrow is absent, made every mask, lookup and record conversion of the pages 3 to 5
    times slower, and building the frame then converting its columns cost more than the query.
    """
    values = dict(zip(_QUERIED, zip(*records, strict=True), strict=True)) if records else {}
    data: dict[str, object] = {}
    for name in col.FRAME_COLUMNS:
        if name == col.UNITE:
            units = {ind.code: ind.unite for ind in catalog}
            indicators, natures = values.get(col.INDICATEUR, ()), values.get(col.NATURE, ())
            column: list[object] = [
                "%" if nature == "evolution_pct" else units.get(str(code), "nombre")
                for code, nature in zip(indicators, natures, strict=True)
            ]
            data[name] = pd.Series(column, dtype=object)
        elif name == col.ANNEE_REFERENCE:  # 0 or NULL: a level, which has no reference year
            years = values.get(name, ())
            data[name] = pd.array([int(y) if y else None for y in years], dtype="Int64")
        elif name in _NUMBERS:
            data[name] = np.array(values.get(name, ()), dtype=_NUMBERS[name])
        else:
            data[name] = pd.Series([np.nan if v is None else v for v in values.get(name, ())], dtype=object)
    return pd.DataFrame(data, columns=list(col.FRAME_COLUMNS))
