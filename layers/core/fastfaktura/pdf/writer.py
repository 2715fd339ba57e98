"""What the renderer writes itself beneath fpdf2: the pages' drawing operators and the embedded fonts.

Why: fpdf2's own path (FPDF.text per string; on output fontTools' Subsetter and TTFont.save per font,
and a 128 KB CIDToGIDMap built and compressed per font) was most of a render. Here a string is encoded
by one `str.translate`, its codes being the glyph ids of the packaged subset (fonts.py keeps one glyph
per code point), so the CIDToGIDMap is /Identity; and a document's font program is cut from the packaged
subset by byte slices: the glyphs it uses (with their components) keep their ids, the others are left
empty, the other tables are copied (post without its glyph names). fpdf2 still writes the document
around them: pages, one resources dictionary, metadata, PDF/A-3 and the attachment, the graphics states
of the rotated stamp.

fpdf2's private hooks used here (fpdf2 is pinned): `OutputProducer._add_fonts` (overridden) and
`FPDF._out` (appends to the page's content stream).
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import PDFFontDescriptor, SubsetMap, TTFFont
from fpdf.output import CIDSystemInfo, OutputProducer, PDFContentStream, PDFFont, PDFFontStream
from fpdf.syntax import Name, PDFArray

from fastfaktura.pdf import fonts

_log = logging.getLogger("fastfaktura.pdf")
_COMPOSITE_MORE, _COMPOSITE_WORDS = 0x20, 0x01
_COMPOSITE_SCALE, _COMPOSITE_XY_SCALE, _COMPOSITE_2X2 = 0x08, 0x40, 0x80


class _Codes(dict):
    """str.translate's table: code point → the glyph id as a character; a character the font lacks is
    dropped (as fpdf2 drops it), and named in a warning when the document is written."""

    def __missing__(self, key: int) -> None:
        return None


@dataclass(frozen=True)
class Face:
    """One style of the packaged font, read once per container."""

    index: int  # the resource name /F<index>
    name: str  # the PostScript-like name fpdf2 derives (DejaVuSansBook, DejaVuSans-Bold)
    widths: dict[int, float]  # advance widths in thousandths of an em, by code point (fpdf2's rounding)
    codes: _Codes
    descriptor: dict[str, Any]  # the font descriptor's entries, as fpdf2 computes them
    missing_width: float
    unicodes: tuple[int, ...]  # by glyph id: the code point it prints (0: none)
    glyph_widths: tuple[int, ...]  # by glyph id
    closure: tuple[tuple[int, ...], ...]  # by glyph id: itself and the glyphs a composite is built of
    glyphs: tuple[bytes, ...]  # by glyph id: its glyf data, padded to 4 bytes
    tables: dict[bytes, tuple[bytes, int, int]]  # every other table: padded, its length and checksum

    def program(self, used: Iterable[int]) -> bytes:
        """The TrueType program for the glyph ids used: the same glyph ids, only those glyphs' outlines."""
        keep = {0}
        for gid in used:
            keep.update(self.closure[gid])
        glyphs: list[bytes] = []
        offsets: list[int] = []
        offset = 0
        for gid, data in enumerate(self.glyphs):
            offsets.append(offset)
            if gid in keep:
                glyphs.append(data)
                offset += len(data)
        offsets.append(offset)
        glyf = b"".join(glyphs)
        loca = struct.pack(f">{len(offsets)}I", *offsets)
        return _sfnt({**self.tables, b"glyf": _table(glyf), b"loca": _table(loca)})


def _checksum(data: bytes) -> int:
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def _table(data: bytes) -> tuple[bytes, int, int]:
    padded = _padded(data)
    return padded, len(data), _checksum(padded)


def _sfnt(tables: dict[bytes, tuple[bytes, int, int]]) -> bytes:
    """An sfnt file of the tables (each padded, with its length and checksum), head's checkSumAdjustment set."""
    tags = sorted(tables)
    selector = len(tags).bit_length() - 1
    search = 16 << selector
    header = struct.pack(">IHHHH", 0x00010000, len(tags), search, selector, len(tags) * 16 - search)
    offset = 12 + 16 * len(tags)
    records, total = [], 0
    for tag in tags:
        data, length, checksum = tables[tag]
        records.append(struct.pack(">4sIII", tag, checksum, offset, length))
        total += checksum
        offset += len(data)
    directory = header + b"".join(records)
    adjustment = (0xB1B0AFBA - _checksum(directory) - total) & 0xFFFFFFFF
    body = bytearray(directory + b"".join(tables[tag][0] for tag in tags))
    head = 12 + 16 * len(tags) + sum(len(tables[tag][0]) for tag in tags[:tags.index(b"head")])
    body[head + 8:head + 12] = struct.pack(">I", adjustment)
    return bytes(body)


