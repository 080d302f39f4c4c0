#!/usr/bin/env bash
# Builds the Linux release from a checkout into dist/:
#   dist/reglament-VERSION-linux-ARCH.tar.gz   the one-folder bundle, unpack anywhere
#   dist/reglament_VERSION_ARCH.deb             /usr/lib/reglament, `reglament` on PATH, menu entry,
#                                               AppStream metainfo and icons where desktops look
#   dist/reglament-VERSION-py3-none-any.whl      for pip / pipx (resources inside)
# Needs python3 (3.11+), dpkg-deb and tar. It uses ./.venv (made and filled when missing); set
# REGLAMENT_VENV to build with another environment exactly as it is (nothing is installed into it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
started=$SECONDS

if [ -n "${REGLAMENT_VENV:-}" ]; then
  VENV=$REGLAMENT_VENV
else
  VENV=$ROOT/.venv
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -e '.[postgres]' 'pyinstaller>=6.0'
fi
PY=$VENV/bin/python
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)

echo "build-linux: reglament $VERSION ($ARCH)"
rm -rf dist/reglament build/pyinstaller build/deb
PYTHONPATH=$ROOT "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/reglament.spec
echo "build-linux: bundle in $((SECONDS - started)) s, $(du -sh dist/reglament | cut -f1)"

# The tarball: the bundle plus what a desktop needs, and a script that installs it for one user.
mkdir -p dist/reglament/share/applications dist/reglament/share/metainfo dist/reglament/share/icons
cp packaging/linux/ru.reglament.Workstation.desktop dist/reglament/share/applications/
cp packaging/linux/ru.reglament.Workstation.metainfo.xml dist/reglament/share/metainfo/
cp -r build/icons/hicolor dist/reglament/share/icons/
install -m 755 packaging/linux/install-user.sh dist/reglament/install-user.sh
TARBALL=dist/reglament-$VERSION-linux-$ARCH.tar.gz
tar -C dist -cf - reglament | gzip -6 > "$TARBALL"

# The .deb: the same bundle under /usr/lib/reglament.
PKG=build/deb/reglament
mkdir -p "$PKG/DEBIAN" "$PKG/usr/lib" "$PKG/usr/bin" "$PKG/usr/share"
cp -a dist/reglament "$PKG/usr/lib/reglament"
rm -rf "$PKG/usr/lib/reglament/share" "$PKG/usr/lib/reglament/install-user.sh"
ln -s ../lib/reglament/reglament "$PKG/usr/bin/reglament"
cp -r dist/reglament/share/applications dist/reglament/share/metainfo dist/reglament/share/icons "$PKG/usr/share/"
mkdir -p "$PKG/usr/share/doc/reglament"
cp resources/fonts/LICENSE-DejaVu.txt "$PKG/usr/share/doc/reglament/"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" \
    -e "s/@SIZE@/$(du -sk "$PKG/usr" | cut -f1)/" packaging/linux/control.in > "$PKG/DEBIAN/control"
DEB=dist/reglament_${VERSION}_$ARCH.deb
dpkg-deb --root-owner-group -Zgzip -z6 --build "$PKG" "$DEB" >/dev/null

# The wheel (pip install / pipx), from the same sources.
rm -rf dist/reglament-*.whl build/lib build/bdist.*   # setuptools builds here: nothing stale
"$PY" -m pip wheel -q --no-deps -w dist . 2>/dev/null

echo "build-linux: done in $((SECONDS - started)) s"
ls -l "$TARBALL" "$DEB" dist/reglament-*.whl
