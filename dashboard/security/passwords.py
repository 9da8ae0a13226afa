"""Password hashes with werkzeug's scrypt (salted, memory-hard); no password is ever stored or logged."""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 12


@cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so that a wrong name costs as much time as a wrong password.

    Made on the first such check, not at import: importing the module costs nothing.
    """
    return generate_password_hash("mot-de-passe-factice-pour-egaliser-le-temps", method="scrypt")


class PasswordError(ValueError):
    """A password that may not be used; the message is French."""


def hash_password(password: str) -> str:
    """The scrypt hash of an acceptable password; PasswordError for a weak one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins.")
    if len(password) > 1024:
        raise PasswordError("Mot de passe trop long : 1 024 caractères au plus.")
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash; a missing hash never matches (and takes as long)."""
    if not password_hash or len(password) > 1024:
        check_password_hash(_dummy_hash(), password[:1024])
        return False
    return check_password_hash(password_hash, password)