def _components(glyph: bytes) -> list[int]:
    """The glyph ids a composite glyph is built of (none for a simple glyph)."""
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    found, at = [], 10
    while True:
        flags, component = struct.unpack(">HH", glyph[at:at + 4])
        found.append(component)
        at += 4 + (4 if flags & _COMPOSITE_WORDS else 2)
        if flags & _COMPOSITE_SCALE:
            at += 2
        elif flags & _COMPOSITE_XY_SCALE:
            at += 4
        elif flags & _COMPOSITE_2X2:
            at += 8
        if not flags & _COMPOSITE_MORE:
            return found


def _read_tables(path: Path) -> dict[bytes, bytes]:
    data = path.read_bytes()
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = data[offset:offset + length]
    return tables


def _face(index: int, style: str) -> Face:
    # fpdf2 parses the font once, for the widths and descriptor its own path would print.
    pdf = FPDF()
    pdf.add_font("face", style, fonts.font_file(style))
    parsed = pdf.fonts[f"face{style}"]
    assert isinstance(parsed, TTFFont)
    parsed.close()
    SubsetMap.get_glyph.cache_clear()  # the parse's two entries would stay in fpdf2's module-wide cache

    raw = _read_tables(Path(fonts.font_file(style)))
    count = struct.unpack(">H", raw[b"maxp"][4:6])[0]
    long_loca = struct.unpack(">h", raw[b"head"][50:52])[0] == 1
    loca = (struct.unpack(f">{count + 1}I", raw[b"loca"]) if long_loca
            else tuple(2 * o for o in struct.unpack(f">{count + 1}H", raw[b"loca"])))
    glyphs = tuple(_padded(raw[b"glyf"][loca[g]:loca[g + 1]]) for g in range(count))
    components = [_components(glyph) for glyph in glyphs]

    def closure(gid: int) -> tuple[int, ...]:
        found, todo = {gid}, list(components[gid])
        while todo:
            part = todo.pop()
            if part not in found:
                found.add(part)
                todo.extend(components[part])
        return tuple(sorted(found))

    unicodes = [0] * count
    for code_point, gid in parsed.glyph_ids.items():
        if unicodes[gid]:
            raise ValueError(f"{fonts.font_file(style)}: glyph {gid} prints both U+{unicodes[gid]:04X} and "
                             f"U+{code_point:04X}; its codes are glyph ids, so each glyph needs one code point")
        unicodes[gid] = code_point
    head = bytearray(raw[b"head"])
    head[8:12] = bytes(4)  # checkSumAdjustment, set per file
    head[50:52] = struct.pack(">h", 1)  # the loca written is the long one
    post = struct.pack(">I", 0x00030000) + raw[b"post"][4:32]  # no glyph names: nothing reads them
    kept = {tag: data for tag, data in raw.items() if tag not in (b"glyf", b"loca", b"head", b"post")}
    tables = {tag: _table(data) for tag, data in {**kept, b"head": bytes(head), b"post": post}.items()}
    desc = parsed.desc
    return Face(
        index=index, name=parsed.name, widths=dict(parsed.cw),
        codes=_Codes({code_point: chr(gid) for code_point, gid in parsed.glyph_ids.items()}),
        descriptor={"ascent": desc.ascent, "descent": desc.descent, "cap_height": desc.cap_height,
                    "flags": desc.flags, "font_b_box": desc.font_b_box, "italic_angle": desc.italic_angle,
                    "stem_v": desc.stem_v, "missing_width": desc.missing_width},
        missing_width=desc.missing_width, unicodes=tuple(unicodes),
        glyph_widths=tuple(int(parsed.cw[u]) if u else int(desc.missing_width) for u in unicodes),
        closure=tuple(closure(g) for g in range(count)), glyphs=glyphs, tables=tables)


@cache
def faces() -> dict[str, Face]:
    """The packaged font's styles ("" and "B"), read once per container."""
    return {style: _face(index, style) for index, style in enumerate(fonts.FONT_FILES, start=1)}


# --- the document --------------------------------------------------------------------------------


class InvoicePdf(FPDF):
    """A document whose text goes through `Content` and whose fonts `FontsOutput` writes; one resources
    dictionary serves every page."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.single_resources_object = True
        self.glyphs_used: dict[str, set[str]] = {style: set() for style in fonts.FONT_FILES}
        self.missing: set[str] = set()  # characters the font has no glyph for (printed as nothing)

    def pdf_bytes(self) -> bytes:
        if self.missing:
            _log.warning("the PDF font has no glyph for %s: printed as nothing",
                         ", ".join(f"U+{ord(ch):04X}" for ch in sorted(self.missing)))
        return bytes(self.output(output_producer_class=FontsOutput))


class FontsOutput(OutputProducer):
    """fpdf2's output, with the fonts written from `faces()` and the glyphs the document used."""

    fpdf: InvoicePdf

    def _add_fonts(self, *_resources: Any) -> dict[int, Any]:
        written: dict[int, Any] = {}
        for style, face in faces().items():
            used = sorted({ord(ch) for ch in self.fpdf.glyphs_used[style]})
            if not used:
                continue
            tag = "".join(chr(65 + (zlib.crc32(bytes(str(used), "ascii")) >> shift) % 26) for shift in range(0, 24, 4))
            name = f"{tag}+{face.name}"
            composite = PDFFont(subtype="Type0", base_font=name, encoding="Identity-H")
            self._add_pdf_obj(composite, "fonts")
            cid_font = PDFFont(subtype="CIDFontType2", base_font=name, d_w=face.missing_width,
                               w=_widths_array(used, face.glyph_widths))
            self._add_pdf_obj(cid_font, "fonts")
            composite.descendant_fonts = PDFArray([cid_font])
            to_unicode = PDFContentStream(_to_unicode(used, face.unicodes), compress=True)
            self._add_pdf_obj(to_unicode, "fonts")
            composite.to_unicode = to_unicode
            system_info = CIDSystemInfo()
            self._add_pdf_obj(system_info, "fonts")
            cid_font.c_i_d_system_info = system_info
            descriptor = PDFFontDescriptor(**face.descriptor)
            descriptor.font_name = Name(name)
            self._add_pdf_obj(descriptor, "fonts")
            cid_font.font_descriptor = descriptor
            cid_font.c_i_d_to_g_i_d_map = Name("Identity")  # type: ignore[assignment]
            program = PDFFontStream(face.program(used))
            self._add_pdf_obj(program, "fonts")
            descriptor.font_file2 = program  # type: ignore[attr-defined]
            written[face.index] = composite
        return written


