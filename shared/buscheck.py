"""Bus check: proof, on demand, that events cross between the services.

An operator (or a deployment's smoke test) asks one service to start a check.
It raises ``bus.check_requested``; every other service answers with
``bus.check_answered``; the service that asked records each answer. The check
is complete when all the other services have answered, in whatever way the
services are deployed: one process on the in-process bus, or separate
processes over RabbitMQ.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, url_for
from flask.typing import ResponseReturnValue
from mongoengine import DateTimeField, ListField, NotUniqueError, StringField

from shared.auth.access import members
from shared.bus import Listeners, OutboxDocument, Subscription
from shared.errors import NotFound
from shared.events import Event
from shared.events.ops import BusCheckAnswered, BusCheckRequested

SERVICES = ("referral", "scheduler", "documents", "notifications", "reviews")


class BusCheck(OutboxDocument):
    meta: dict[str, Any] = {"collection": "bus_checks"}

    check_id = StringField(primary_key=True)
    requested_by = StringField(required=True)
    requested_at = DateTimeField(required=True)
    answered_by = ListField(StringField())

    def as_dict(self) -> dict[str, Any]:
        expected = sorted(s for s in SERVICES if s != self.requested_by)
        return {
            "id": self.check_id,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(),
            "expected": expected,
            "answered_by": sorted(self.answered_by),
            "complete": set(expected) <= set(self.answered_by),
        }


class BusCheckAnswer(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "bus_check_answers",
        "indexes": [{"fields": ["check_id", "answered_by"], "unique": True}],
    }

    check_id = StringField(required=True)
    answered_by = StringField(required=True)
    answered_at = DateTimeField(required=True)


OUTBOX_DOCUMENTS = (BusCheck, BusCheckAnswer)


# -- handlers -------------------------------------------------------------------


def request_check(service: str) -> BusCheck:
    check = BusCheck(
        check_id=str(uuid.uuid4()),
        requested_by=service,
        requested_at=datetime.now(UTC),
    )
    check.raise_event(BusCheckRequested(check_id=check.check_id, requested_by=service), producer=service)
    check.save(force_insert=True)
    return check


def answer_check(event: Event[BusCheckRequested], service: str) -> None:
    if event.data.requested_by == service:
        return
    answer = BusCheckAnswer(
        check_id=event.data.check_id,
        answered_by=service,
        answered_at=datetime.now(UTC),
    )
    answer.raise_event(
        BusCheckAnswered(check_id=answer.check_id, requested_by=event.data.requested_by, answered_by=service),
        producer=service,
    )
    try:
        answer.save(force_insert=True)
    except NotUniqueError:
        pass  # answered already: the answer and its event were stored together then


def record_answer(event: Event[BusCheckAnswered], service: str) -> None:
    if event.data.requested_by != service:
        return
    BusCheck.objects(check_id=event.data.check_id).update_one(add_to_set__answered_by=event.data.answered_by)


def listeners(service: str) -> Listeners:
    """Every service answers checks and records the answers to its own."""
    out = Listeners(service)
    out.handles(BusCheckRequested, queue="bus-check-requests")(answer_check)
    out.handles(BusCheckAnswered, queue="bus-check-answers")(record_answer)
    return out


def subscriptions(service: str) -> list[Subscription]:
    return listeners(service).subscriptions({"service": service})


# -- entrypoint ---------------------------------------------------------------------

blueprint = Blueprint("bus_check", __name__, url_prefix="/ops/bus-checks")


@blueprint.post("")
@members("admin")
def create() -> ResponseReturnValue:
    check = request_check(current_app.config["SERVICE_NAME"])
    body = check.as_dict()
    body["url"] = url_for(".show", check_id=check.check_id)
    return jsonify(body), 202


@blueprint.get("/<check_id>")
@members("admin")
def show(check_id: str) -> ResponseReturnValue:
    check = BusCheck.objects(check_id=check_id).first()
    if check is None:
        raise NotFound(f"no bus check {check_id}", field="check_id")
    return jsonify(check.as_dict())
