#!/usr/bin/env bash
# A test opens a committee deck in LibreOffice Impress (`soffice --headless --convert-to pdf`) to check that
# its charts are read as charts by another office suite. Install Impress and Carlito (a font with Calibri's
# widths, so the master's text lays out as in PowerPoint) when missing and apt-get can; otherwise say so:
# that test is then skipped, not failed.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "LibreOffice absent : installation des paquets Debian « libreoffice-impress » et « fonts-crosextra-carlito »…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-impress fonts-crosextra-carlito >/dev/null
  exit 0
fi
echo "LibreOffice est introuvable (soffice) : le test d'ouverture de la présentation sera ignoré." >&2
echo "Pour le lancer : sudo apt-get install --no-install-recommends libreoffice-impress fonts-crosextra-carlito," >&2
echo "puis « make test »." >&2
exit 0
