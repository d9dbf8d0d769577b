#!/usr/bin/env bash
# Dear ImGui 1.86's sources for the WebAssembly dashboard. Debian ships ImGui to native builds
# only as a compiled library (libimgui-dev); emcc needs the .cpp files, which only Debian's source
# package has. This fetches it with a private source list, leaving the system's apt configuration
# untouched, and unpacks it into deps/imgui (ignored by git). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=deps/imgui
if [ -f "$dest/imgui.cpp" ] && [ -f "$dest/backends/imgui_impl_opengl3.cpp" ]; then
  echo "fetch_imgui: $dest already present"
  exit 0
fi

work=deps/.apt-imgui
mkdir -p "$work/lists/partial" "$work/download"
# The same mirror the system uses, so this works wherever apt-get install does.
mirror=$(sed -nE 's/^URIs: *(\S+debian)\/?$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -z "$mirror" ] && mirror=$(sed -nE 's/^deb +(\[[^]]*\] +)?(\S+debian)\/? +bookworm .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)
[ -z "$mirror" ] && mirror=http://deb.debian.org/debian
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main" > "$work/sources.list"

apt_opts=(-o "Dir::Etc::SourceList=$PWD/$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$PWD/$work/lists" -o Debug::NoLocking=1)
echo "fetch_imgui: downloading Debian's imgui source package from $mirror"
apt-get "${apt_opts[@]}" update -qq
(cd "$work/download" && apt-get "${apt_opts[@]}" source --download-only imgui > /dev/null)
tarball=$(ls "$work"/download/imgui_1.86*.orig.tar.* | head -1)
rm -rf "$dest" && mkdir -p "$dest"
tar -xf "$tarball" -C "$dest" --strip-components=1
for f in imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp backends/imgui_impl_glfw.cpp backends/imgui_impl_opengl3.cpp; do
  [ -f "$dest/$f" ] || { echo "fetch_imgui: $f missing from $tarball" >&2; exit 1; }
done
echo "fetch_imgui: ImGui $(sed -nE 's/#define IMGUI_VERSION +"([^"]+)"/\1/p' "$dest/imgui.h") in $dest"
