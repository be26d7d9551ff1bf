#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: LibreOffice (headless recalculation of exported
# workbooks), Chromium (browser tests via Playwright), PostgreSQL (store tests), Pango (WeasyPrint, the PDF
# reports) and poppler-utils (pdftoppm/pdftotext: the report tests render and read the PDFs).
# Called by `make test` / `make bench`; does nothing when everything is present.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# read the lists first: `ldconfig -p | grep -q` under pipefail fails when grep stops early (SIGPIPE)
libs="$(ldconfig -p 2>/dev/null || true)"
fonts="$(fc-list 2>/dev/null || true)"
grep -q 'libpango-1.0.so.0' <<<"$libs" || need+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0.so.0' <<<"$libs" || need+=(libpangoft2-1.0-0)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
grep -qi 'liberation sans\|dejavu sans' <<<"$fonts" || need+=(fonts-liberation2)
[ ${#need[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "opengrex: missing system packages: ${need[*]}" >&2
    echo "Run as root:  sudo sh -c '$cmd'" >&2
    exit 1
fi
echo "opengrex: installing system packages: ${need[*]}" >&2
sh -c "$cmd"