def _widths_array(gids: list[int], widths: tuple[int, ...]) -> str:
    """The CIDFont's /W: each run of consecutive glyph ids as `first [w1 w2 …]`."""
    parts: list[str] = []
    run: list[str] = []
    previous = -2
    for gid in gids:
        if gid != previous + 1 and run:
            parts.append(f"{run[0]} [{' '.join(run[1:])}]")
            run = []
        if not run:
            run.append(str(gid))
        run.append(str(widths[gid]))
        previous = gid
    if run:
        parts.append(f"{run[0]} [{' '.join(run[1:])}]")
    return f"[{' '.join(parts)}]"


def _to_unicode(gids: list[int], unicodes: tuple[int, ...]) -> bytes:
    """The ToUnicode CMap (text extraction, search): each glyph id used, to its code point."""
    pairs = [f"<{gid:04X}> <{unicodes[gid]:04X}>\n" for gid in gids if unicodes[gid]]
    blocks = "".join(f"{len(pairs[i:i + 100])} beginbfchar\n{''.join(pairs[i:i + 100])}endbfchar\n"
                     for i in range(0, len(pairs), 100))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend").encode("ascii")


@cache
def _rgb(color: tuple[int, int, int]) -> str:
    return " ".join(f"{c / 255:.4f}".rstrip("0").rstrip(".") for c in color)


class Content:
    """A page's drawing operators, written in one piece to fpdf2 by `flush` (inside q … Q, so fpdf2's
    own idea of the graphics state stays true for what it draws itself). Coordinates are in the
    document's unit from the top left, as in fpdf2."""

    def __init__(self, pdf: InvoicePdf):
        self.pdf = pdf
        self.k, self.top = pdf.k, pdf.h * pdf.k
        self.faces = faces()
        self.parts: list[str] = []
        self.font: tuple[str, float] | None = None
        self.fill: tuple[int, int, int] | None = None
        self.stroke: tuple[int, int, int] | None = None
        self.width: float | None = None

    def text(self, x: float, y: float, text: str, style: str, size: float, color: tuple[int, int, int]) -> None:
        face = self.faces[style]
        codes = text.translate(face.codes)
        if len(codes) != len(text):
            self.pdf.missing.update(ch for ch in text if ord(ch) not in face.codes)
        self.pdf.glyphs_used[style].update(codes)
        if color != self.fill:
            self.parts.append(f"{_rgb(color)} rg")
            self.fill = color
        font = ""
        if (style, size) != self.font:
            font = f"/F{face.index} {size:.2f} Tf "
            self.font = (style, size)
        k = self.k
        self.parts.append(f"BT {font}{x * k:.2f} {self.top - y * k:.2f} Td <{codes.encode('utf-16-be').hex()}> Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float, color: tuple[int, int, int], width: float) -> None:
        if color != self.stroke:
            self.parts.append(f"{_rgb(color)} RG")
            self.stroke = color
        k, top = self.k, self.top
        if width != self.width:
            self.parts.append(f"{width * k:.2f} w")
            self.width = width
        self.parts.append(f"{x1 * k:.2f} {top - y1 * k:.2f} m {x2 * k:.2f} {top - y2 * k:.2f} l S")

    def band(self, x: float, y: float, w: float, h: float, color: tuple[int, int, int]) -> None:
        if color != self.fill:
            self.parts.append(f"{_rgb(color)} rg")
            self.fill = color
        k = self.k
        self.parts.append(f"{x * k:.2f} {self.top - y * k:.2f} {w * k:.2f} {-h * k:.2f} re f")

    def flush(self) -> None:
        """Writes what was drawn so far to the page; the next operators start from fpdf2's state again."""
        if self.parts:
            self.pdf._out("q\n" + "\n".join(self.parts) + "\nQ")
        self.parts = []
        self.font = self.fill = self.stroke = self.width = None
