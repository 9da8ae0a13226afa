"""Entry point: ``python app.py`` serves the dashboard; ``server`` is the WSGI app for gunicorn."""

import os

from dashboard.data.store import StoreError
from dashboard.shell import create_app, freeze_start_objects

try:
    app = create_app()
except StoreError as err:  # e.g. a store made by an earlier version: the message says what to run
    raise SystemExit(f"Démarrage impossible. {err}") from None
server = app.server
freeze_start_objects()  # in gunicorn's master too, before the workers are forked (preload_app)

if __name__ == "__main__":
    app.run(
        host=os.environ.get("TDB_HOST", "127.0.0.1"),
        port=int(os.environ.get("TDB_PORT", "8050")),
        debug=False,
    )
