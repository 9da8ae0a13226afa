"""The audit journal: who imported, undid, exported or signed in, and when. Written, never rewritten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from dashboard.data import schema
from dashboard.data.store import Store

MAX_DETAIL = 2000


def record(
    conn: Connection, *, utilisateur: str, action: str, detail: str = "", import_id: int | None = None
) -> None:
    """Append one entry inside the caller's transaction (so it lands with what it describes, or not)."""
    conn.execute(
        insert(schema.audit_log).values(
            horodatage=datetime.now(UTC),
            utilisateur=(utilisateur or "anonyme")[:120],
            action=action[:40],
            detail=detail[:MAX_DETAIL],
            import_id=import_id,
        )
    )


def append(
    store: Store, *, utilisateur: str, action: str, detail: str = "", import_id: int | None = None
) -> None:
    """Append one entry in its own transaction (the data version does not move: no figure changed)."""
    with store.write(bump_version=False) as conn:
        record(conn, utilisateur=utilisateur, action=action, detail=detail, import_id=import_id)


def entries(store: Store, limit: int = 100) -> pd.DataFrame:
    """The latest entries, newest first (columns: id, horodatage, utilisateur, action, detail, import_id)."""
    log = schema.audit_log
    with store.read() as conn:
        records = conn.execute(select(log).order_by(log.c.id.desc()).limit(limit)).mappings().all()
    return pd.DataFrame([dict(r) for r in records], columns=[c.name for c in log.columns])


def count_recent(store: Store, *, action: str, within: timedelta, utilisateur: str, detail: str) -> int:
    """How many entries of that action, user and detail were written in the last ``within``."""
    log = schema.audit_log
    query = select(func.count()).where(
        log.c.action == action[:40],
        log.c.utilisateur == (utilisateur or "anonyme")[:120],
        log.c.detail == detail[:MAX_DETAIL],
        log.c.horodatage >= datetime.now(UTC) - within,
    )
    with store.read() as conn:
        return int(conn.execute(query).scalar_one())
