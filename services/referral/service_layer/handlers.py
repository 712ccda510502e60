"""Which handler takes each command and query of the referral service, and which events it
listens to (``listeners``, declared at the handlers). The handlers themselves live by subject:

- :mod:`.referrals`: a referral becomes a screened case;
- :mod:`.drafts`: a referral written over several sittings;
- :mod:`.cases`: reading cases, their status, sharing;
- :mod:`.pseudonyms`: the child's pseudonym on a case;
- :mod:`.decisions`: the decision, its challenge, change or confirmation;
- :mod:`.rapid_reviews`: the safeguarding partners' rapid review (wt2018, wt2023);
- :mod:`.boards`: the board's rule pack and its Chairs;
- :mod:`.deadlines`: the scheduler's deadline events.

Each takes its message first, then the dependencies ``bootstrap`` injects by name: ``uow``
(the unit of work) and ``clock`` (today's date in England).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.referral.service_layer import (
    boards,
    cases,
    decisions,
    drafts,
    pseudonyms,
    rapid_reviews,
    referrals,
)
from services.referral.service_layer import messages as m
from services.referral.service_layer.deadlines import listeners

HANDLERS: Mapping[type, Callable[..., Any]] = {
    m.SubmitReferral: referrals.submit_referral,
    m.Screen: referrals.screen_facts,
    m.SaveDraft: drafts.save_draft,
    m.SubmitDraft: drafts.submit_draft,
    m.DiscardDraft: drafts.discard_draft,
    m.GetDraft: drafts.get_draft,
    m.ListDrafts: drafts.list_drafts,
    m.DescribeJourney: drafts.describe_journey,
    m.GetCase: cases.get_case,
    m.ListCases: cases.list_cases,
    m.BoardAgencies: cases.board_agencies,
    m.ChangeStatus: cases.change_status,
    m.ShareCase: cases.share_case,
    pseudonyms.SetPseudonym: pseudonyms.set_pseudonym,
    m.RecordDecision: decisions.record_decision,
    m.ChangeDecision: decisions.change_decision,
    m.RecordChallenge: decisions.record_challenge,
    m.ConfirmDecision: decisions.confirm_decision,
    m.RecordRapidReview: rapid_reviews.record_rapid_review,
    m.GetBoardSettings: boards.board_settings,
    m.ChangeRulePack: boards.change_rule_pack,
    m.BoardChairs: boards.board_chairs,
}

__all__ = ["HANDLERS", "listeners"]
