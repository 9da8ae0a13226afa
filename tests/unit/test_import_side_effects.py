"""Importing a module does no work and loads only what it needs (each check in a fresh interpreter)."""

import subprocess
import sys

import pytest


def _run(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    "heavy", ["sqlalchemy", "pydantic", "dashboard.data.importer", "dashboard.data.store"]
)
def test_importing_the_figures_leaves_the_store_and_the_importer_unloaded(heavy):
    loaded = _run(f"import sys, dashboard.figures; print({heavy!r} in sys.modules, 'plotly' in sys.modules)")
    assert loaded == ["False", "True"]  # the figures' own dependencies are there, the store is not


def test_the_timing_hash_of_unknown_names_is_made_on_first_use_not_at_import():
    code = (
        "import werkzeug.security as ws\n"
        "calls = []\n"
        "real = ws.generate_password_hash\n"
        "ws.generate_password_hash = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "from dashboard.security import passwords\n"
        "print(len(calls))\n"
        "passwords.verify_password(None, 'mot de passe inconnu')\n"
        "passwords.verify_password(None, 'un autre mot de passe')\n"
        "print(len(calls))\n"
    )
    assert _run(code) == ["0", "1"]
