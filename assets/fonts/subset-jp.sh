#!/usr/bin/env bash
# Rebuild the Japanese chart font subsets in this folder (not part of the build).
#
#   assets/fonts/subset-jp.sh [SEEDS_DIR]
#
# Source: Noto Sans CJK JP 2.004 (face 0 of NotoSansCJK-{Regular,Bold}.ttc) from the Debian
# package fonts-noto-cjk 1:20220127+repack1-1 (`apt-get install fonts-noto-cjk`); SIL OFL 1.1,
# see NotoSansCJK-LICENSE. Subset with fonttools (`pip install fonttools`, pyftsubset).
#
# Characters (NotoSansCJKjp-subset-chars.txt): ASCII, Latin-1, general punctuation, CJK symbols
# and punctuation, hiragana, katakana, full- and halfwidth forms, JIS X 0208 rows 1-8 (symbols,
# Greek, Cyrillic, box drawing) and rows 16-47 (the 2,965 level-1 kanji), plus every character
# of the Japanese design documents in SEEDS_DIR (*.txt) when given. Without SEEDS_DIR the
# committed character list is used as is.
set -euo pipefail
cd "$(dirname "$0")"
SRC=/usr/share/fonts/opentype/noto
LIST=NotoSansCJKjp-subset-chars.txt
if [[ $# -ge 1 ]]; then
    python3 - "$1" >"$LIST" <<'PY'
import glob, sys
chars = set()
for p in sorted(glob.glob(sys.argv[1] + "/*.txt")):
    chars |= set(open(p, encoding="utf-8").read())
for lo, hi in [(0x20, 0x7F), (0xA0, 0x100), (0x2010, 0x2040), (0x3000, 0x3100), (0xFF01, 0xFFA0)]:
    chars |= {chr(c) for c in range(lo, hi)}
for row in list(range(1, 9)) + list(range(16, 48)):
    for cell in range(1, 95):
        try:
            chars.add(bytes([0xA0 + row, 0xA0 + cell]).decode("euc_jp"))
        except UnicodeDecodeError:
            pass
sys.stdout.write("".join(sorted(c for c in chars if c.isprintable())) + "\n")
PY
fi
for w in Regular Bold; do
    pyftsubset "$SRC/NotoSansCJK-$w.ttc" --font-number=0 --text-file="$LIST" \
        --layout-features='' --no-hinting --name-IDs='*' --name-languages='*' \
        --output-file="NotoSansCJKjp-$w.subset.otf"
done
# plotters scales a face so that hhea ascender - descender spans the font size; DejaVu's span
# is 1.164 em, Noto's 1.448 em, which drew Japanese at 80 % of the Latin size. Give the subsets
# DejaVu's span (ascender 880 as Noto's typographic one, descender -284) so one em is one em.
python3 - <<'PY'
from fontTools.ttLib import TTFont
for w in ("Regular", "Bold"):
    path = f"NotoSansCJKjp-{w}.subset.otf"
    font = TTFont(path, recalcTimestamp=False)
    font["hhea"].ascent, font["hhea"].descent = 880, -284
    font.save(path)
PY
ls -l NotoSansCJKjp-*.subset.otf
