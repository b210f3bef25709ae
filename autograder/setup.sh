#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image.  The autograder zip
# (setup.sh and run_autograder at its root, beside symcheck's pyproject.toml, symcheck/ and
# problems/) is unpacked in /autograder/source.  It installs symcheck into its own venv.
set -euo pipefail
SOURCE="${SYMCHECK_SOURCE_DIR:-/autograder/source}"
VENV="${SYMCHECK_VENV:-/autograder/venv}"

if ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get install -y python3 python3-venv python3-pip
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$SOURCE"
"$VENV/bin/symcheck" list >/dev/null   # the catalogue loads: fail the build now, not per student
