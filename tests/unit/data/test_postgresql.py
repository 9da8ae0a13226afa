"""The whole data path on PostgreSQL: first start seeds the embedded figures, reads match SQLite's."""

import pytest

from dashboard.data.context import open_data
from dashboard.settings import Settings

pytestmark = pytest.mark.postgresql


def _figures(data) -> list[tuple]:
    frame = data.repository.observations()
    columns = [
        "caisse",
        "annee",
        "indicateur",
        "periode",
        "nature",
        "valeur",
        "qualificatif",
        "source",
        "url",
    ]
    return sorted(tuple(str(v) for v in row) for row in frame[columns].itertuples(index=False))


def test_embedded_figures_seed_postgresql_exactly_as_sqlite(postgres_database, tmp_path):
    on_postgresql = open_data(Settings(database_url=postgres_database))
    on_sqlite = open_data(Settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"))
    try:
        assert on_postgresql.store.is_postgresql
        assert _figures(on_postgresql) == _figures(on_sqlite)
        assert on_postgresql.repository.available_years() == on_sqlite.repository.available_years()
        assert on_postgresql.store.data_version() == on_sqlite.store.data_version()
        again = open_data(Settings(database_url=postgres_database))  # a second start imports nothing
        assert again.store.import_count() == on_postgresql.store.import_count()
        again.store.dispose()
    finally:
        on_postgresql.store.dispose()
        on_sqlite.store.dispose()
