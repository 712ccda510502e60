"""Every document opens in LibreOffice and reads as it should; conversion failures are clear.

The session's conversions (see conftest.py) run four at a time, each with its own
LibreOffice profile; every PDF below carrying its own kind's text shows they did not
collide.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from services.documents.adapters import pdf as pdf_module
from services.documents.adapters.pdf import (
    ConversionError,
    ConversionTimeout,
    LibreOfficeMissing,
    to_pdf,
)
from services.documents.adapters.render import render_docx
from services.documents.domain.kinds import KINDS

from .factories import (
    BOARD,
    REFERENCE,
    chronology_rows,
    make_case_context,
)
from .render_cases import KIND_SPECIFIC, PAYLOADS, hostile_context
from .support import first_page_png, flat, need_soffice, pdf_text, png_gray


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_opens_in_libreoffice_with_the_shared_look(kind, converted):
    pdf = converted[kind]
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    pages = text.count("\f")
    words = flat(text)
    assert BOARD in words and REFERENCE in words and "14 March 2025" in words
    assert KIND_SPECIFIC[kind] in words
    assert words.count("OFFICIAL-SENSITIVE") == 2 * pages, "marking missing from a header or footer"
    assert f"Page 1 of {pages}" in words and f"Page {pages} of {pages}" in words


@pytest.mark.parametrize("kind", ["referral_summary", "spe_chronology_form"])  # portrait, landscape
def test_the_first_page_is_not_blank_and_is_marked_top_and_bottom(kind, converted):
    width, height, rows = png_gray(first_page_png(converted[kind], dpi=50))
    assert (width > height) == (kind == "spe_chronology_form")
    ink = [sum(1 for px in row if px < 160) for row in rows]
    share = sum(ink) / (width * height)
    assert 0.005 < share < 0.5, f"{share:.1%} of the page is ink"
    band = height // 12
    assert sum(ink[:band]) > 0, "nothing printed at the top of the page (the marking)"
    assert sum(ink[-band:]) > 0, "nothing printed at the foot of the page (the marking)"


def test_hostile_text_reads_literally_in_the_pdf():
    need_soffice()
    text = pdf_text(to_pdf(render_docx("decision_notification", hostile_context("x"))))
    packed = "".join(text.split())  # LibreOffice may wrap a long payload at a slash
    for payload in PAYLOADS:
        assert "".join(payload.split()) in packed, payload
    assert "A & B <Board>" in flat(text)
    assert "49" not in text


def test_a_large_chronology_converts():
    need_soffice()
    docx = render_docx("spe_chronology_form", make_case_context(entries=chronology_rows(120)))
    text = flat(pdf_text(to_pdf(docx)))
    assert "Event 1:" in text and "Event 120:" in text


# -- Failures ----------------------------------------------------------------------------


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_missing_libreoffice_is_reported_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv("LIBREOFFICE_BIN", str(tmp_path / "no-such-soffice"))
    with pytest.raises(LibreOfficeMissing, match="LibreOffice is not installed"):
        to_pdf(b"PK")


def test_missing_libreoffice_on_the_path_is_reported_clearly(monkeypatch):
    monkeypatch.delenv("LIBREOFFICE_BIN", raising=False)
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    with pytest.raises(LibreOfficeMissing, match="soffice"):
        to_pdf(b"PK")


def test_a_conversion_that_hangs_is_stopped_with_everything_it_started(monkeypatch, tmp_path):
    pid_file = tmp_path / "child.pid"
    # LibreOffice's launcher starts soffice.bin; this stand-in starts a sleeping child.
    script = fake_soffice(tmp_path, f"sleep 60 & echo $! > {pid_file}; wait")
    monkeypatch.setenv("LIBREOFFICE_BIN", script)
    started = time.monotonic()
    with pytest.raises(ConversionTimeout, match="within 1 seconds"):
        to_pdf(b"PK", timeout=1)
    assert time.monotonic() - started < 15
    child = int(pid_file.read_text())
    for _ in range(50):
        if not running(child):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the converter's child process is still running")


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its reaper is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def test_a_failed_conversion_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "LIBREOFFICE_BIN",
        fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2; exit 1"),
    )
    with pytest.raises(ConversionError, match="exit 1.*source file could not be loaded"):
        to_pdf(b"PK")


def test_a_conversion_that_writes_no_pdf_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("LIBREOFFICE_BIN", fake_soffice(tmp_path, "exit 0"))
    with pytest.raises(ConversionError, match="could not convert"):
        to_pdf(b"PK")


def test_each_conversion_uses_a_profile_of_its_own(monkeypatch, tmp_path):
    log = tmp_path / "args"
    script = fake_soffice(tmp_path, f'echo "$1" >> {log}; exit 1')
    monkeypatch.setenv("LIBREOFFICE_BIN", script)
    for _ in range(2):
        with pytest.raises(ConversionError):
            to_pdf(b"PK")
    first, second = log.read_text().split()
    assert first.startswith("-env:UserInstallation=file:///") and first != second
