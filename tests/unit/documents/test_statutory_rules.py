"""Issue 12 in the documents: the corrections against the seeds, each test naming its seed.

The documents are rendered for real and read back as text, on fakes for the store (:mod:`.told`).
The rule packs of the current guidance are in test_rule_packs.py.
"""

from __future__ import annotations

import pytest

from services.documents.service_layer import handlers
from services.documents.service_layer.commands import GenerateDocument
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.events.referral import Reviewer, ScreeningReason

from .events import (
    case_screened,
    decision_confirmed,
    decision_recorded,
    new_case_id,
    received,
    referral_submitted,
)
from .support import docx_text, flat
from .told import BOARD, DECLARED, REVIEWER, Told


@pytest.fixture
def told() -> Told:
    return Told()


@pytest.fixture
def case_id() -> str:
    return new_case_id()


# -- Correction 2: the incident notification, for notifiable incidents only, on its grounds ------


def test_a_referral_that_is_not_notifiable_gets_no_incident_form_003_notifiable_incidents(told, case_id):
    """003 'Notifiable Incidents': only an incident meeting a criterion is reported."""
    told.deliver(
        referral_submitted(case_id, BOARD, notifiable=False),
        case_screened(case_id, BOARD, notifiable=False, notifiable_grounds=[], reasons=[]),
    )
    assert told.kinds() == ["referral_summary"]


def test_why_notifiable_lists_the_grounds_only_003_notifiable_incidents(told, case_id):
    """003 'Notifiable Incidents': the form says which criteria are met, not every screening reason."""
    reasons = [
        ScreeningReason(
            code="notifiable.death_abuse_neglect",
            text="The child died and abuse or neglect is known or suspected.",
            source="003 'Notifiable Incidents'",
        ),
        ScreeningReason(
            code="scr.death_abuse_neglect", text="An SCR is required: the child died.", source="003"
        ),
        ScreeningReason(
            code="notifiable.report_within_5_working_days",
            text="Report within 5 working days.",
            source="003",
        ),
        ScreeningReason(code="child_death_review_applies", text="Child death review.", source="003"),
    ]
    screened = case_screened(
        case_id,
        BOARD,
        notifiable_grounds=["death_abuse_neglect", "looked_after_child_death"],
        reasons=reasons,
    )
    told.deliver(referral_submitted(case_id, BOARD), screened)
    text = told.text("ofsted_incident_notification")
    why = text.split("Why the incident is notifiable", 1)[1].split("Agencies involved", 1)[0]
    assert why.split() == (
        "The child died and abuse or neglect is known or suspected. Looked after child death".split()
    )


# -- Correction 4: the lead reviewers' independence, as declared ---------------------------------


def test_the_record_and_the_letter_show_each_reviewers_independence_001_5_6_and_003(told, case_id):
    """001 §5.6; 002 §2.2; 003 'Appointing reviewers': the declarations, agency and qualifications."""
    police_reviewer = Reviewer(
        name="Sgt Pat Green",
        organisation="North Police review unit",
        agency="police",
        qualifications="Serious case review panel member",
        declarations={**DECLARED, "works_for_board_agency": True},
    )
    told.deliver(
        referral_submitted(case_id, BOARD),
        case_screened(case_id, BOARD),
        decision_recorded(case_id, BOARD, lead_reviewers=[REVIEWER, police_reviewer]),
    )
    for kind in ("screening_decision_record", "decision_notification"):
        text = told.text(kind)
        assert "Systems-approach lead reviewer, accredited 2019" in text, kind
        assert "Does not work for an agency involved in the case; Does not line-manage staff" in text
        assert "Was not involved in the case; Does not work for any of the board's agencies" in text
        assert "North Police" in text and "Works for one of the board's agencies" in text, kind
        assert "Not a board agency" in text, kind  # the independent reviewer belongs to none


# -- Correction 8: cross-border cases name the other boards -------------------------------------


