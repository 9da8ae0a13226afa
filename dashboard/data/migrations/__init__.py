"""Schema migrations (Alembic): upgrade a store in place, or tell that it needs one.

A fresh store gets today's tables directly and is stamped with the latest revision; a store made by an
earlier version is upgraded by ``python -m dashboard db upgrade``. A store made before migrations existed
(tables but no ``alembic_version``) holds exactly the tables of the first revision, so it is stamped there
and upgraded from it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

BASELINE = "0001"
UPGRADE_COMMAND = "python -m dashboard db upgrade"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The latest revision: the one a store of this version of the code must carry."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package ships at least the baseline
    return head


def current_revision(conn: Connection) -> str | None:
    """The store's revision; None for an empty store or one made before migrations existed."""
    return MigrationContext.configure(conn).get_current_revision()


def is_empty(conn: Connection) -> bool:
    """True when the database holds none of the dashboard's tables."""
    return not inspect(conn).has_table("observations")


def stamp_head(conn: Connection) -> None:
    """Record a freshly created store as carrying the latest revision."""
    command.stamp(_config(conn), "head")


def needs_upgrade(conn: Connection) -> bool:
    """True when the store was made by an earlier version and must be upgraded before use."""
    return not is_empty(conn) and current_revision(conn) != head_revision()


def upgrade(conn: Connection, revision: str = "head") -> tuple[str | None, str]:
    """Run every missing revision up to ``revision`` (the latest by default) inside the caller's transaction.

    Returns:
        The revision before, and the revision after.
    """
    before = current_revision(conn)
    if before is None and not is_empty(conn):
        command.stamp(_config(conn), BASELINE)
    command.upgrade(_config(conn), revision)
    return before, head_revision() if revision == "head" else revision
