"""What the report and publication API accepts and answers (also its OpenAPI contract)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.reviews.domain.report import BODY, SECTION_LIMIT, SECTIONS
from services.reviews.entrypoints.schemas import Strict
from shared.validation import Day

SECTION_TEXT = validate.Length(max=SECTION_LIMIT)
COMMENT = validate.Length(min=1, max=5000)
SECTION_NAMES = validate.OneOf([*SECTIONS, BODY])

_SECTION_FIELDS: dict[str, fields.Field] = {
    k: fields.String(metadata={"description": title}, validate=SECTION_TEXT) for k, title in SECTIONS.items()
}
_SECTION_FIELDS[BODY] = fields.String(
    metadata={"description": "An uploaded report read whole"}, validate=SECTION_TEXT
)
SectionsSchema = Schema.from_dict(
    _SECTION_FIELDS,
    name="ReportSectionsSchema",
)


class VersionBodySchema(Strict):
    sections = fields.Dict(
        keys=fields.String(validate=SECTION_NAMES),
        values=fields.String(validate=SECTION_TEXT),
        required=True,
        metadata={"description": "Section -> text (002 §2.8): " + ", ".join(SECTIONS)},
    )


class VersionOutSchema(Schema):
    version = fields.Integer()
    sections = fields.Nested(SectionsSchema)
    saved_on = fields.Date()
    saved_by = fields.String()
    filename = fields.String(allow_none=True)
    comments = fields.List(fields.Dict())


class ReportOutSchema(Schema):
    case_id = fields.String()
    versions = fields.List(fields.Dict())
    signed_off = fields.Dict(allow_none=True)
    shares = fields.List(fields.Dict())
    comments = fields.List(fields.Dict())
    publication = fields.Dict()


class CompareQuery(Strict):
    from_ = fields.Integer(data_key="from", required=True, validate=validate.Range(min=1))
    to = fields.Integer(required=True, validate=validate.Range(min=1))


class CompareOutSchema(Schema):
    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    sections = fields.List(fields.Dict(), metadata={"description": "Per section: rows [tag, old, new]"})


class ReportCommentBodySchema(Strict):
    section = fields.String(load_default=None, allow_none=True, validate=SECTION_NAMES)
    text = fields.String(required=True, validate=COMMENT)


class ReportCommentOutSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    section = fields.String(allow_none=True)
    text = fields.String()
    by = fields.String()
    on = fields.Date()
    family = fields.Boolean()


class ReportQualityOutSchema(Schema):
    version = fields.Integer()
    addressed = fields.Integer()
    of = fields.Integer()
    points = fields.List(fields.Dict())
    sections = fields.List(fields.String())


class ShareBodySchema(Strict):
    user_id = fields.String(validate=validate.Length(min=1, max=64))
    email = fields.Email(validate=validate.Length(max=254))

    @validates_schema
    def one_of(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("user_id") and not data.get("email"):
            raise ValidationError("Give the family member's user id or email address", "user_id")


class ShareOutSchema(Schema):
    version = fields.Integer()
    user_id = fields.String()
    email = fields.String()
    shared_on = fields.Date()


class SignOffBodySchema(Strict):
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    signed_off_on = Day(required=True)


class SignOffOutSchema(Schema):
    version = fields.Integer()
    signed_off_on = fields.Date()
    by = fields.String()


class PlanBodySchema(Strict):
    planned_publication_on = Day(required=True)


class CopiesBodySchema(Strict):
    sent_on = Day(
        load_default=None, allow_none=True, metadata={"description": "Past: sent outside the product"}
    )


class DecisionBodySchema(Strict):
    publish = fields.Boolean(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=5000))


class PanelAdviceBodySchema(Strict):
    advice = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    received_on = Day(required=True)
    final_publish = fields.Boolean(load_default=None, allow_none=True)
    final_reason = fields.String(load_default="", validate=validate.Length(max=5000))


class PublishedBodySchema(Strict):
    published_on = Day(required=True)
    url = fields.Url(required=True, schemes={"https", "http"}, validate=validate.Length(max=2000))


class PublicationOutSchema(Schema):
    case_id = fields.String()
    planned_on = fields.Date(allow_none=True)
    copies_due_on = fields.Date()
    copies_sent_on = fields.Date(allow_none=True)
    copies_by_product = fields.Boolean(allow_none=True)
    copies_version = fields.Integer(allow_none=True)
    publish = fields.Boolean(allow_none=True)
    reason = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    panel_advice = fields.String(allow_none=True)
    panel_advice_on = fields.Date(allow_none=True)
    final_publish = fields.Boolean(allow_none=True)
    final_reason = fields.String(allow_none=True)
    final_decided_on = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True)
    url = fields.String(allow_none=True)
