"""DejaVu Sans (regular and bold) for the PDFs, reduced to the glyphs the four locales need.

Why a subset: the renderer reads the font once per container and cuts each document's font program
from it (writer.py); on the full DejaVu Sans (about 6,000 glyphs) both would be slow and the program
large. Reduced to about 370 glyphs (Latin-1, Latin Extended-A, the currency, space and punctuation signs
babel prints), both are cheap. writer.py uses the glyph ids as the PDF's codes, so each glyph here
prints one code point (it checks). The layer build (`python -m fastfaktura.pdf.fonts DIR`, from
layers/core/Makefile) writes the subset next to this module; a development checkout without it subsets
Debian's fonts-dejavu-core once per process. Fonts are never downloaded at run time.
"""

from __future__ import annotations

import io
import sys
from functools import cache
from pathlib import Path

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
PACKAGED_DIR = Path(__file__).parent / "fonts"
SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
INSTALL_HINT = "DejaVu Sans is missing: install Debian's fonts-dejavu-core (make install does it)"

# Basic Latin, Latin-1, Latin Extended-A (Č, ő, ł …), and the signs babel and the layout print:
# no-break spaces (U+00A0, U+202F), thin/figure spaces, dashes, quotes, bullet, ellipsis, minus, €, №.
UNICODES = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2007, 0x2009, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014,
     0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x202F, 0x2030, 0x2039, 0x203A,
     0x20AC, 0x2116, 0x2122, 0x2212]
)


def subset(font_file: Path) -> bytes:
    """The font reduced to UNICODES, without hinting or layout tables (fpdf2 uses neither)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = True  # a post table with names: no names to rebuild from the cmap on each load
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "hdmx", "MATH"]
    subsetter = ft_subset.Subsetter(options)
    font = TTFont(font_file, recalcTimestamp=False)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def system_font(file_name: str) -> Path:
    for directory in SYSTEM_DIRS:
        if (directory / file_name).is_file():
            return directory / file_name
    raise FileNotFoundError(f"{file_name}: {INSTALL_HINT}")


@cache
def font_file(style: str) -> Path:
    """The subset font file for `style` ("" or "B"): the packaged one, or one made once per process
    from the system font into a temporary directory."""
    name = FONT_FILES[style]
    if (PACKAGED_DIR / name).is_file():
        return PACKAGED_DIR / name
    import tempfile

    target = Path(tempfile.mkdtemp(prefix="fastfaktura-fonts-")) / name
    target.write_bytes(subset(system_font(name)))
    return target


def build(target_dir: Path) -> None:
    """Writes the subset fonts into `target_dir` (the layer build)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    for name in FONT_FILES.values():
        (target_dir / name).write_bytes(subset(system_font(name)))


if __name__ == "__main__":
    build(Path(sys.argv[1]))
