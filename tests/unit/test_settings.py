"""Settings: production refuses an unsafe configuration; every setting is documented in the README."""

import re
from pathlib import Path

import pytest

from dashboard.settings import DEV_SECRET_KEY, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 48


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TDB_MODE": "production"}, "TDB_SECRET_KEY est absente"),
        ({"TDB_MODE": "production", "TDB_SECRET_KEY": ""}, "TDB_SECRET_KEY est absente"),
        ({"TDB_MODE": "production", "TDB_SECRET_KEY": DEV_SECRET_KEY}, "clé de développement"),
        ({"TDB_MODE": "production", "TDB_SECRET_KEY": "court"}, "au moins 32 caractères"),
        ({"TDB_MODE": "production", "TDB_SECRET_KEY": GOOD_KEY, "FLASK_DEBUG": "1"}, "débogage"),
        ({"TDB_MODE": "production", "TDB_SECRET_KEY": GOOD_KEY, "DASH_DEBUG": "true"}, "débogage"),
        ({"TDB_AUTH_HEADER": "X-Remote-User\r\nX-Evil"}, "nom d'en-tête"),
        ({"TDB_AUTH_ROLE_HEADER": "X-Remote-Role"}, "n'a de sens qu'avec TDB_AUTH_HEADER"),
        ({"TDB_DECK_TEMPLATE": "/nulle-part/masque.pptx"}, "fichier .pptx existant"),
        ({"TDB_DECK_TEMPLATE": "README.md"}, "fichier .pptx existant"),
    ],
)
def test_unsafe_configuration_is_refused_in_french(environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_production_refuses_the_default_key_even_when_built_in_code():
    with pytest.raises(SettingsError):
        Settings(mode="production")


def test_development_works_without_any_variable():
    settings = Settings.from_env({})
    assert settings.mode == "development"
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.auth_header is None


def test_production_with_a_proper_key_and_single_sign_on_header():
    settings = Settings.from_env(
        {
            "TDB_MODE": "production",
            "TDB_SECRET_KEY": GOOD_KEY,
            "TDB_AUTH_HEADER": "X-Remote-User",
            "TDB_AUTH_ROLE_HEADER": "X-Remote-Role",
        }
    )
    assert (settings.auth_header, settings.auth_role_header) == ("X-Remote-User", "X-Remote-Role")


def test_request_limit_leaves_room_for_a_base64_upload():
    settings = Settings(max_upload_bytes=5 * 1024 * 1024)
    assert settings.max_request_bytes > settings.max_upload_bytes * 4 / 3


def test_every_setting_is_documented_in_the_readme():
    source = "\n".join(
        (ROOT / name).read_text(encoding="utf-8")
        for name in ("dashboard/settings.py", "gunicorn.conf.py", "app.py")
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bTDB_[A-Z_]+\b", source))
    assert names
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert missing == []
