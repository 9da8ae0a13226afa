"""Alembic's entry point: run the revisions on the connection the caller opened, never on a URL."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Les migrations s'exécutent par « python -m dashboard db upgrade ».")
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
