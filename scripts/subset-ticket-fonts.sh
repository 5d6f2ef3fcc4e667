#!/usr/bin/env bash
# Makes the two fonts the ESC/POS ticket raster is drawn with (assets/fonts/ticket/) from the full
# DejaVu Sans in assets/fonts/ (Debian's fonts-dejavu-core 2.37): only the scripts a ticket can
# print, so the kiosk binary carries about 0.3 MB of font instead of 1.47 MB (issue #19).
#
# Kept: Latin (Basic, Latin-1, Extended-A/B, IPA and modifiers, combining marks, Extended
# Additional), Greek, Cyrillic, Armenian, Georgian, punctuation, currency, letterlike symbols,
# arrows, circled numbers, geometric shapes, check marks and U+FFFD: every text of ui/i18n and any
# name in those scripts. Dropped: the full fonts' Hebrew and Arabic (the raster draws left to
# right without shaping, so it never printed them right) and symbol blocks. The PDF ticket's
# builtin Helvetica covers less (Latin-1 only). The empty-glyph box is kept (`--notdef-outline`),
# so a letter outside prints as a box, not as nothing. Kept tables: what
# ab_glyph reads (outlines, metrics, cmap and the legacy `kern` table it kerns with) and the
# name table with the copyright and licence notices; hinting and OpenType layout are dropped
# (ab_glyph uses neither). crates/hadir/src/ticket/raster.rs tests that both draw every ticket
# text dot for dot like the full fonts.
#
# Run from the repository root: scripts/subset-ticket-fonts.sh (needs python3-venv; fetches
# fonttools from PyPI into target/fonttools-venv).
set -euo pipefail

venv=target/fonttools-venv
[ -x "$venv/bin/pyftsubset" ] || {
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'fonttools==4.68.0'
}

unicodes="U+0020-007E,U+00A0-036F,U+0370-03FF,U+0400-04FF,U+0530-058F,U+10A0-10FF,U+1E00-1EFF"
unicodes+=",U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+2460-24FF,U+25A0-25FF"
unicodes+=",U+2713-2717,U+2D00-2D2F,U+FFFD"

mkdir -p assets/fonts/ticket
for font in DejaVuSans DejaVuSans-Bold; do
  "$venv/bin/pyftsubset" "assets/fonts/$font.ttf" \
    --unicodes="$unicodes" \
    --layout-features='' --legacy-kern \
    --drop-tables+=MATH,GPOS,GSUB,GDEF,FFTM \
    --no-hinting --name-IDs='*' --name-languages='*' --notdef-outline \
    --output-file="assets/fonts/ticket/$font.ttf"
done
ls -l assets/fonts/ticket
