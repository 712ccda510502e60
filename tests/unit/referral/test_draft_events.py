"""Drafts announce themselves without their answers: ``referral_draft.saved`` at each save, and
``referral_draft.discarded`` when sent or deleted, each waiting in the draft's notice outbox (the
draft itself is gone by then). And deleting a saved referral on the pages, after confirming."""

from __future__ import annotations

import html
import json

from services.referral.adapters.store import Draft, DraftNotice
from shared.audit import AuditEntry
from shared.events import parse_envelope
from tests.unit.referral.test_api_drafts import DRAFTS, answers, start


def announced(draft_id: str) -> list:
    notice = DraftNotice.objects(draft_id=draft_id).first()
    assert notice is not None, "nothing was announced about the draft"
    return [parse_envelope(e.envelope) for e in notice.outbox]


def test_each_save_is_announced_with_words_and_no_personal_data(as_role):
    police = as_role("agency_practitioner", agency="police", name="Priya Practitioner")
    draft = start(
        police,
        what_happened="seriously_harmed",
        child={"name": "Jamie Example", "date_of_birth": "2015-02-01"},
    )
    police.patch(f"{DRAFTS}/{draft['id']}", json={"answers": {"custody_setting": "none"}})
    events = announced(draft["id"])
    assert [e.event_type for e in events] == ["referral_draft.saved", "referral_draft.saved"]
    data = events[-1].data
    assert (data.draft_id, data.agency, data.title) == (draft["id"], "police", "A child was seriously harmed")
    assert data.user_id == Draft.objects.get(draft_id=draft["id"]).user_id
    text = json.dumps(DraftNotice.objects.get(draft_id=draft["id"]).to_mongo().to_dict(), default=str)
    assert "Jamie" not in text and "2015-02-01" not in text and "Priya" not in text


def test_a_draft_sent_or_deleted_is_announced_gone(as_role):
    police = as_role("agency_practitioner", agency="police")
    sent = start(police, **answers(child={}))
    assert police.post(f"{DRAFTS}/{sent['id']}/submit").status_code == 201
    last = announced(sent["id"])[-1]
    assert last.event_type == "referral_draft.discarded" and last.data.submitted is True

    dropped = start(police, what_happened="died")
    assert police.delete(f"{DRAFTS}/{dropped['id']}").status_code == 204
    last = announced(dropped["id"])[-1]
    assert last.event_type == "referral_draft.discarded" and last.data.submitted is False
    assert Draft.objects(draft_id=dropped["id"]).count() == 0


def test_the_author_deletes_a_saved_referral_after_confirming(browser):
    b = browser("agency_practitioner", agency="police")
    location = b.answer("/referrals/new", {"what_happened": "neither"}, action="save")
    draft = Draft.objects.get()
    listing = html.unescape(b.page("/referrals"))
    assert f'href="/referrals/{draft.draft_id}/delete"' in listing
    # The home page's link continues the referral where it was left.
    resumed = b.get(f"/referrals/{draft.draft_id}")
    assert resumed.status_code == 302 and f"/referrals/{draft.draft_id}/" in resumed.headers["Location"]

    confirm = html.unescape(b.page(f"/referrals/{draft.draft_id}/delete"))
    assert "Delete this saved referral?" in confirm and "Neither" in confirm and "No, keep it" in confirm
    assert Draft.objects.count() == 1  # nothing deleted by looking
    done = b.submit(f"/referrals/{draft.draft_id}/delete", {}, action=None)
    assert done.status_code == 302 and done.headers["Location"] == "/referrals"
    assert Draft.objects.count() == 0
    assert "Your saved referral was deleted" in b.page("/referrals")
    assert announced(draft.draft_id)[-1].event_type == "referral_draft.discarded"
    assert any(e.action == "draft.write" and e.resource_id == draft.draft_id for e in AuditEntry.objects)
    assert location  # the first answer was saved


def test_nobody_else_may_delete_it(browser):
    author = browser("agency_practitioner", agency="police")
    author.answer("/referrals/new", {"what_happened": "neither"}, action="save")
    draft = Draft.objects.get()
    other = browser("agency_practitioner", agency="police")
    assert other.get(f"/referrals/{draft.draft_id}/delete").status_code == 404
    assert other.get(f"/referrals/{draft.draft_id}").status_code == 404
    assert Draft.objects.count() == 1
