"""Passwords are hashed with scrypt and checked in constant-ish time; weak ones are refused."""

import pytest

from dashboard.security.passwords import PasswordError, hash_password, verify_password


def test_a_password_is_stored_as_a_salted_scrypt_hash():
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("scrypt:")
    assert first != second  # salted
    assert "correct horse" not in first


def test_the_right_password_matches_and_others_do_not():
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batter")
    assert not verify_password(None, "correct horse battery")
    assert not verify_password(stored, "x" * 5000)


@pytest.mark.parametrize("password", ["", "court", "x" * 2000])
def test_too_short_or_too_long_passwords_are_refused_in_french(password):
    with pytest.raises(PasswordError, match="Mot de passe trop"):
        hash_password(password)
