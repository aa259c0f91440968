#!/usr/bin/env bash
# The README's test command: installs everything on a fresh machine, then runs the test suite.
# Debian packages: TeX Live (pdflatex; texlive-pictures for Beamer's pgf) and poppler-utils (pdftotext,
# pdftoppm) for the LaTeX tests.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v pdflatex >/dev/null 2>&1 || need_apt+=(texlive-latex-base texlive-latex-recommended)
kpsewhich beamer.cls pgfcore.sty >/dev/null 2>&1 && [ "$(kpsewhich beamer.cls pgfcore.sty | wc -l)" -eq 2 ] \
  || need_apt+=(texlive-latex-recommended texlive-pictures)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "warning: cannot install ${need_apt[*]} (not root); the LaTeX tests will be skipped" >&2
  fi
fi
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e ".[test]"
python -m pytest -q "$@"
