"""The reviews service's JSON API: a case's review, its panel, terms of reference, the agencies'
contributions and the merged chronology (meetings, quality markers and interim learning are in
:mod:`.api_conduct`, the family in :mod:`.api_family`). Every read and write is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints import schemas as s
from services.reviews.entrypoints import words
from services.reviews.entrypoints.chronology_csv import read_chronology
from services.reviews.service_layer import commands
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from shared import audit
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.events.reviews import ChronologyEntry
from shared.idempotency import derived_id
from shared.openapi import documented
from shared.pagination import PageQuery

api = Blueprint("reviews_api", __name__, url_prefix="/api/v1/reviews")

# Everyone but family members reaches these routes; the service layer says what each may do.
TAKING_PART = (
    "business_unit",
    "admin",
    "chair",
    "panel_member",
    "lead_reviewer",
    "agency_practitioner",
    "agency_manager",
)
_KEY = "lscb_reviews"


@dataclass(frozen=True)
class Dependencies:
    uow: ReviewsUnitOfWork
    today: Any  # () -> date


def _deps() -> Dependencies:
    deps: Dependencies = current_app.extensions[_KEY]
    return deps


def _today() -> date:
    today: date = _deps().today()
    return today


def _viewer() -> Viewer:
    p = g.principal
    return Viewer(
        user_id=p.user_id,
        name=p.name,
        board_id=p.board_id,
        roles=frozenset(p.roles),
        agency=p.agency,
        email=_deps().uow.directory.email_of(p.user_id),
    )


def _body(schema: type[s.Schema]) -> dict[str, Any]:
    loaded: dict[str, Any] = schema().load(request.get_json(silent=True) or {})
    return loaded


def _on_behalf(viewer: Viewer, found: dict[str, Any]) -> None:
    """The business unit wrote an agency's contribution for it: said so in the audit log."""
    if viewer.manages and viewer.agency != found["agency"]:
        audit.record(
            "contribution.recorded_on_behalf",
            resource=("contribution", found["id"]),
            detail=f"for {found['agency']}",
        )


@api.get("")
@members(*TAKING_PART)
@documented(
    summary="The board's reviews the caller may see, newest first, a page at a time",
    query=PageQuery,
    responses={200: s.ReviewPageSchema},
)
@audited("review.list", "review")
def list_reviews() -> ResponseReturnValue:
    q = PageQuery().load(request.args)
    return jsonify(commands.list_reviews(_deps().uow, _viewer(), q["page"], q["per_page"]))


@api.get("/<case_id>")
@members(*TAKING_PART)
@documented(
    summary="A case's review: kind, method, stage, panel, terms, contributions",
    responses={200: s.ReviewSchema, 404: None},
)
@audited("review.read", "review", "case_id")
def get_review(case_id: str) -> ResponseReturnValue:
    return jsonify(commands.get_review(_deps().uow, _viewer(), case_id))


@api.post("/<case_id>/panel")
@members("business_unit", "admin")
@documented(
    summary="Add a member to the review panel",
    body=s.PanelMemberSchema,
    responses={201: s.PanelMemberOutSchema, 404: None, 409: None},
)
@audited("review.write", "review", "case_id")
def add_panel_member(case_id: str) -> ResponseReturnValue:
    body = _body(s.PanelMemberSchema)
    body["member_id"] = derived_id("panel_member")
    return jsonify(commands.add_panel_member(_deps().uow, _viewer(), case_id, body, _today())), 201


@api.put("/<case_id>/panel/<member_id>")
@members("business_unit", "admin")
@documented(
    summary="Change a member of the review panel",
    body=s.PanelMemberSchema,
    responses={200: s.PanelMemberOutSchema, 404: None, 409: None},
)
@audited("review.write", "review", "case_id")
def change_panel_member(case_id: str, member_id: str) -> ResponseReturnValue:
    body = _body(s.PanelMemberSchema)
    return jsonify(commands.change_panel_member(_deps().uow, _viewer(), case_id, member_id, body))


@api.delete("/<case_id>/panel/<member_id>")
@members("business_unit", "admin")
@documented(summary="Remove a member from the review panel", responses={204: None, 404: None, 409: None})
@audited("review.write", "review", "case_id")
def remove_panel_member(case_id: str, member_id: str) -> ResponseReturnValue:
    commands.change_panel_member(_deps().uow, _viewer(), case_id, member_id, None)
    return "", 204


