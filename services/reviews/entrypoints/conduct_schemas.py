"""What the API accepts and answers for meetings, the family, quality markers and interim learning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.reviews.domain.family import (
    CONSENT_STATES,
    CONTACT_WAYS,
    RELATION_KINDS,
    RELATIONSHIPS_TO_CHILD,
    SEXES,
)
from services.reviews.domain.meetings import MEETING_KINDS
from services.reviews.domain.quality import MARKERS, RATINGS
from services.reviews.entrypoints.schemas import LINE, TEXT, Strict
from shared.validation import Day

EARLIEST = datetime(2000, 1, 1)


class Moment(fields.DateTime):
    """A meeting time: ISO 8601; without an offset it is London's time."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment: datetime = super()._deserialize(value, attr, data, **kwargs)
        if moment.replace(tzinfo=None) < EARLIEST or moment.year > 2100:
            raise ValidationError("Enter a date and time between 2000 and 2100")
        return moment


# -- meetings ---------------------------------------------------------------------------------


class AttendeeSchema(Strict):
    name = fields.String(required=True, validate=LINE)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    role = fields.String(load_default=None, allow_none=True, validate=LINE)


class ActionSchema(Strict):
    what = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    owner = fields.String(required=True, validate=LINE)
    due_on = Day(load_default=None, allow_none=True)


class _MeetingFields(Strict):
    starts_at = Moment(metadata={"description": "ISO 8601; without an offset, London time"})
    ends_at = Moment()
    place = fields.String(allow_none=True, validate=validate.Length(max=500))
    link = fields.Url(allow_none=True, validate=validate.Length(max=2000))
    attendees = fields.List(fields.Nested(AttendeeSchema), validate=validate.Length(min=1, max=200))
    agenda = fields.List(fields.String(validate=LINE), validate=validate.Length(max=50))


class MeetingSchema(_MeetingFields):
    kind = fields.String(required=True, validate=validate.OneOf(MEETING_KINDS))
    starts_at = Moment(required=True, metadata={"description": "ISO 8601; without an offset, London time"})
    ends_at = Moment(required=True)
    attendees = fields.List(
        fields.Nested(AttendeeSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class MeetingChangeSchema(_MeetingFields):
    notes = fields.String(validate=TEXT)
    actions = fields.List(fields.Nested(ActionSchema), validate=validate.Length(max=100))

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Give at least one thing to change", "_schema")


class CarriedSchema(Schema):
    meeting_id = fields.String(required=True)
    held_on = fields.Date(required=True)
    heading = fields.String(required=True)
    summary = fields.String(required=True)


class MeetingOutSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    starts_at = fields.String(required=True, metadata={"description": "ISO 8601 with London's offset"})
    ends_at = fields.String(required=True)
    timezone = fields.String(required=True)
    place = fields.String(allow_none=True)
    link = fields.String(allow_none=True)
    attendees = fields.List(fields.Nested(AttendeeSchema), required=True)
    agenda = fields.List(fields.String(), required=True)
    notes = fields.String(required=True)
    actions = fields.List(fields.Nested(ActionSchema), required=True)
    sequence = fields.Integer(required=True)
    status = fields.String(required=True)
    carried_over = fields.List(fields.Nested(CarriedSchema), required=True)


class MeetingListSchema(Schema):
    case_id = fields.String(required=True)
    items = fields.List(fields.Nested(MeetingOutSchema), required=True)


# -- quality markers and interim learning -------------------------------------------------------


class AnswerSchema(Strict):
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    evidence = fields.String(load_default="", validate=TEXT)


class QualitySchema(Strict):
    marker = fields.String(required=True, validate=validate.OneOf(list(MARKERS)))
    answers = fields.Dict(keys=fields.String(), values=fields.Nested(AnswerSchema), required=True)


class QualityOutSchema(Schema):
    case_id = fields.String(required=True)
    markers = fields.List(fields.Dict(), required=True)


class InterimSchema(Strict):
    improvement = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    action_taken = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    owner = fields.String(required=True, validate=LINE)
    on = Day(required=True)
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))


class InterimOutSchema(Schema):
    id = fields.String(required=True)
    improvement = fields.String(required=True)
    action_taken = fields.String(required=True)
    owner = fields.String(required=True)
    on = fields.Date(required=True)
    agency = fields.String(allow_none=True)
    recorded_by = fields.String(required=True)


class InterimListSchema(Schema):
    case_id = fields.String(required=True)
    items = fields.List(fields.Nested(InterimOutSchema), required=True)


# -- the family --------------------------------------------------------------------------------


class FamilyMemberSchema(Strict):
    name = fields.String(required=True, validate=LINE)
    relationship_to_child = fields.String(required=True, validate=validate.OneOf(RELATIONSHIPS_TO_CHILD))
    sex = fields.String(load_default="unknown", validate=validate.OneOf(SEXES))
    born_on = Day(load_default=None, allow_none=True)
    deceased = fields.Boolean(load_default=False)
    household = fields.String(load_default=None, allow_none=True, validate=LINE)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=3, max=40))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class RelationSchema(Strict):
    from_ = fields.String(data_key="from", required=True, validate=validate.Length(min=1, max=64))
    kind = fields.String(required=True, validate=validate.OneOf(RELATION_KINDS))
    to = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ConsentSchema(Strict):
    status = fields.String(required=True, validate=validate.OneOf(CONSENT_STATES))
    on = Day(required=True)


MemberIds = fields.List(
    fields.String(validate=validate.Length(min=1, max=64)),
    required=True,
    validate=validate.Length(min=1, max=50),
)


class ContactSchema(Strict):
    on = Day(required=True)
    by = fields.String(required=True, validate=LINE)
    how = fields.String(required=True, validate=validate.OneOf(CONTACT_WAYS))
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    member_ids = MemberIds


class SupportSchema(Strict):
    on = Day(required=True)
    what = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    by = fields.String(required=True, validate=LINE)
    member_ids = MemberIds


class ViewsSchema(Strict):
    on = Day(required=True)
    member_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=20_000))


class HoldSchema(Strict):
    held = fields.Boolean(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class MemberOutSchema(FamilyMemberSchema):
    id = fields.String(required=True)
    consent = fields.Nested(ConsentSchema, allow_none=True)


class ContactOutSchema(ContactSchema):
    id = fields.String(required=True)
    held = fields.Boolean(required=True, metadata={"description": "Made while family involvement was held"})
    notice = fields.String(metadata={"description": "Said when the contact was made during a hold"})


class SupportOutSchema(SupportSchema):
    id = fields.String(required=True)


class ViewsOutSchema(ViewsSchema):
    id = fields.String(required=True)


class HoldOutSchema(Schema):
    held = fields.Boolean(required=True)
    reason = fields.String(allow_none=True)
    since = fields.Date(allow_none=True)


class FamilySchema(Schema):
    case_id = fields.String(required=True)
    hold = fields.Nested(HoldOutSchema, required=True)
    members = fields.List(fields.Nested(MemberOutSchema), required=True)
    relationships = fields.List(fields.Nested(RelationSchema), required=True)
    contacts = fields.List(fields.Nested(ContactOutSchema), required=True)
    support = fields.List(fields.Nested(SupportOutSchema), required=True)
    views = fields.List(fields.Nested(ViewsOutSchema), required=True)
    meetings = fields.List(fields.Nested(MeetingOutSchema), required=True)
