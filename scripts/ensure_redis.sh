#!/usr/bin/env bash
# The scale-out tests start a throw-away Redis server (Debian package `redis-server`) on a free port.
# Install it when missing and apt-get can; otherwise say so: those tests are then skipped, not failed.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Redis absent : installation du paquet Debian « redis-server » (pour les tests)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package starts a system-wide server; the tests start their own, so it is not needed.
  (command -v systemctl >/dev/null 2>&1 && systemctl disable --now redis-server >/dev/null 2>&1) || true
  exit 0
fi
echo "redis-server est introuvable : les tests à plusieurs serveurs seront ignorés." >&2
echo "Pour les lancer : sudo apt-get install redis-server (Debian/Ubuntu), puis « make test »." >&2
exit 0
