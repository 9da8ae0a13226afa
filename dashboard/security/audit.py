"""``audit(...)``: one call to journal an action (exports, for instance) with the current user's name."""

from __future__ import annotations

import logging

from dashboard.data import journal
from dashboard.data.store import Store, StoreError
from dashboard.security.auth import current_user

logger = logging.getLogger(__name__)


def _store_of(target: object) -> Store:
    """The store behind a Store, a Repository (``.store``) or a CachedRepository (``.repository.store``)."""
    if isinstance(target, Store):
        return target
    store = getattr(getattr(target, "repository", target), "store", None)
    if not isinstance(store, Store):
        raise TypeError("audit() attend le store, un Repository ou un CachedRepository")
    return store


def audit(
    target: object,
    action: str,
    detail: str = "",
    *,
    user: str | None = None,
) -> bool:
    """Journal an action such as ``audit(repo, "export", "présentation PPTX — cpam-21 — 2024")``.

    Args:
        target: The store, a Repository or the panels' CachedRepository.
        action: A short lower-case word: ``export``, ``import``, ``annulation``…
        detail: What was done, in French (file name, selection, format).
        user: Who did it; by default the person behind the current request (« anonyme » for a viewer).

    Returns:
        True when the entry was written. A read-only or busy database does not stop an export: the failure
        is logged and False returned.
    """
    name = user if user is not None else current_user().label
    try:
        journal.append(_store_of(target), utilisateur=name, action=action, detail=detail)
    except StoreError:
        logger.exception("journal indisponible : %s par %s (%s)", action, name, detail)
        return False
    return True
