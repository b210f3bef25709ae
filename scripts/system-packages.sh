#!/usr/bin/env bash
# Install the system packages symcheck's tests use, on Debian or Ubuntu, when they are missing:
#   texlive-latex-base, texlive-latex-recommended  pdflatex and the LaTeX packages that
#                                                  `symcheck report --pdf` compiles with
#   chromium                                       opens the HTML report in a real headless browser
#   poppler-utils                                  pdftoppm, to turn a report page into a PNG
# Needs root (or sudo). Without them the report tests skip on a developer's machine, and fail
# under CI=true, so CI never passes unchecked. Nothing else in symcheck needs system packages.
set -u
missing=0
for tool in pdflatex chromium pdftoppm; do
    command -v "$tool" >/dev/null 2>&1 || missing=1
done
[ "$missing" -eq 0 ] && exit 0

packages="texlive-latex-base texlive-latex-recommended chromium poppler-utils"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "system-packages: not root and no sudo; install $packages to run the report tests" >&2
    exit 0
fi
if $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $packages; then
    echo "system-packages: installed $packages (for the report tests)"
else
    echo "system-packages: apt-get could not install $packages; the report tests will skip (fail under CI=true)" >&2
fi
exit 0
