#!/usr/bin/env bash
# The data-layer tests also run against a real PostgreSQL server, started by the tests themselves in a
# temporary folder (Debian package `postgresql`: initdb and pg_ctl under /usr/lib/postgresql/*/bin).
# Install it when missing and apt-get can; otherwise say so: those tests are then skipped, not failed.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "PostgreSQL absent : installation du paquet Debian « postgresql » (pour les tests)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "PostgreSQL est introuvable : les tests PostgreSQL seront ignorés." >&2
echo "Pour les lancer : sudo apt-get install postgresql (Debian/Ubuntu), puis « make test »." >&2
exit 0
