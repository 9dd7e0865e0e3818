#!/usr/bin/env bash
# Idempotent set-up shared by both README commands: system packages, .venv, the project.
# A second run with nothing to do finishes in about a second, so every command can call it.
set -euo pipefail
cd "$(dirname "$0")/.."

# libpango1.0-dev + pkg-config: manimpango and pycairo build from source.
# texlive + dvisvgm: MathTex. fonts-dejavu-core, fonts-wqy-microhei: Latin and CJK text (manim draws
# empty boxes without them); fontconfig: fc-list, which keys the text cache by the font files.
# chromium: the course page is tested in a real browser (Playwright drives this binary; nothing downloaded).
# espeak-ng: the Mandarin voice (and the English one where Piper is missing), offline.
# libreoffice-impress: the slide deck is tested by converting it headless, as a teacher's office suite opens it.
APT_PACKAGES=(pkg-config libpango1.0-dev fontconfig texlive-latex-base texlive-latex-extra dvisvgm fonts-dejavu-core
              fonts-wqy-microhei chromium espeak-ng libreoffice-impress)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then sudo_cmd=(); elif command -v sudo >/dev/null; then sudo_cmd=(sudo); else
        echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1
    fi
    echo "setup: installing system packages: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi

# Reinstall only when the declared dependencies or this script change.
stamp=.venv/.setup-stamp
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "setup: installing the project into .venv (first time: a few minutes)"
    .venv/bin/python -m pip install -q --upgrade pip
    # compat mode puts the repo root on sys.path (a .pth line), so `manim render scenes/x.py`, which
    # loads scene files by path, resolves `scenes` as the regular package it is.
    .venv/bin/python -m pip install -q -e ".[test]" --config-settings editable_mode=compat
    echo "$want" > "$stamp"
fi
