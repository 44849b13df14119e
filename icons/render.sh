#!/usr/bin/env bash
# Regenerate all Tandem app icons from tandem.svg.
#
# Requires:
#   - rsvg-convert   (Debian/Ubuntu: apt-get install librsvg2-bin)
#   - python3 + Pillow (pip install pillow)
#
# Usage:  ./render.sh        (run from anywhere; writes next to this script)
set -euo pipefail

cd "$(dirname "$0")"
SVG=tandem.svg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Render a square RGBA PNG straight from the SVG (vector -> crisp at every size).
render() { rsvg-convert --format=png --width="$1" --height="$1" "$SVG" -o "$2"; }

# 1. PNGs Tauri expects (rsvg-convert emits 8-bit RGBA, colour type 6).
render 32   32x32.png
render 128  128x128.png
render 256  128x128@2x.png
render 512  icon.png

# 2. Per-size renders used to build the multi-resolution .ico / .icns
#    (rendering each size from the vector beats downscaling one bitmap).
for s in 16 24 32 48 64 128 256 512 1024; do
  render "$s" "$TMP/$s.png"
done

# 3. Pack .ico (16..256) with Pillow and .icns (16..1024) with a tiny packer.
python3 - "$TMP" <<'PY'
import sys
from PIL import Image

tmp = sys.argv[1]
load = lambda s: Image.open(f"{tmp}/{s}.png").convert("RGBA")

ico = [16, 24, 32, 48, 64, 256]
imgs = [load(s) for s in ico]
# Largest image first; Pillow picks the exact-size frames from append_images.
imgs[-1].save("icon.ico", format="ICO", sizes=[(s, s) for s in ico],
              append_images=imgs[:-1])

# .icns: Pillow's ICNS writer omits the 16 px / 32 px 1x slots, so pack the
# container ourselves (it is just 'icns'+length, then type+length+PNG entries)
# and use Pillow to read it back as a sanity check.
import struct
slots = {  # OSType -> pixel size (PNG payloads, macOS 10.7+)
    "icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256,
    "ic09": 512, "ic10": 1024,                        # 1x
    "ic11": 32, "ic12": 64, "ic13": 256, "ic14": 512,  # @2x of 16,32,128,256
}
body = b""
for ostype, px in slots.items():
    png = open(f"{tmp}/{px}.png", "rb").read()
    body += ostype.encode() + struct.pack(">I", 8 + len(png)) + png
with open("icon.icns", "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
Image.open("icon.icns").load()  # raises if the file is malformed
PY

echo "Rendered: 32x32.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns"
