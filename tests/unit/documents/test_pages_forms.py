"""The documents pages in the browser (Flask's test client): generating a document from the kinds
available now (the others shown as not yet available, with the reason), sharing a report with a
family member chosen by name, and revoking the share after a confirmation."""

from __future__ import annotations

import html
import re

import pytest

from services.documents.adapters.store import DocumentShare, StoredDocument
from shared.audit import AuditEntry
from tests.factories import make_user
from tests.unit.auth.conftest import csrf_from, sign_in
from tests.unit.documents.events import decision_recorded, received


@pytest.fixture
def browser(world):
    def make(*roles, name="Test User"):
        user = make_user(*roles, board=world.board, name=name)
        client = world.client()
        assert sign_in(client, user.email).status_code == 302
        client.user = user
        return client

    return make


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def summary(resp) -> list[tuple[str, str]]:
    box = re.search(r'class="govuk-error-summary".*?</ul>', text(resp), re.S)
    found = re.findall(r'<a href="([^"]+)">(.*?)</a>', box.group(0), re.S) if box else []
    return [(h, m.strip()) for h, m in found]


def post(client, path: str, data: dict, page: str | None = None):
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def kinds_offered(page: str) -> list[str]:
    return re.findall(r'name="kind" type="radio" value="([a-z_]+)"', page)


def test_the_business_unit_generates_a_document_from_the_kinds_available_now(world, browser):
    case_id = world.new_case()
    unit = browser("business_unit")
    listing = text(unit.get(f"/documents/cases/{case_id}"))
    assert f'href="/documents/cases/{case_id}/generate"' in listing
    page = text(unit.get(f"/documents/cases/{case_id}/generate"))
    offered = kinds_offered(page)
    assert "referral_summary" in offered
    # Not yet available, with the reason, not as an error: before the decision, no letter of it.
    assert "decision_notification" not in offered and "terms_of_reference" not in offered
    assert "Not yet available" in page and "There is a problem" not in page
    assert "Terms of reference" in page and "gathered during the review" in page
    assert "Decision on a Serious Case Review" in page and "The case record does not have it yet" in page

    done = post(unit, f"/documents/cases/{case_id}/generate", {"kind": "referral_summary"})
    assert done.status_code == 302 and done.headers["Location"] == f"/documents/cases/{case_id}"
    doc = StoredDocument.objects(case_id=case_id, kind="referral_summary").order_by("-version").first()
    shown = text(unit.get(done.headers["Location"]))
    assert f"Referral for consideration of a case review: version {doc.version} generated" in shown
    audited = AuditEntry.objects(action="case.write", actor_id=unit.user.user_id, outcome="success")
    assert audited.count() == 1 and audited.first().resource_id == doc.document_id


def test_a_letter_needs_its_recipient_and_every_problem_is_named_at_once(world, browser):
    case_id = world.new_case()
    world.deliver(received(decision_recorded(case_id, world.board.board_id)))
    before = StoredDocument.objects(case_id=case_id).count()
    chair = browser("chair")
    url = f"/documents/cases/{case_id}/generate"
    nothing = post(chair, url, {"recipient_name": "x" * 201})
    assert nothing.status_code == 422
    assert summary(nothing) == [
        ("#kind", "Select the document to generate"),
        ("#recipient_name", "Recipient's name must be 200 characters or fewer"),
    ]
    # The service's own check names both missing parts of the recipient.
    letter = post(chair, url, {"kind": "case_group_letter"})
    assert letter.status_code == 409
    assert [h for h, _ in summary(letter)] == ["#recipient_name", "#recipient_agency"]
    assert StoredDocument.objects(case_id=case_id).count() == before
    made = post(
        chair, url, {"kind": "case_group_letter", "recipient_name": "Sam Lee", "recipient_agency": "Health"}
    )
    assert made.status_code == 302
    assert StoredDocument.objects(case_id=case_id, kind="case_group_letter").count() == 1


def test_only_the_business_unit_the_chair_or_an_admin_generates_a_document(world, browser):
    case_id = world.new_case()
    before = StoredDocument.objects(case_id=case_id).count()
    for role in ("panel_member", "lead_reviewer"):
        who = browser(role)
        assert who.get(f"/documents/cases/{case_id}/generate").status_code == 403
        resp = post(
            who, f"/documents/cases/{case_id}/generate", {"kind": "referral_summary"}, page="/account"
        )
        assert resp.status_code == 403
        assert "Generate a document" not in text(who.get(f"/documents/cases/{case_id}"))
    assert StoredDocument.objects(case_id=case_id).count() == before


@pytest.fixture
def generated(world):
    case_id = world.new_case()
    resp = world.generate(case_id, "referral_summary")
    assert resp.status_code == 202
    return case_id, resp.get_json()["id"]


