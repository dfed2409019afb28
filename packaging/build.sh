#!/usr/bin/env bash
# Build ContactDesk as a one-folder app with PyInstaller, then smoke-test the result.
#
#   bash packaging/build.sh        -> dist/ContactDesk/contactdesk (Linux; see contactdesk.spec
#                                     for Windows and macOS), exit 0 only if the smoke tests pass
#
# Environment (all optional):
#   PYTHON=python3.12        the Python the build venv is made with (default: python3, >= 3.11)
#   BUILD_VENV=.build-venv   the build venv; kept between builds, the project reinstalled each time
#   SKIP_SMOKE=1             build only, no smoke tests
#
# Needs the network (PyPI) the first time. Takes about 3 minutes on 2 cores (see packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

# The bundle must take the installed package (and its dist-info), never a source tree on
# PYTHONPATH (a src/contactdesk.egg-info there would shadow the metadata).
unset PYTHONPATH
started=$(date +%s)
PYTHON=${PYTHON:-python3}
VENV=${BUILD_VENV:-.build-venv}
step() { printf '\n== %s  [%ss]\n' "$*" "$(($(date +%s) - started))"; }

step "build venv: $VENV"
if [[ ! -d "$VENV" ]]; then
    "$PYTHON" -m venv "$VENV"
fi
BIN="$VENV/bin"
[[ -d "$VENV/Scripts" ]] && BIN="$VENV/Scripts"  # a Windows venv, under Git Bash
# The project as a wheel installs it (not editable; pip rebuilds a local folder every time), so
# the bundle holds exactly what a wheel ships, with the dist-info (the version) for copy_metadata.
# setuptools builds in build/lib and never empties it: a module deleted from src/ would
# still reach the wheel (and the bundle) from there.
rm -rf build/lib build/bdist.*
mkdir -p build
if ! { "$BIN/python" -m pip install --upgrade pip &&
       "$BIN/python" -m pip install "pyinstaller>=6.10,<7" ".[team]"; } >build/pip-install.log 2>&1; then
    tail -n 40 build/pip-install.log >&2
    echo "pip install failed; the whole log is build/pip-install.log" >&2
    exit 1
fi
"$BIN/python" - <<'EOF'
from importlib.metadata import version
import platform
print(f"Python {platform.python_version()}, contactdesk {version('contactdesk')}, "
      f"PyInstaller {version('pyinstaller')}, hooks-contrib {version('pyinstaller-hooks-contrib')}, "
      f"PySide6-Essentials {version('PySide6-Essentials')}, phonenumbers {version('phonenumbers')}")
EOF

step "the installed package ships its resources"
if ! "$BIN/python" - <<'EOF'
import sys
from contactdesk.assets import get_asset, resources_dir
try:
    for name in ("icons/contactdesk.svg", "icons/contactdesk-256.png", "linux/io.contactdesk.ContactDesk.desktop"):
        get_asset(name)
except FileNotFoundError as exc:
    print(f"  {exc}", file=sys.stderr)
    sys.exit(1)
print(f"  ok: {resources_dir()}")
EOF
then
    echo "The wheel does not ship src/contactdesk/resources/. In pyproject.toml, [tool.setuptools.package-data]" >&2
    echo 'must read: contactdesk = ["py.typed", "resources/**/*"]' >&2
    exit 1
fi

if [[ "$(uname -s)" == Linux ]] && command -v ldconfig >/dev/null; then
    # PyInstaller bundles the X11 client libraries Qt's xcb plugin links to from this machine;
    # one that is missing here is missing from the bundle, and the target must then have it.
    # (libxcb, libGL/libEGL, glibc and the Wayland client libraries are never bundled.)
    step "X11 client libraries to bundle"
    declare -A xcb_packages=(
        [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4
        [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-image.so.0]=libxcb-image0
        [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-randr.so.0]=libxcb-randr0
        [libxcb-shape.so.0]=libxcb-shape0 [libxcb-sync.so.1]=libxcb-sync1
        [libxcb-xfixes.so.0]=libxcb-xfixes0 [libxcb-xkb.so.1]=libxcb-xkb1
        [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libX11-xcb.so.1]=libx11-xcb1
    )
    missing=()
    for lib in "${!xcb_packages[@]}"; do
        ldconfig -p | grep -q "$lib" || missing+=("${xcb_packages[$lib]}")
    done
    if ((${#missing[@]} == 0)); then
        echo "  all present"
    elif [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "  installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "  WARNING: not installed here, so not bundled (target machines will need them): ${missing[*]}" >&2
    fi
fi

step "pyinstaller packaging/contactdesk.spec"
build_started=$(date +%s)
"$BIN/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/contactdesk.spec
echo "  PyInstaller took $(($(date +%s) - build_started)) s"

case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN*) APP=dist/ContactDesk/contactdesk-cli.exe ;;
    *) APP=dist/ContactDesk/contactdesk ;;
esac
[[ -f "$APP" ]] || { echo "no $APP after the build" >&2; exit 1; }

step "size"
du -sh dist/ContactDesk
du -sh dist/ContactDesk/_internal/* | sort -h | tail -n 8

if [[ "${SKIP_SMOKE:-}" != "1" ]]; then
    step "smoke tests"
    "$BIN/python" packaging/smoke_test.py "$APP"
fi

step "done: $APP"
