#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image.  The autograder zip
# (setup.sh and run_autograder at its root, beside symcheck's pyproject.toml, symcheck/ and
# problems/) is unpacked in /autograder/source.  It installs symcheck into its own venv with a
# Python >= 3.11 (installing one with apt when the image has none) and checks the catalogue.
set -euo pipefail
SOURCE="${SYMCHECK_SOURCE_DIR:-/autograder/source}"
VENV="${SYMCHECK_VENV:-/autograder/venv}"

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
    apt-get update
    apt-get install -y python3.11 python3.11-venv
    PYTHON="$(find_python)"
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$SOURCE"
"$VENV/bin/symcheck" list >/dev/null   # the catalogue loads: fail the build now, not per student