def test_documents_name_the_home_board_and_the_other_boards_003_checklist_and_004(told, case_id):
    """003 checklist (the board where the child normally lives decides); 004 (every relevant board)."""
    told.deliver(
        referral_submitted(
            case_id, BOARD, home_board="Lancashire Safeguarding Children Board", other_boards=["Cumbria LSCB"]
        ),
        case_screened(case_id, BOARD),
        decision_recorded(case_id, BOARD),
    )
    record = told.uow.cases.stored[case_id]
    assert (record.home_board, record.other_boards) == (
        "Lancashire Safeguarding Children Board",
        ["Cumbria LSCB"],
    )
    for kind in (
        "referral_summary",
        "ofsted_incident_notification",
        "screening_decision_record",
        "decision_notification",
    ):
        text = told.text(kind)
        assert "Lancashire Safeguarding Children Board" in text and "Cumbria LSCB" in text, kind
    assert "normally lives in the area of Lancashire" in told.text("ofsted_incident_notification")


# -- Correction 9: the SCR method the Chair chose -------------------------------------------------


def test_the_record_and_the_letter_name_the_method_chosen_001_5_3_and_5_4(told, case_id):
    """001 §5.3 (intensive), §5.4 (targeted): the Chair records the method; the documents name it."""
    told.deliver(
        referral_submitted(case_id, BOARD),
        case_screened(case_id, BOARD),
        decision_recorded(case_id, BOARD, method="targeted", lead_reviewers=[REVIEWER]),
    )
    assert "decided to initiate a Serious Case Review using the targeted methodology" in told.text(
        "decision_notification"
    )
    assert "Method Targeted" in told.text("screening_decision_record")


# -- Correction 5: a decision kept after a challenge ----------------------------------------------


def test_a_decision_kept_after_a_challenge_makes_a_new_letter_saying_so_003_checklist(told, case_id):
    """003 checklist: challenged by the National Panel, the board tells Ofsted, DfE and the Panel the
    final outcome; here it kept its decision, and the letter says so."""
    told.deliver(
        referral_submitted(case_id, BOARD),
        case_screened(case_id, BOARD),
        decision_recorded(case_id, BOARD, lead_reviewers=[REVIEWER]),
        decision_confirmed(case_id, BOARD),
    )
    assert told.cause("decision_notification") == (2, "decision.confirmed")
    assert told.cause("screening_decision_record") == (2, "decision.confirmed")
    text = told.text("decision_notification")
    assert (
        "After a challenge by the National Panel of Independent Experts on Serious Case Reviews,"
        " Alex Chair confirmed on 20 December 2025 that the board keeps the decision of"
        " 1 December 2025. This is the final outcome."
    ) in text
    assert "The Panel's challenge was considered" in text
    assert "The board tells Ofsted, the Department for Education and the National Panel" in text


def test_a_confirmation_is_made_once_and_one_of_an_unknown_decision_is_refused(told, case_id):
    told.deliver(referral_submitted(case_id, BOARD), case_screened(case_id, BOARD))
    with pytest.raises(PermanentError, match="no decision.recorded"):
        told.deliver(decision_confirmed(case_id, BOARD))
    told.deliver(decision_recorded(case_id, BOARD))
    event = received(decision_confirmed(case_id, BOARD))
    told.queue.handler(event)
    made = len(told.uow.documents.stored)
    told.queue.handler(event)  # the broker delivers it again
    assert len(told.uow.documents.stored) == made == 6


# -- Correction 11: the Chair named is the decision's, never the person asking ----------------


def test_the_chair_named_is_the_one_who_decided_never_who_asks_for_the_letter(told, case_id):
    """Issue 12 correction 11: the letter names the Chair who made the decision, not an admin."""
    told.deliver(
        referral_submitted(case_id, BOARD),
        case_screened(case_id, BOARD),
        decision_recorded(case_id, BOARD, chair_name="Professor Alan Hughes", lead_reviewers=[REVIEWER]),
    )
    admin = Principal(user_id="u-9", name="Ada Admin", board_id=BOARD, roles=frozenset({"admin"}))
    cmd = GenerateDocument(case_id=case_id, kind="decision_notification", requested_by=admin)
    doc = handlers.generate(cmd, told.uow, told.deps.render_docx, told.deps.pseudonymise, told.deps.today)
    text = flat(docx_text(told.uow.files.read(doc.file_id)))
    assert "Professor Alan Hughes, Chair of North Partnership, decided" in text
    assert "Ada Admin" not in text
