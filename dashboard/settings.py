"""Settings read once from the environment, validated, frozen."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'tableau-de-bord.sqlite3'}"

Mode = Literal["development", "production"]
# The development key is public (it is in this file): production refuses it, and any key under 32 characters.
DEV_SECRET_KEY = "cle-de-developpement-publique-a-ne-jamais-utiliser-en-production"
MIN_SECRET_LENGTH = 32
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_REDIS_URL = re.compile(r"^(redis|rediss|unix)://\S+$")
_TRUE = ("1", "true", "yes", "oui", "on")


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
        secret_key: signs the session cookie (``TDB_SECRET_KEY``); required in production.
        auth_header: request header carrying the user name set by the single sign-on reverse proxy
            (``TDB_AUTH_HEADER``, e.g. ``X-Remote-User``); None for the password login.
        auth_role_header: request header carrying the role in that mode (``TDB_AUTH_ROLE_HEADER``);
            None to take roles from the users table.
        deck_template: a caisse's own PowerPoint master (``TDB_DECK_TEMPLATE``, a ``.pptx``) whose layouts
            the committee deck uses; None for the shipped 16:9 master.
        redis_url: Redis shared by every app server and render worker (``TDB_REDIS_URL``): the cache and
            the export queue; None for the embedded default (in-process cache, thread pool).
    """

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = DEFAULT_DATA_DIR
    mode: Mode = "development"
    max_upload_bytes: int = 5 * 1024 * 1024
    secret_key: str = DEV_SECRET_KEY
    auth_header: str | None = None
    auth_role_header: str | None = None
    deck_template: Path | None = None
    redis_url: str | None = None

    def __post_init__(self) -> None:
        """Refuse what must never run in production, whatever built the settings."""
        if self.mode == "production":
            if not self.secret_key or self.secret_key == DEV_SECRET_KEY:
                raise SettingsError(
                    "TDB_SECRET_KEY est absente ou vaut la clé de développement : en production, donnez une "
                    "clé secrète propre à l'installation (par exemple python -c \"import secrets; "
                    'print(secrets.token_urlsafe(48))").'
                )
            if len(self.secret_key) < MIN_SECRET_LENGTH:
                raise SettingsError(f"TDB_SECRET_KEY doit compter au moins {MIN_SECRET_LENGTH} caractères.")
        for name, value in (
            ("TDB_AUTH_HEADER", self.auth_header),
            ("TDB_AUTH_ROLE_HEADER", self.auth_role_header),
        ):
            if value is not None and not _HEADER_NAME.match(value):
                raise SettingsError(
                    f"{name} vaut « {value[:40]} » : attendu un nom d'en-tête HTTP (X-Remote-User)."
                )
        if self.auth_role_header is not None and self.auth_header is None:
            raise SettingsError("TDB_AUTH_ROLE_HEADER n'a de sens qu'avec TDB_AUTH_HEADER.")
        if self.redis_url is not None and not _REDIS_URL.match(self.redis_url):
            raise SettingsError(
                f"TDB_REDIS_URL vaut « {self.redis_url[:80]} » : attendu une adresse redis://hôte:port/0 "
                "(ou rediss:// avec TLS, unix:// pour un socket)."
            )
        if self.deck_template is not None and (
            self.deck_template.suffix.lower() != ".pptx" or not self.deck_template.is_file()
        ):
            raise SettingsError(
                f"TDB_DECK_TEMPLATE vaut « {str(self.deck_template)[:120]} » : attendu le chemin d'un "
                "fichier .pptx existant (le masque de présentation de la caisse)."
            )

    @property
    def max_request_bytes(self) -> int:
        """The largest HTTP request accepted: an upload travels in base64 (4/3 larger) inside JSON."""
        return self.max_upload_bytes * 4 // 3 + 256 * 1024

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
        if mode == "production" and any(
            env.get(name, "").strip().lower() in _TRUE for name in ("FLASK_DEBUG", "DASH_DEBUG")
        ):
            raise SettingsError(
                "FLASK_DEBUG ou DASH_DEBUG est activé : le débogage est interdit en production."
            )
        return cls(
            secret_key=env.get("TDB_SECRET_KEY") or ("" if mode == "production" else DEV_SECRET_KEY),
            auth_header=env.get("TDB_AUTH_HEADER") or None,
            auth_role_header=env.get("TDB_AUTH_ROLE_HEADER") or None,
            database_url=env.get("TDB_DATABASE_URL", DEFAULT_DATABASE_URL),
            data_dir=Path(env.get("TDB_DATA_DIR", str(DEFAULT_DATA_DIR))),
            mode=mode,  # type: ignore[arg-type]  # checked against the Literal just above
            max_upload_bytes=int(max_mb * 1024 * 1024),
            deck_template=Path(env["TDB_DECK_TEMPLATE"]) if env.get("TDB_DECK_TEMPLATE") else None,
            redis_url=env.get("TDB_REDIS_URL") or None,
        )
