#!/usr/bin/env bash
# Install the Debian packages the tests need: chromium and CJK fonts for the browser tests;
# LibreOffice (Writer, no GUI), poppler-utils and Liberation fonts (metric twins of Times New
# Roman, for the digits) for the Word render test, which converts .docx to PDF and measures it.
# Playwright drives this chromium through executable_path; it never downloads a browser.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -qi cjk || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-deps: need root to install: ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
