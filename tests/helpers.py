"""What several test modules share: signing in, Dash callback requests, PNG sizes, figure traces, a server.

Fixtures live in the conftest files; the plain functions they and the tests call live here, once.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import math
import os
import re
import struct
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.export.images import find_browser
from tests.servers import Process, answers

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
CALLBACK_URL = "/_dash-update-component"
UPLOAD_LIMIT = 5 * 1024 * 1024  # the default TDB_MAX_UPLOAD_MB


# --- Chromium -------------------------------------------------------------------------------------------


@functools.cache
def chromium_path() -> str | None:
    """The Chromium the app and the browser tests use (``BROWSER_PATH`` or ``PATH``), if it can run."""
    path = find_browser()
    return path if path and Path(path).is_file() and os.access(path, os.X_OK) else None


MISSING_CHROMIUM = "Chromium introuvable (BROWSER_PATH, PATH) : `make chromium` l'installe"


# --- Accounts -------------------------------------------------------------------------------------------


def form_token(client: Any, address: str | None = None) -> str:
    """The anti-forgery token of the sign-in form, as a browser (from that address) would read it."""
    environ = {"REMOTE_ADDR": address} if address else {}
    page = client.get("/connexion", environ_base=environ).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, "the sign-in page has no form token"
    return found.group(1)


def sign_in(
    client: Any,
    name: str,
    password: str = PASSWORD,
    *,
    token: str | None = None,
    address: str | None = None,
    **fields: str,
) -> Any:
    """Post the sign-in form with the page's token (or the one given); the response (303 on success)."""
    data = {"csrf": form_token(client, address) if token is None else token, "nom": name}
    data |= {"mot_de_passe": password, **fields}
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/connexion", data=data, environ_base=environ)


def import_into(
    store: Any,
    catalog: Any,
    referentiel: Any,
    data: bytes,
    name: str = "fichier.csv",
    *,
    auteur: str = "alice",
    max_bytes: int = UPLOAD_LIMIT,
    **options: Any,
) -> Any:
    """Import a file's bytes into a store as the importer does for the page and the command line."""
    from dashboard.data.importer import import_bytes

    return import_bytes(
        store,
        data,
        name,
        catalog=catalog,
        referentiel=referentiel,
        auteur=auteur,
        max_bytes=max_bytes,
        **options,
    )


def data_url(data: bytes | str, mime: str = "text/csv") -> str:
    """A file as the upload component sends it: a base64 data URL."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64," + base64.b64encode(raw).decode()


def app_with_accounts(folder: Path) -> Any:
    """An app on an empty store a test module may write to, with an editor (alice) and a viewer (victor)."""
    from dashboard.data.accounts import save_account
    from dashboard.security.passwords import hash_password
    from dashboard.settings import Settings
    from dashboard.shell import create_app

    (folder / "vide").mkdir()
    built = create_app(
        Settings(database_url=f"sqlite:///{folder / 'store.sqlite3'}", data_dir=folder / "vide")
    )
    store = built.server.extensions["tdb_security"].store
    save_account(store, "alice", "editor", hash_password(PASSWORD))
    save_account(store, "victor", "viewer", hash_password(PASSWORD))
    return built


def store_of(app: Any) -> Any:
    """The store behind a built app."""
    return app.server.extensions["tdb_security"].store


# --- Dash callback requests -----------------------------------------------------------------------------


def callback_key(app: Any, name: str, *, containing: str = "") -> str:
    """The callback-map key of the callback whose function has that name (and whose key holds a text)."""
    for key, spec in app.callback_map.items():
        if getattr(spec.get("callback"), "__name__", None) == name and containing in key:
            return str(key)
    raise KeyError(name)


def _id_text(component_id: Any) -> str:
    return json.dumps(component_id, separators=(",", ":")) if isinstance(component_id, dict) else component_id


def match_body(
    app: Any,
    name: str,
    trigger: Mapping[str, Any],
    *,
    output_type: str,
    state: Sequence[tuple[Any, str, Any]] = (),
    value: Any = 1,
    prop: str = "n_clicks",
    outputs: Sequence[str] = ("children",),
) -> dict[str, Any]:
    """The body a browser posts for a ``MATCH`` callback fired by ``trigger``'s ``prop`` (a click by default).

    The output is the component of the same id with ``type`` set to ``output_type`` (its ``outputs``
    properties); ``state`` lists (id, property, value) after the trigger's own id, which such callbacks
    read first.
    """
    written = [{"id": {**trigger, "type": output_type}, "property": p} for p in outputs]
    return {
        "output": callback_key(app, name, containing="MATCH"),
        "outputs": written[0] if len(written) == 1 else written,
        "inputs": [{"id": dict(trigger), "property": prop, "value": value}],
        "state": [
            {"id": dict(trigger), "property": "id", "value": dict(trigger)},
            *({"id": i, "property": p, "value": v} for i, p, v in state),
        ],
        "changedPropIds": [f"{_id_text(dict(trigger))}.{prop}"],
    }


def answer(response: Any) -> dict[str, Any]:
    """The outputs of a callback answered with 200."""
    assert response.status_code == 200, response.get_data(as_text=True)
    result: dict[str, Any] = response.get_json()["response"]
    return result


# --- Images ---------------------------------------------------------------------------------------------


# The filter bar's four fields, in the order of a change (dashboard.filters.control_values).
FIELDS = ("annee", "comparaison", "departements", "caisses")


def first_visit(search: str) -> dict[str, str]:
    """The filter change the browser sends at a first visit: the address's query (assets/filters.js)."""
    return {"search": search}