@api.put("/<case_id>/terms-of-reference")
@members("business_unit", "admin")
@documented(
    summary="Draft the terms of reference (until they are agreed)",
    body=s.TermsSchema,
    responses={200: s.TermsOutSchema, 404: None, 409: None},
)
@audited("review.write", "terms_of_reference", "case_id")
def put_terms(case_id: str) -> ResponseReturnValue:
    return jsonify(commands.put_terms(_deps().uow, _viewer(), case_id, _body(s.TermsSchema)))


@api.post("/<case_id>/terms-of-reference/comments")
@members("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
@documented(
    summary="Comment on the draft terms of reference",
    body=s.CommentSchema,
    responses={201: s.CommentOutSchema, 404: None, 409: None},
)
@audited("review.write", "terms_of_reference", "case_id")
def comment_on_terms(case_id: str) -> ResponseReturnValue:
    body = _body(s.CommentSchema)
    return jsonify(commands.comment_on_terms(_deps().uow, _viewer(), case_id, body["text"])), 201


@api.post("/<case_id>/terms-of-reference/agree")
@members("business_unit", "admin", "chair")
@documented(
    summary="Agree the terms of reference; the terms_of_reference document follows",
    responses={200: s.TermsOutSchema, 404: None, 409: None},
)
@audited("review.write", "terms_of_reference", "case_id")
def agree_terms(case_id: str) -> ResponseReturnValue:
    return jsonify(commands.agree_terms(_deps().uow, _viewer(), case_id, _today()))


@api.post("/<case_id>/contributions")
@members("business_unit", "admin")
@documented(
    summary="Ask an agency for a chronology, an analysis report or single agency review answers",
    description="Without due_on, the contribution is due 15 working days on, on the board's calendar.",
    body=s.ContributionRequestSchema,
    responses={201: s.ContributionSchema, 404: None, 409: None},
)
@audited("review.write", "contribution", "case_id")
def request_contribution(case_id: str) -> ResponseReturnValue:
    body = _body(s.ContributionRequestSchema)
    found = commands.request_contribution(
        _deps().uow,
        _viewer(),
        case_id,
        agency=body["agency"],
        kind=body["kind"],
        due_on=body["due_on"],
        today=_today(),
        contribution_id=derived_id("contribution") or uuid.uuid4().hex,
        contact_email=body["contact_email"],
        contact_name=body["contact_name"],
        link=lambda cid: f"{request.host_url.rstrip('/')}/reviews/{case_id}/contributions/{cid}",
    )
    return jsonify(found), 201


@api.get("/<case_id>/contributions/<contribution_id>")
@members(*TAKING_PART)
@documented(
    summary="One contribution, with its content and history", responses={200: s.ContributionSchema, 404: None}
)
@audited("contribution.read", "contribution", "contribution_id")
def get_contribution(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return jsonify(commands.get_contribution(_deps().uow, _viewer(), case_id, contribution_id))


def _write(case_id: str, contribution_id: str, **content: Any) -> ResponseReturnValue:
    viewer = _viewer()
    found = commands.write_contribution(
        _deps().uow, viewer, case_id, contribution_id, today=_today(), **content
    )
    _on_behalf(viewer, found)
    return jsonify(found)


@api.put("/<case_id>/contributions/<contribution_id>/chronology")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Save a chronology's entries (all of them)",
    body=s.ChronologySchema,
    responses={200: s.ContributionSchema, 404: None, 409: None},
)
@audited("contribution.write", "contribution", "contribution_id")
def put_chronology(case_id: str, contribution_id: str) -> ResponseReturnValue:
    entries = [ChronologyEntry(**e) for e in _body(s.ChronologySchema)["entries"]]
    return _write(case_id, contribution_id, entries=entries)


@api.post("/<case_id>/contributions/<contribution_id>/chronology/import")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Replace a chronology's entries with those of a CSV file",
    description="The file as the body (text/csv) or as the form field 'file' (multipart/form-data). "
    "A header row names the columns: date, event and source; time, significance and the six "
    "questions of 000 §12 (yes/no) if wanted. Every bad row and column is named at once.",
    responses={200: s.ContributionSchema, 404: None, 409: None, 422: None},
)
@audited("contribution.write", "contribution", "contribution_id")
def import_chronology(case_id: str, contribution_id: str) -> ResponseReturnValue:
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data(cache=False)
    if not data:
        raise InvalidInput([{"field": "file", "message": "Choose a CSV file to upload"}])
    entries = [ChronologyEntry(**e) for e in read_chronology(data)]
    return _write(case_id, contribution_id, entries=entries)


