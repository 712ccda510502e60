"""Every kind rendered from the case once per session, and converted to PDF in parallel.

The conversions run four at a time, so the session also shows that concurrent
LibreOffice conversions, each with a profile of its own, do not collide.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.domain.kinds import KINDS

from .factories import context_for
from .support import need_soffice


@pytest.fixture(scope="session")
def rendered() -> dict[str, bytes]:
    return {kind: render_docx(kind, context_for(kind)) for kind in KINDS}


@pytest.fixture(scope="session")
def converted(rendered) -> dict[str, bytes]:
    need_soffice()
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = pool.map(to_pdf, rendered.values())
        return dict(zip(rendered, pdfs, strict=True))
