#!/bin/sh
# Installs this unpacked folder for the current user: `reglament` in ~/.local/bin, the menu entry
# and icons in ~/.local/share. Run it from where the folder is to stay (it links, it does not copy).
#   ./install-user.sh            install        ./install-user.sh --remove   undo
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN=$HOME/.local/bin
ID=ru.reglament.Workstation
if [ "${1:-}" = "--remove" ]; then
  rm -f "$BIN/reglament" "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml"
  find "$DATA/icons/hicolor" -name "$ID.*" -delete 2>/dev/null || true
  echo "Reglament removed from the menu; your data folder is kept."
  exit 0
fi
mkdir -p "$BIN" "$DATA/applications" "$DATA/metainfo" "$DATA/icons"
ln -sf "$HERE/reglament" "$BIN/reglament"
# The menu entry names the program by its full path: ~/.local/bin is not on every session's PATH.
sed "s|^Exec=reglament|Exec=\"$HERE/reglament\"|" "$HERE/share/applications/$ID.desktop" \
  > "$DATA/applications/$ID.desktop"
cp "$HERE/share/metainfo/$ID.metainfo.xml" "$DATA/metainfo/"
cp -r "$HERE/share/icons/hicolor" "$DATA/icons/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
echo "Reglament installed: 'reglament' in $BIN and in the applications menu."
