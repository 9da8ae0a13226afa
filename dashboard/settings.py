"""Settings read once from the environment, validated, frozen."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'tableau-de-bord.sqlite3'}"

Mode = Literal["development", "production"]


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which, in French."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the app needs to know about its environment.

    Attributes:
        database_url: SQLAlchemy URL of the store (``TDB_DATABASE_URL``); SQLite file by default.
        data_dir: folder of the embedded figures imported on first start (``TDB_DATA_DIR``).
        mode: ``development`` or ``production`` (``TDB_MODE``).
        max_upload_bytes: largest file accepted for import (``TDB_MAX_UPLOAD_MB``, in MiB).
    """

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = DEFAULT_DATA_DIR
    mode: Mode = "development"
    max_upload_bytes: int = 5 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the ``TDB_*`` variables; raise SettingsError with a French message on a bad value."""
        env = os.environ if environ is None else environ
        mode = env.get("TDB_MODE", "development")
        if mode not in ("development", "production"):
            raise SettingsError(f"TDB_MODE vaut « {mode} » : attendu « development » ou « production ».")
        raw_mb = env.get("TDB_MAX_UPLOAD_MB", "5")
        try:
            max_mb = float(raw_mb)
        except ValueError as err:
            raise SettingsError(f"TDB_MAX_UPLOAD_MB vaut « {raw_mb} » : attendu un nombre de Mio.") from err
        if not 0 < max_mb <= 100:
            raise SettingsError("TDB_MAX_UPLOAD_MB doit être compris entre 0 et 100 Mio.")
        return cls(
            database_url=env.get("TDB_DATABASE_URL", DEFAULT_DATABASE_URL),
            data_dir=Path(env.get("TDB_DATA_DIR", str(DEFAULT_DATA_DIR))),
            mode=mode,  # type: ignore[arg-type]  # checked against the Literal just above
            max_upload_bytes=int(max_mb * 1024 * 1024),
        )