@api.put("/<case_id>/contributions/<contribution_id>/saar")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Save sections of a single agency analysis report (any of them, while a draft)",
    body=s.SaarSchema,
    responses={200: s.ContributionSchema, 404: None, 409: None},
)
@audited("contribution.write", "contribution", "contribution_id")
def put_saar(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return _write(case_id, contribution_id, sections=_body(s.SaarSchema)["sections"])


@api.put("/<case_id>/contributions/<contribution_id>/answers")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Save answers of a single agency review to the six key questions (000 §2)",
    body=s.AnswersBodySchema,
    responses={200: s.ContributionSchema, 404: None, 409: None},
)
@audited("contribution.write", "contribution", "contribution_id")
def put_answers(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return _write(case_id, contribution_id, answers=_body(s.AnswersBodySchema)["answers"])


def _move(case_id: str, contribution_id: str, move: str, comments: str = "") -> ResponseReturnValue:
    viewer = _viewer()
    found = commands.move_contribution(
        _deps().uow, viewer, case_id, contribution_id, move, _today(), comments
    )
    if move == "submit":
        _on_behalf(viewer, found)
    return jsonify(found)


@api.post("/<case_id>/contributions/<contribution_id>/submit")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Submit a contribution to the panel", responses={200: s.ContributionSchema, 404: None, 409: None}
)
@audited("contribution.write", "contribution", "contribution_id")
def submit(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return _move(case_id, contribution_id, "submit")


@api.post("/<case_id>/contributions/<contribution_id>/accept")
@members("business_unit", "admin", "panel_member", "lead_reviewer")
@documented(
    summary="Accept a submitted contribution", responses={200: s.ContributionSchema, 404: None, 409: None}
)
@audited("contribution.write", "contribution", "contribution_id")
def accept(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return _move(case_id, contribution_id, "accept")


@api.post("/<case_id>/contributions/<contribution_id>/return")
@members("business_unit", "admin", "panel_member", "lead_reviewer")
@documented(
    summary="Return a submitted contribution to its agency, with comments",
    body=s.ReturnSchema,
    responses={200: s.ContributionSchema, 404: None, 409: None},
)
@audited("contribution.write", "contribution", "contribution_id")
def send_back(case_id: str, contribution_id: str) -> ResponseReturnValue:
    return _move(case_id, contribution_id, "return", _body(s.ReturnSchema)["comments"])


@api.get("/<case_id>/chronology")
@members("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
@documented(
    summary="The merged multi-agency chronology: every submitted or accepted entry, in date and time order",
    query=s.ChronologyQuery,
    responses={200: s.MergedChronologySchema, 404: None},
)
@audited("review.read", "chronology", "case_id")
def chronology(case_id: str) -> ResponseReturnValue:
    q = s.ChronologyQuery().load(request.args)
    found = commands.merged_chronology(
        _deps().uow, _viewer(), case_id, agency=q["agency"], since=q["from_"], until=q["to"]
    )
    return jsonify(found)


def register(app: Flask, deps: Dependencies) -> None:
    words.register()
    app.extensions[_KEY] = deps
    app.register_blueprint(api)
    # Meetings, quality markers, interim learning and the family: blueprints of their own.
    from services.reviews.entrypoints import api_conduct, api_family

    app.register_blueprint(api_conduct.blueprint)
    app.register_blueprint(api_family.blueprint)
    # The pages of the review, its contributions and chronologies.
    from services.reviews.entrypoints import pages_chronology, pages_contributions, pages_review

    for pages in (pages_review, pages_contributions, pages_chronology):
        app.register_blueprint(pages.blueprint)
    from services.reviews.entrypoints import actions_api, learning_api

    app.register_blueprint(actions_api.blueprint)
    app.register_blueprint(learning_api.blueprint)
    # The final report and its publication: a record of their own (report_api, publication_api).
    from services.reviews.entrypoints import report_api

    report_api.register(app, deps)
    from services.reviews.entrypoints import pages_meetings  # the meetings pages

    app.register_blueprint(pages_meetings.blueprint)
    from services.reviews.entrypoints import pages_family  # the family pages

    app.register_blueprint(pages_family.blueprint)
    from services.reviews.entrypoints import pages_quality  # quality markers, interim learning

    app.register_blueprint(pages_quality.blueprint)
    # The report, publication, action plan and learning pages.
    from services.reviews.entrypoints import pages_actions, pages_learning, pages_publication, pages_report

    for pages in (pages_report, pages_publication, pages_actions, pages_learning):
        app.register_blueprint(pages.blueprint)
