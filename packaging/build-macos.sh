#!/usr/bin/env bash
# Builds the macOS disk image from a checkout into dist/ (run on a Mac, Apple silicon or Intel;
# the image is for the architecture it is built on):
#   bash packaging/build-macos.sh            ->  dist/Reglament.app and dist/Reglament-VERSION-macos-ARCH.dmg
# Needs Python 3.11+ (python.org installer or Homebrew) and the Xcode command line tools.
# Signing and notarisation (packaging/README.md) run when CODESIGN_IDENTITY is set:
#   CODESIGN_IDENTITY="Developer ID Application: Company (TEAMID)" NOTARY_PROFILE=reglament bash packaging/build-macos.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install -q -e '.[postgres]' 'pyinstaller>=6.0'
VERSION=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(uname -m)

rm -rf dist/reglament dist/Reglament.app build/pyinstaller
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/reglament.spec
APP=dist/Reglament.app
test "$("$APP/Contents/MacOS/reglament" --version)" = "reglament $VERSION"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

DMG=dist/Reglament-$VERSION-macos-$ARCH.dmg
STAGE=build/dmg
rm -rf "$STAGE" "$DMG" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"   # drag the app onto it to install
hdiutil create -quiet -volname "Reglament $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO "$DMG"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi
echo "build-macos: $DMG in $((SECONDS - started)) s"
