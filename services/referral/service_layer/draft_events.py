"""The events about referrals being written (``shared/events/referral.py``): a draft saved, and
a draft gone (sent as a referral, or deleted). They let the author's home page list their drafts
without the scheduler ever holding a draft's answers: only what happened, in words."""

from __future__ import annotations

from services.referral.adapters.store import Draft
from shared.auth.principal import Principal
from shared.events.referral import ReferralDraftDiscarded, ReferralDraftSaved

# The title of a draft: the answer to its first question in words; never the child's name.
TITLES = {
    "died": "A child died",
    "seriously_harmed": "A child was seriously harmed",
    "neither": "A child neither died nor was seriously harmed",
}
UNANSWERED = "No answers yet"


def title_of(draft: Draft) -> str:
    return TITLES.get((draft.answers or {}).get("what_happened") or "", UNANSWERED)


def draft_saved(draft: Draft, author: Principal) -> ReferralDraftSaved:
    return ReferralDraftSaved(
        draft_id=draft.draft_id,
        board_id=draft.board_id,
        user_id=draft.user_id,
        agency=author.agency,
        updated_at=draft.updated_at,
        title=title_of(draft),
    )


def draft_discarded(draft: Draft, *, submitted: bool) -> ReferralDraftDiscarded:
    return ReferralDraftDiscarded(
        draft_id=draft.draft_id, board_id=draft.board_id, user_id=draft.user_id, submitted=submitted
    )
