#!/usr/bin/env bash
# Browser tests and image export use the system Chromium (Debian package `chromium`).
# Install it when missing and apt-get can; otherwise say what to install.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Chromium absent : installation du paquet Debian « chromium »…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Chromium est introuvable (/usr/bin/chromium)." >&2
echo "Installez-le, par exemple : sudo apt-get install chromium (Debian/Ubuntu)," >&2
echo "puis relancez « make test »." >&2
exit 1
