"""The reviews API for the family's part (002 §2.5; 001 §6 note 9): members and relationships,
the genogram, contacts, support, consent, views, and the hold while proceedings run."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints import conduct_schemas as s
from services.reviews.entrypoints.api import _body, _deps, _today, _viewer
from services.reviews.service_layer import family_commands as family
from shared.audit import audited
from shared.auth.access import members
from shared.idempotency import derived_id
from shared.openapi import Raw, documented

blueprint = Blueprint("reviews_family_api", __name__, url_prefix="/api/v1/reviews")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
MANAGERS = ("business_unit", "admin")


@blueprint.get("/<case_id>/family")
@members(*READERS)
@documented(
    summary="The family: members, relationships, contacts, support, consent, views, hold",
    responses={200: s.FamilySchema, 404: None},
)
@audited("family.read", "family", "case_id")
def get_family(case_id: str) -> ResponseReturnValue:
    return jsonify(family.get_family(_deps().uow, _viewer(), case_id))


@blueprint.get("/<case_id>/family/genogram.svg")
@members(*READERS)
@documented(
    summary="The family's genogram, drawn as SVG with a title and a description for screen readers",
    responses={200: Raw("image/svg+xml"), 404: None},
)
@audited("family.read", "genogram", "case_id")
def genogram(case_id: str) -> ResponseReturnValue:
    svg = family.genogram(_deps().uow, _viewer(), case_id)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@blueprint.post("/<case_id>/family/members")
@members(*MANAGERS)
@documented(
    summary="Add a family member",
    body=s.FamilyMemberSchema,
    responses={201: s.MemberOutSchema, 404: None, 409: None},
)
@audited("family.write", "family_member", "case_id")
def add_member(case_id: str) -> ResponseReturnValue:
    body = _body(s.FamilyMemberSchema)
    return jsonify(family.add_member(_deps().uow, _viewer(), case_id, body, derived_id("family_member"))), 201


@blueprint.post("/<case_id>/family/relationships")
@members(*MANAGERS)
@documented(
    summary="Record how two family members are related: 'from' is parent_of, partner_of, ... 'to'",
    body=s.RelationSchema,
    responses={201: s.RelationSchema, 404: None, 409: None},
)
@audited("family.write", "family", "case_id")
def relate(case_id: str) -> ResponseReturnValue:
    return jsonify(family.relate(_deps().uow, _viewer(), case_id, _body(s.RelationSchema))), 201


@blueprint.put("/<case_id>/family/members/<member_id>/consent")
@members(*MANAGERS)
@documented(
    summary="Record a family member's consent: given, refused or withdrawn",
    body=s.ConsentSchema,
    responses={200: s.MemberOutSchema, 404: None, 409: None},
)
@audited("family.write", "family_member", "member_id")
def consent(case_id: str, member_id: str) -> ResponseReturnValue:
    body = _body(s.ConsentSchema)
    return jsonify(family.set_consent(_deps().uow, _viewer(), case_id, member_id, body["status"], body["on"]))


@blueprint.post("/<case_id>/family/contacts")
@members(*MANAGERS)
@documented(
    summary="Record a contact made with the family; one made while involvement is held says so",
    body=s.ContactSchema,
    responses={201: s.ContactOutSchema, 404: None, 409: None},
)
@audited("family.write", "family_contact", "case_id")
def contact(case_id: str) -> ResponseReturnValue:
    body = _body(s.ContactSchema)
    return jsonify(
        family.record_contact(_deps().uow, _viewer(), case_id, body, derived_id("family_contact"))
    ), 201


@blueprint.post("/<case_id>/family/support")
@members(*MANAGERS)
@documented(
    summary="Record support offered to the family",
    body=s.SupportSchema,
    responses={201: s.SupportOutSchema, 404: None, 409: None},
)
@audited("family.write", "family_support", "case_id")
def support(case_id: str) -> ResponseReturnValue:
    body = _body(s.SupportSchema)
    return jsonify(
        family.offer_support(_deps().uow, _viewer(), case_id, body, derived_id("family_support"))
    ), 201


@blueprint.post("/<case_id>/family/views")
@members(*MANAGERS)
@documented(
    summary="Record the views a family member gave",
    body=s.ViewsSchema,
    responses={201: s.ViewsOutSchema, 404: None, 409: None},
)
@audited("family.write", "family_views", "case_id")
def views(case_id: str) -> ResponseReturnValue:
    body = _body(s.ViewsSchema)
    return jsonify(
        family.record_views(_deps().uow, _viewer(), case_id, body, derived_id("family_views"))
    ), 201


@blueprint.put("/<case_id>/family/hold")
@members(*MANAGERS)
@documented(
    summary="Hold the family's involvement while criminal proceedings run (001 §6 note 9), or end the hold",
    body=s.HoldSchema,
    responses={200: s.HoldOutSchema, 404: None, 409: None},
)
@audited("family.write", "family", "case_id")
def hold(case_id: str) -> ResponseReturnValue:
    body = _body(s.HoldSchema)
    return jsonify(family.set_hold(_deps().uow, _viewer(), case_id, body["held"], body["reason"], _today()))
