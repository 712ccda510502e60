"""Every kind rendered from the case once per session, and converted to PDF in parallel.

The conversions run four at a time, so the session also shows that concurrent
LibreOffice conversions, each with a profile of its own, do not collide.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.documents.adapters.pdf import to_pdf
from services.documents.adapters.render import render_docx
from services.documents.bootstrap import bootstrap
from services.documents.domain.kinds import KINDS
from services.referral.bootstrap import bootstrap as referral_bootstrap
from shared.auth import service_tokens
from tests.factories import bearer, make_board, make_token, make_user

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


# -- the service with the referral service beside it ------------------------------------

AGENCIES = ("police", "health", "childrens_social_care", "education")


class AppCaseSource:
    """The referral service's API called in-process, with a real service token."""

    def __init__(self, app, settings):
        self.client = app.test_client()
        self.key = settings.SERVICE_AUTH_KEY

    def get(self, case_id, principal):
        from shared.errors import NotFound

        token = service_tokens.mint(principal, "referral", self.key)
        resp = self.client.get(f"/api/v1/cases/{case_id}", headers=bearer(token))
        if resp.status_code == 404:
            raise NotFound("There is no case with this id", field="case_id")
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()


@pytest.fixture
def world(settings):
    from services.documents.bootstrap import default_deps

    board = make_board(agencies=AGENCIES)
    referral = referral_bootstrap(settings)
    deps = default_deps(settings)
    deps.cases = AppCaseSource(referral.app, settings)
    documents = bootstrap(settings, deps=deps)
    user = make_user("business_unit", "chair", board=board)
    token = bearer(make_token(user))

    class World:
        pass

    w = World()
    w.board, w.referral, w.documents, w.deps, w.token = board, referral, documents, deps, token

    class Poster:
        def post(self, path, json=None):
            return referral.app.test_client().post(path, json=json, headers=token)

    w.poster = Poster()
    return w
