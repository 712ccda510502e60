"""PDF from a Word document, with LibreOffice headless: ``to_pdf(docx) -> bytes``.

Each call converts in a temporary folder of its own, with a LibreOffice user profile of
its own (``-env:UserInstallation``), so concurrent conversions never share a profile or
a lock file. A conversion that runs past ``timeout`` is killed, with every process it
started, and reported.

The binary is ``soffice`` on the PATH, or the one named by ``LIBREOFFICE_BIN``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["ConversionError", "ConversionTimeout", "LibreOfficeMissing", "find_soffice", "to_pdf"]


class ConversionError(RuntimeError):
    """LibreOffice could not turn the document into a PDF."""


class LibreOfficeMissing(ConversionError):
    """No LibreOffice binary was found."""


class ConversionTimeout(ConversionError):
    """LibreOffice took longer than allowed and was stopped."""


def find_soffice() -> str | None:
    """The LibreOffice binary to run, or None when it is not installed."""
    configured = os.environ.get("LIBREOFFICE_BIN")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, timeout: float = 60) -> bytes:
    """The PDF of the .docx bytes ``docx``.

    Raises :class:`LibreOfficeMissing` when LibreOffice is not installed,
    :class:`ConversionTimeout` after ``timeout`` seconds, and :class:`ConversionError`
    when LibreOffice fails or writes no PDF.
    """
    binary = find_soffice()
    if binary is None:
        raise LibreOfficeMissing(
            "LibreOffice is not installed: no 'soffice' on the PATH (Debian package"
            " libreoffice-writer-nogui), and LIBREOFFICE_BIN is not set"
        )
    with tempfile.TemporaryDirectory(prefix="lscb-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        out = folder / "out"
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            str(source),
        ]
        env = {**os.environ, "HOME": str(folder)}  # nothing written to the service's home
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # its own process group, so a timeout stops all of it
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise ConversionTimeout(
                f"LibreOffice did not convert the document within {timeout:g} seconds"
            ) from None
        pdf = out / "document.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(
                f"LibreOffice could not convert the document (exit {process.returncode})"
                + (f": {detail}" if detail else "")
            )
        return pdf.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # a process outside the group holds the pipes
        pass
