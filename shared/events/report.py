"""Events of a review's end: the final report's versions, its sign-off and its family preview,
its publication (or the decision not to publish), how long it stays online, and the board's
response to the action plan.

Like the other events of the reviews service (:mod:`shared.events.reviews`), they carry what the
other services need: the documents service a version's sections to render, the scheduler the
dates it counts from, the notifications service who to tell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from marshmallow import validate

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event
from shared.events.reviews import REVIEWS


@dataclass(frozen=True, kw_only=True)
class ReportEvent(CaseEvent):
    reference: str | None = None
    version: int


@event("report.version_saved", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReportVersionSaved(ReportEvent):
    """A version of the final report was saved, with its sections (002 §2.8), for the documents
    service to render as the ``final_report`` document of that version."""

    saved_on: date
    sections: dict[str, str] = field(default_factory=dict)


@event("report.shared_with_family", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReportSharedWithFamily(ReportEvent):
    """The business unit showed a version to a family member (a family viewer of the board), to
    read in the browser and not to keep (002 §2.5)."""

    user_id: str = ident()
    email: str
    shared_on: date


@event("report.signed_off", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReportSignedOff(ReportEvent):
    """The board signed a version off (002 §2.9): the one that goes to the national bodies."""

    signed_off_on: date


@event("publication.planned", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class PublicationPlanned(CaseEvent):
    """The board planned the publication date: the copies are due 7 working days before it (003)."""

    reference: str | None = None
    planned_publication_on: date


@event("publication.copies_sent", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class PublicationCopiesSent(ReportEvent):
    """The copies of the signed-off report and the board's response went to Ofsted, the DfE and
    the National Panel on ``sent_on``: by the product now (``by_product``, with the sections to
    render and email), or outside it before the board used the product."""

    sent_on: date
    by_product: bool
    planned_publication_on: date | None = None
    sections: dict[str, str] = field(default_factory=dict)


@event("publication.decided", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class PublicationDecided(CaseEvent):
    """The board decided not to publish (``final`` False: the DfE and the Panel are told, 003), or
    took its final decision after the Panel's advice (``final`` True: Ofsted, the DfE and the Panel
    are told)."""

    reference: str | None = None
    publish: bool
    reason: str
    decided_on: date
    final: bool = False


@event("report.published", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ReportPublished(ReportEvent):
    """The report is on the board's website from ``published_on``, at ``url``: it stays there
    at least 12 months (003)."""

    published_on: date
    url: str


@event("publication.retention_decided", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class PublicationRetentionDecided(CaseEvent):
    """After its 12 months on the board's website (003), the board decided to keep the published
    report there (``decision`` "keep") or to withdraw it ("withdraw", with the reason): the
    scheduler's ``publication_retention`` deadline is met on ``decided_on``."""

    reference: str | None = None
    decision: str = field(metadata={"validate": validate.OneOf(["keep", "withdraw"])})
    decided_on: date
    published_on: date
    reason: str = ""


@event("action_plan.response_recorded", 1, producers=REVIEWS)
@dataclass(frozen=True, kw_only=True)
class ActionPlanResponseRecorded(CaseEvent):
    """The board's response that goes with its action plan (002 §2.9; 003 "Publication of
    reports"; 000 §10): the publication timeline, how findings go back to practitioners and the
    family, how lessons reach the wider workforce, and the impact so far."""

    reference: str | None = None
    review_kind: str = ident()
    recorded_on: date
    planned_publication_on: date | None = None
    publication_notes: str = ""
    feedback_practitioners: str
    feedback_family: str
    dissemination: list[str] = field(default_factory=list)
    actions_taken: list[str] = field(default_factory=list)
    impact: str = ""
    further_work: str = ""
