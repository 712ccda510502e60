"""Reading rendered documents back: the text of a .docx, of a PDF, and the first page's pixels;
and the raw store searched as bytes, as anyone holding a copy of it could."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import bson
import pytest
from lxml import etree

from services.documents.adapters.pdf import find_soffice
from shared import store

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_parts(docx: bytes) -> dict[str, bytes]:
    """The XML parts a reader sees: the body, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {
            name: z.read(name)
            for name in z.namelist()
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer"))
        }


def docx_text(docx: bytes) -> str:
    """The text of every paragraph of the body, headers and footers, one per line.

    Tabs and line breaks inside a paragraph come back as ``\\t`` and ``\\n``. Parsing
    is strict, so a part that is not well-formed XML fails here.
    """
    lines: list[str] = []
    for xml in docx_parts(docx).values():
        root = etree.fromstring(xml)
        for p in root.iter(f"{W}p"):
            chunks = []
            for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
                if el.tag == f"{W}t":
                    chunks.append(el.text or "")
                elif el.tag == f"{W}tab":
                    if el.getparent().tag == f"{W}r":  # not a tab stop of the paragraph
                        chunks.append("\t")
                else:
                    chunks.append("\n")
            lines.append("".join(chunks))
    return "\n".join(lines)


def table_rows(docx: bytes) -> int:
    root = etree.fromstring(docx_parts(docx)["word/document.xml"])
    return sum(1 for _ in root.iter(f"{W}tr"))


def flat(text: str) -> str:
    """Whitespace collapsed, so text that wrapped across lines still matches."""
    return " ".join(text.split())


# -- Tools that need LibreOffice or poppler ----------------------------------------------


def need_soffice() -> None:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


def need_poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils), needed to read LibreOffice's PDF")
    return path


def pdf_text(pdf: bytes) -> str:
    tool = need_poppler("pdftotext")
    result = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    return pdf_text(pdf).count("\f") or 1


def first_page_png(pdf: bytes, dpi: int = 50) -> bytes:
    tool = need_poppler("pdftoppm")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "document.pdf"
        source.write_bytes(pdf)
        prefix = Path(tmp) / "page"
        subprocess.run(
            [
                tool,
                "-png",
                "-r",
                str(dpi),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(prefix),
            ],
            check=True,
            capture_output=True,
        )
        return prefix.with_suffix(".png").read_bytes()


def png_gray(png: bytes) -> tuple[int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit grey, RGB or RGBA, not interlaced): width, height, rows of grey."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = depth = colour = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            assert depth == 8 and interlace == 0, "only 8-bit, non-interlaced PNGs"
        elif kind == b"IDAT":
            idat += data
        elif kind == b"IEND":
            break
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(
            bytes(line[0::channels])
            if channels < 3
            else bytes((line[i] + line[i + 1] + line[i + 2]) // 3 for i in range(0, stride, channels))
        )
        previous = line
    return width, height, rows


# -- The raw store -----------------------------------------------------------------------

_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def opened_up(data: bytes) -> Iterator[bytes]:
    """``data`` and what a reader gets out of it without a key: a zip's members, a PDF's streams."""
    yield data
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    yield from opened_up(z.read(name))
        except zipfile.BadZipFile:
            pass
    if data[:4] == b"%PDF":
        for stream in _PDF_STREAM.findall(data):
            try:
                yield zlib.decompress(stream)
            except zlib.error:
                pass


def raw_store() -> Iterator[tuple[str, bytes]]:
    """Everything every database of this process holds, as bytes, each with where it is.

    Every record of every collection as BSON (GridFS chunks included), and each stored
    file put together from its chunks and opened up (:func:`opened_up`).
    """
    for alias, db in store.databases().items():
        names = set(db.list_collection_names())
        for name in sorted(names):
            for raw in db[name].find({}):
                yield f"{alias}/{name}/{raw.get('_id')}", bson.encode(raw)
            if name.endswith(".chunks") and f"{name[:-7]}.files" in names:
                for meta in db[f"{name[:-7]}.files"].find({}):
                    pieces = db[name].find({"files_id": meta["_id"]}, sort=[("n", 1)])
                    whole = b"".join(bytes(c["data"]) for c in pieces)
                    for part in opened_up(whole):
                        yield f"{alias}/{name[:-7]} file {meta['_id']} ({meta.get('filename')})", part


def found_in_clear(needles: Iterable[str]) -> list[tuple[str, str]]:
    """(where, what) for each needle found, case-insensitive, anywhere in :func:`raw_store`."""
    wanted = [n.lower().encode("utf-8") for n in needles]
    hits: set[tuple[str, str]] = set()
    for where, data in raw_store():
        lower = data.lower()
        hits.update((where, n.decode()) for n in wanted if n in lower)
    return sorted(hits)