def controls_change(values: Sequence[Any], changed: Any = "annee") -> dict[str, Any]:
    """The filter change the browser sends when a control is used: the four values and the one used."""
    return {"values": dict(zip(FIELDS, values, strict=True)), "changed": changed}


def shown_controls(values: Sequence[Any], answer: Mapping[str, Any]) -> dict[str, Any]:
    """What the four controls show after the filter bar's answer: the values sent, or its correction."""
    correction = answer.get("response", {}).get("filter-echo", {}).get("data")
    return dict(correction["to"]) if correction else dict(zip(FIELDS, values, strict=True))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


# --- Figures --------------------------------------------------------------------------------------------

# The two caisses of the figure tests: (code, name), as the ``observations`` fixture takes them.
CDO = ("cpam-21", "CPAM de la Côte-d'Or")
SEL = ("cpam-71", "CPAM de Saône-et-Loire")


def bars(fig: Any) -> list[Any]:
    """The bar traces of a figure, in drawing order."""
    return [t for t in fig.data if t.type == "bar"]


def unpublished_marks(fig: Any) -> list[Any]:
    """The text traces that write « non publié » in a missing value's slot."""
    return [t for t in fig.data if t.type == "scatter" and t.mode == "text"]


def unpublished_mark(fig: Any) -> Any:
    """The figure's one « non publié » text trace, checked to write nothing but « non publié »."""
    (mark,) = unpublished_marks(fig)
    assert set(mark.text) == {"non publié"}
    return mark


def assert_unpublished_slot(fig: Any, series: int, category: str) -> None:
    """A bar series leaves a slot empty (never a zero bar) and « non publié » stands in its place."""
    bar = bars(fig)[series]
    mark = unpublished_mark(fig)
    flip = bar.orientation == "h"  # categories on the vertical axis
    categories, values = (bar.y, bar.x) if flip else (bar.x, bar.y)
    slot = list(categories).index(category)
    assert math.isnan(values[slot])
    assert not bar.text[slot]
    assert (list(mark.y), list(mark.x)) == (([category], [0]) if flip else ([0], [category]))
    assert mark.offsetgroup == bar.offsetgroup  # in the missing bar's place, beside the other caisse's
    assert mark.showlegend is False


def caisse_bars(fig: Any) -> tuple[Any, Any]:
    """The two caisses' bar series, Côte-d'Or then Saône-et-Loire, each checked by its legend name."""
    cdo, sel = bars(fig)
    assert (cdo.name, sel.name) == (CDO[1], SEL[1])
    return cdo, sel


# --- A server in a subprocess ---------------------------------------------------------------------------


def server_env(database: Path, port: int) -> dict[str, str]:
    """The environment of the app on a loopback port with its own SQLite store."""
    return {
        **os.environ,
        "TDB_DATABASE_URL": f"sqlite:///{database}",
        "TDB_PORT": str(port),
        "TDB_HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }


@dataclass(frozen=True, slots=True)
class Server:
    """A running app: its base URL and the file that collects its output."""

    base_url: str
    log: Path

    def url(self, path: str) -> str:
        """The absolute address of a path such as ``/canaux?annee=2024``."""
        return self.base_url + path

    def log_text(self, since: int = 0) -> str:
        """What the server printed, from a character offset (``len`` of an earlier ``log_text()``)."""
        return self.log.read_text(encoding="utf-8", errors="replace")[since:]


@contextmanager
def served(command: list[str], env: Mapping[str, str], log: Path, *, seconds: float) -> Iterator[str]:
    """Run the app's command until it answers ``/`` (the test fails if it stops or is late); its URL."""
    base_url = f"http://127.0.0.1:{env['TDB_PORT']}"
    process = Process(command, dict(env), log, ROOT)
    try:
        process.start(lambda: answers(base_url + "/"), seconds)
        yield base_url
    finally:
        process.stop()


def zip_bomb(inflated_mb: int) -> bytes:
    """A small .xlsx whose one sheet inflates to ``inflated_mb`` MiB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (inflated_mb * 1024 * 1024))
    return buffer.getvalue()


# --- A page of many charts -------------------------------------------------------------------------------

WHOLE_THEME_SOURCE = "Chiffres de test — tout le thème"


def whole_theme_data(folder: Path, theme: str, years: Sequence[int] = (2022, 2023, 2024)) -> Path:
    """A data folder whose one file publishes every indicator of a theme for the Côte-d'Or, as a caisse
    publishing far more than the embedded data does: its page has many charts. The Vendée publishes the same
    indicators for the last year only. The folder is returned."""
    from dashboard.data.shipped_catalog import load_catalog

    indicators = load_catalog().by_theme(theme)
    lines = ["departement;caisse;annee;indicateur;valeur;source"]
    for year in years:
        for index, ind in enumerate(indicators):
            if ind.unite == "%" and ind.parent is not None:  # the parts of a whole share its 100 %
                value = 90 // max(1, sum(1 for i in indicators if i.parent == ind.parent))
            elif ind.unite == "%":
                value = 50 + index % 40
            else:
                value = 1000 * (index + 1) + 10 * (year - 2000)
            lines.append(f"21;cpam-21;{year};{ind.code};{value};{WHOLE_THEME_SOURCE}")
            if year == years[-1]:
                lines.append(f"85;cpam-85;{year};{ind.code};{value};{WHOLE_THEME_SOURCE}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chiffres_publies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