def test_a_report_is_shared_with_a_family_member_chosen_by_name_then_revoked(world, browser, generated):
    case_id, document_id = generated
    family = make_user("family_viewer", board=world.board, name="Jo Parent")
    make_user("chair", board=world.board, name="Not Family")
    unit = browser("business_unit")
    listing = text(unit.get(f"/documents/cases/{case_id}"))
    assert f'href="/documents/{document_id}/share"' in listing
    page = text(unit.get(f"/documents/{document_id}/share"))
    assert "Jo Parent" in page and "Not Family" not in page
    assert re.findall(r'name="user_id" type="radio" value="([^"]+)"', page) == [family.user_id]

    done = post(unit, f"/documents/{document_id}/share", {"user_id": family.user_id})
    assert done.status_code == 302 and done.headers["Location"] == f"/documents/cases/{case_id}"
    share = DocumentShare.objects.get(document_id=document_id)
    assert share.user_id == family.user_id and share.revoked_at is None
    assert AuditEntry.objects(action="document.shared", resource_id=document_id).count() == 1
    listing = text(unit.get(done.headers["Location"]))
    assert "Jo Parent can now read the report on screen" in listing
    assert "Reports family members can read" in listing and "Jo Parent" in listing

    revoke_url = f"/documents/shares/{share.share_id}/revoke"
    assert f'href="{revoke_url}"' in listing
    confirm = text(unit.get(revoke_url))
    assert "Stop Jo Parent reading the report?" in confirm
    assert DocumentShare.objects.get(share_id=share.share_id).revoked_at is None  # not yet
    revoked = post(unit, revoke_url, {})
    assert revoked.status_code == 302
    assert DocumentShare.objects.get(share_id=share.share_id).revoked_at is not None
    assert "Jo Parent can no longer read the report" in text(unit.get(revoked.headers["Location"]))
    assert unit.get(revoke_url).status_code == 404  # revoked: nothing left to stop


def test_sharing_without_choosing_names_the_problem(world, browser, generated):
    _, document_id = generated
    make_user("family_viewer", board=world.board, name="Jo Parent")
    unit = browser("business_unit")
    resp = post(unit, f"/documents/{document_id}/share", {"user_id": "someone-typed"})
    assert resp.status_code == 422
    assert summary(resp) == [("#user_id", "Select the family member who should read the report")]
    assert not DocumentShare.objects(document_id=document_id)


def test_without_family_members_the_share_page_says_so(world, browser, generated):
    _, document_id = generated
    page = text(browser("admin").get(f"/documents/{document_id}/share"))
    assert "No family member has an account on this board yet" in page and 'name="user_id"' not in page


def test_only_the_business_unit_or_an_admin_shares_or_revokes(world, browser, generated):
    _, document_id = generated
    family = make_user("family_viewer", board=world.board, name="Jo Parent")
    share = DocumentShare(
        board_id=world.board.board_id,
        document_id=document_id,
        case_id=generated[0],
        user_id=family.user_id,
        shared_by="u-unit",
    ).save()
    for role in ("chair", "panel_member"):
        who = browser(role)
        assert who.get(f"/documents/{document_id}/share").status_code == 403
        data = {"user_id": family.user_id}
        assert post(who, f"/documents/{document_id}/share", data, page="/account").status_code == 403
        assert who.get(f"/documents/shares/{share.share_id}/revoke").status_code == 403
        assert post(who, f"/documents/shares/{share.share_id}/revoke", {}, page="/account").status_code == 403
    assert DocumentShare.objects(document_id=document_id).count() == 1
    assert DocumentShare.objects.get(share_id=share.share_id).revoked_at is None


def test_a_publication_copy_needs_a_glossary_and_uses_it(world, browser):
    case_id = world.new_case()
    unit = browser("business_unit")
    url = f"/documents/cases/{case_id}/generate"
    bad = post(unit, url, {"publication": "y", "glossary": "Jane Smith = Child A\nno equals sign here"})
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#kind", "Select the document to generate"),
        ("#glossary", "Line 2 of the glossary: write the real name, an equals sign (=), then the stand-in"),
    ]
    missing = post(unit, url, {"kind": "referral_summary", "publication": "y"})
    assert missing.status_code == 422
    assert summary(missing) == [("#glossary", "A publication copy needs the case's glossary of pseudonyms")]
    made = post(
        unit, url, {"kind": "referral_summary", "publication": "y", "glossary": "Referrer = Officer A"}
    )
    assert made.status_code == 302
    assert StoredDocument.objects(case_id=case_id, publication=True).count() == 1
    assert "(publication copy): version 1 generated" in text(unit.get(made.headers["Location"]))
