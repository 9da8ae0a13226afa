"""Stored accounts: a name, a role and, for the password login, a password hash (hashing is done above)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import delete, insert, select, update

from dashboard.data import schema
from dashboard.data.store import Store

Role = Literal["viewer", "editor"]
ROLES: tuple[str, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class Account:
    """One stored account."""

    nom: str
    role: Role
    mot_de_passe: str | None
    cree_le: datetime


def _account(record: dict[str, object]) -> Account:
    role = str(record["role"])
    return Account(
        nom=str(record["nom"]),
        role="editor" if role == "editor" else "viewer",
        mot_de_passe=None if record["mot_de_passe"] is None else str(record["mot_de_passe"]),
        cree_le=record["cree_le"],  # type: ignore[arg-type]  # a DateTime column
    )


def get_account(store: Store, nom: str) -> Account | None:
    """The account of that name, if any."""
    with store.read() as conn:
        found = conn.execute(select(schema.users).where(schema.users.c.nom == nom)).mappings().first()
    return None if found is None else _account(dict(found))


def list_accounts(store: Store) -> list[Account]:
    """Every account, by name."""
    with store.read() as conn:
        records = conn.execute(select(schema.users).order_by(schema.users.c.nom)).mappings().all()
    return [_account(dict(r)) for r in records]


def save_account(store: Store, nom: str, role: Role, password_hash: str | None) -> bool:
    """Create the account, or update its role and password hash; True when it was created.

    Updating an account ends all its sessions: a new password (or a role taken away) must not leave an
    older cookie working.
    """
    with store.write(bump_version=False) as conn:
        exists = conn.scalar(select(schema.users.c.nom).where(schema.users.c.nom == nom)) is not None
        if exists:
            conn.execute(
                update(schema.users)
                .where(schema.users.c.nom == nom)
                .values(role=role, mot_de_passe=password_hash)
            )
            conn.execute(delete(schema.user_sessions).where(schema.user_sessions.c.nom == nom))
        else:
            conn.execute(
                insert(schema.users).values(
                    nom=nom, role=role, mot_de_passe=password_hash, cree_le=datetime.now(UTC)
                )
            )
    return not exists


def delete_account(store: Store, nom: str) -> bool:
    """Remove the account and end its sessions; True when there was one."""
    with store.write(bump_version=False) as conn:
        conn.execute(delete(schema.user_sessions).where(schema.user_sessions.c.nom == nom))
        return bool(conn.execute(delete(schema.users).where(schema.users.c.nom == nom)).rowcount)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, nom: str, lifetime: timedelta) -> str:
    """Record a new session for the account; return its token (the cookie carries it, the store a digest)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.write(bump_version=False) as conn:
        conn.execute(delete(schema.user_sessions).where(schema.user_sessions.c.expire_le < now))
        conn.execute(
            insert(schema.user_sessions).values(
                jeton=_digest(token), nom=nom, cree_le=now, expire_le=now + lifetime
            )
        )
    return token


def session_account(store: Store, token: str) -> Account | None:
    """The account of a live session (not ended, not expired), if any."""
    sessions, users = schema.user_sessions, schema.users
    query = (
        select(users)
        .join(sessions, sessions.c.nom == users.c.nom)
        .where(sessions.c.jeton == _digest(token), sessions.c.expire_le > datetime.now(UTC))
    )
    with store.read() as conn:
        found = conn.execute(query).mappings().first()
    return None if found is None else _account(dict(found))


def close_session(store: Store, token: str) -> None:
    """End one session (signing out)."""
    with store.write(bump_version=False) as conn:
        conn.execute(delete(schema.user_sessions).where(schema.user_sessions.c.jeton == _digest(token)))
