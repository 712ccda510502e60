"""Payload schemas of the product's events, version by version.

Later features add their own types here; a breaking change to a payload is
registered as a new version beside the old one, which stays until no producer
sends it.
"""

from marshmallow import Schema, fields, validate

from shared.events.catalogue import event

_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class _CaseEvent(Schema):
    case_id = _id
    board_id = _id


# --- operations -------------------------------------------------------------


@event("bus.check_requested", 1, "An operator asked every service to answer over the bus.")
class BusCheckRequested(Schema):
    check_id = _id
    requested_by = fields.String(required=True)


@event("bus.check_answered", 1, "A service answered a bus check.")
class BusCheckAnswered(Schema):
    check_id = _id
    requested_by = fields.String(required=True)
    answered_by = fields.String(required=True)


# --- referral and decision --------------------------------------------------


class _Reviewer(Schema):
    name = fields.String(required=True)
    organisation = fields.String(required=True)
    role = fields.String(load_default=None, dump_default=None, allow_none=True)


@event("referral.submitted", 1, "An agency referred an incident to the board.")
class ReferralSubmitted(_CaseEvent):
    reference = fields.String(required=True)
    rule_pack = fields.String(required=True)
    incident_on = fields.Date(required=True)
    became_aware_on = fields.Date(required=True)
    board_notified_on = fields.Date(required=True)
    notifiable = fields.Boolean(required=True)
    scr_required = fields.Boolean(required=True)
    recommended = fields.String(required=True)
    agencies_involved = fields.List(fields.String(), required=True)


@event("case.screened", 1, "The statutory screening of a case concluded.")
class CaseScreened(_CaseEvent):
    rule_pack = fields.String(required=True)
    notifiable = fields.Boolean(required=True)
    notifiable_grounds = fields.List(fields.String(), required=True)
    scr_required = fields.Boolean(required=True)
    scr_grounds = fields.List(fields.String(), required=True)
    recommended = fields.String(required=True)


@event("decision.recorded", 1, "The Chair recorded whether and how the case is reviewed.")
class DecisionRecorded(_CaseEvent):
    decision_id = _id
    rule_pack = fields.String(required=True)
    outcome = fields.String(required=True)
    scr_required = fields.Boolean(required=True)
    decided_on = fields.Date(required=True)
    initiated_on = fields.Date(required=True, allow_none=True)
    incident_on = fields.Date(required=True)
    panel_scrutiny = fields.Boolean(required=True)
    lead_reviewers = fields.List(fields.Nested(_Reviewer), required=True)


@event("decision.challenged", 1, "A peer Chair or the National Panel challenged a decision.")
class DecisionChallenged(_CaseEvent):
    decision_id = _id
    challenged_by = fields.String(required=True, validate=validate.OneOf(["peer", "national_panel"]))
    challenged_on = fields.Date(required=True)


@event("decision.changed", 1, "A decision was changed after challenge; the final outcome.")
class DecisionChanged(_CaseEvent):
    decision_id = _id
    rule_pack = fields.String(required=True)
    previous_outcome = fields.String(required=True)
    outcome = fields.String(required=True)
    decided_on = fields.Date(required=True)
    initiated_on = fields.Date(required=True, allow_none=True)
    incident_on = fields.Date(required=True)


@event("reviewer.appointed", 1, "Reviewers were appointed to a case review.")
class ReviewerAppointed(_CaseEvent):
    review_kind = fields.String(required=True)
    appointed_on = fields.Date(required=True)
    reviewers = fields.List(fields.Nested(_Reviewer), required=True)


# --- deadlines --------------------------------------------------------------


class _DeadlineEvent(_CaseEvent):
    deadline_id = _id
    code = fields.String(required=True)
    due = fields.Date(required=True)
    concerns = fields.String(required=True)


@event("deadline.due_soon", 1, "A statutory deadline falls due within the warning window.")
class DeadlineDueSoon(_DeadlineEvent):
    pass


@event("deadline.overdue", 1, "A statutory deadline passed without being met.")
class DeadlineOverdue(_DeadlineEvent):
    pass


# --- documents and notifications -------------------------------------------


@event("document.generated", 1, "A new version of a case document was stored.")
class DocumentGenerated(_CaseEvent):
    document_id = _id
    kind = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    # The event that caused it, or "request" when someone asked for it.
    caused_by = fields.String(load_default=None, dump_default=None, allow_none=True)


@event("notification.sent", 1, "A notification left the product for its recipient.")
class NotificationSent(_CaseEvent):
    notification_id = _id
    recipient_role = fields.String(required=True)
    template = fields.String(required=True)
    source_event_id = fields.String(required=True)
    sent_on = fields.Date(required=True)


@event("notification.failed", 1, "A notification could not be delivered within its retry window.")
class NotificationFailed(_CaseEvent):
    notification_id = _id
    recipient_role = fields.String(required=True)
    template = fields.String(required=True)
    reason = fields.String(required=True)
