#!/usr/bin/env bash
# The README's main command: install the package and print the paper's verification report.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e .
backprop-verify report "$@"
