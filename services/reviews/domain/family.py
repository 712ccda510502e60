"""The family's part in a review (002 §2.5; 001 §6 note 9): who they are and how they are
related, the contacts made with them, the support offered, their consent and their views.

Family involvement may have to wait while criminal proceedings run (001 §6 note 9): the
business unit then holds it, with the reason. Contacts may still be recorded (a contact made
through the police's family liaison, say), and each one made during a hold says so. Pure Python.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from shared.errors import Conflict, InvalidInput, NotFound

SUBJECT = "child"  # the child the review is about
RELATIONSHIPS_TO_CHILD: tuple[str, ...] = (
    SUBJECT,
    "mother",
    "father",
    "stepmother",
    "stepfather",
    "parents_partner",
    "sibling",
    "half_sibling",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "foster_carer",
    "other_relative",
    "other",
)
SEXES: tuple[str, ...] = ("female", "male", "unknown")
# How two family members are related: "A parent_of B" reads "A is a parent of B".
PARENT_OF = "parent_of"
PARTNER_OF = "partner_of"
FORMER_PARTNER_OF = "former_partner_of"
SIBLING_OF = "sibling_of"
RELATION_KINDS: tuple[str, ...] = (PARENT_OF, PARTNER_OF, FORMER_PARTNER_OF, SIBLING_OF)
CONTACT_WAYS: tuple[str, ...] = ("letter", "phone", "visit", "meeting", "email", "through_police", "other")
CONSENT_STATES: tuple[str, ...] = ("given", "refused", "withdrawn")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _plain(value: Any) -> Any:
    """A record as JSON values (dates as ISO strings)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class Consent:
    status: str
    on: date


@dataclass
class FamilyMember:
    member_id: str
    name: str
    relationship_to_child: str
    sex: str = "unknown"
    born_on: date | None = None
    deceased: bool = False
    household: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    consent: Consent | None = None

    @property
    def is_subject(self) -> bool:
        return self.relationship_to_child == SUBJECT


@dataclass(frozen=True)
class Relation:
    from_id: str
    kind: str
    to_id: str


@dataclass(frozen=True)
class Contact:
    contact_id: str
    on: date
    by: str
    how: str
    outcome: str
    member_ids: list[str]
    during_hold: bool = False


@dataclass(frozen=True)
class Support:
    support_id: str
    on: date
    what: str
    by: str
    member_ids: list[str]


@dataclass(frozen=True)
class Views:
    views_id: str
    on: date
    member_id: str
    summary: str


@dataclass
class Hold:
    held: bool = False
    reason: str | None = None
    since: date | None = None


@dataclass
class Family:
    members: list[FamilyMember] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    support: list[Support] = field(default_factory=list)
    views: list[Views] = field(default_factory=list)
    hold: Hold = field(default_factory=Hold)

    # -- people ---------------------------------------------------------------------------------

    def member(self, member_id: str, name: str = "member_id") -> FamilyMember:
        for m in self.members:
            if m.member_id == member_id:
                return m
        raise NotFound("No such family member in this review", name)

    def add_member(self, member: FamilyMember) -> FamilyMember:
        for kept in self.members:
            if kept.member_id == member.member_id:
                return kept  # a repeat of the request that added them
        self.members.append(member)
        return member

    def _known(self, ids: list[str], name: str) -> list[dict[str, str]]:
        known = {m.member_id for m in self.members}
        return [
            {"field": f"{name}.{i}", "message": "Not a family member of this review"}
            for i, mid in enumerate(ids)
            if mid not in known
        ]

    def relate(self, relation: Relation) -> Relation:
        problems = [
            {"field": name, "message": "Not a family member of this review"}
            for name, mid in (("from", relation.from_id), ("to", relation.to_id))
            if mid not in {m.member_id for m in self.members}
        ]
        if relation.from_id == relation.to_id:
            problems.append({"field": "to", "message": "A person cannot be related to themselves"})
        if problems:
            raise InvalidInput(problems)
        if relation.kind == PARENT_OF and self._descends(relation.from_id, relation.to_id):
            raise InvalidInput(
                [{"field": "to", "message": "This person is already an ancestor of the parent"}]
            )
        if relation in self.relations or (
            relation.kind != PARENT_OF
            and Relation(relation.to_id, relation.kind, relation.from_id) in self.relations
        ):
            return relation  # recorded already
        self.relations.append(relation)
        return relation

    def _descends(self, person: str, ancestor: str) -> bool:
        """Whether ``ancestor`` is a parent, grandparent, ... of ``person``."""
        parents = {r.from_id for r in self.relations if r.kind == PARENT_OF and r.to_id == person}
        return ancestor in parents or any(self._descends(p, ancestor) for p in parents)

    def set_consent(self, member_id: str, status: str, on: date) -> FamilyMember:
        member = self.member(member_id)
        if status == "withdrawn" and (member.consent is None or member.consent.status != "given"):
            raise Conflict("Only consent that was given can be withdrawn", "status")
        member.consent = Consent(status, on)
        return member

    # -- what was done with them ----------------------------------------------------------------

    def record_contact(self, contact: Contact) -> Contact:
        problems = self._known(contact.member_ids, "member_ids")
        if problems:
            raise InvalidInput(problems)
        for kept in self.contacts:
            if kept.contact_id == contact.contact_id:
                return kept
        if self.hold.held:
            contact = Contact(**{**asdict(contact), "during_hold": True})
        self.contacts.append(contact)
        return contact

    def offer_support(self, support: Support) -> Support:
        problems = self._known(support.member_ids, "member_ids")
        if problems:
            raise InvalidInput(problems)
        for kept in self.support:
            if kept.support_id == support.support_id:
                return kept
        self.support.append(support)
        return support

    def record_views(self, views: Views) -> Views:
        self.member(views.member_id)
        for kept in self.views:
            if kept.views_id == views.views_id:
                return kept
        self.views.append(views)
        return views

    def set_hold(self, held: bool, reason: str | None, on: date) -> Hold:
        if held and not (reason or "").strip():
            raise InvalidInput(
                [{"field": "reason", "message": "Say which proceedings the family's involvement waits for"}]
            )
        if held:
            since = self.hold.since if self.hold.held else on
            self.hold = Hold(True, reason, since)
        else:
            self.hold = Hold(False, None, None)
        return self.hold

    # -- storage --------------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _plain(asdict(self))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Family:
        if not data:
            return cls()
        members = []
        for m in data.get("members", []):
            consent = m.get("consent")
            members.append(
                FamilyMember(
                    **{
                        **m,
                        "born_on": _day(m.get("born_on")),
                        "consent": Consent(consent["status"], _day(consent["on"])) if consent else None,  # type: ignore[arg-type]
                    }
                )
            )
        hold = data.get("hold") or {}
        return cls(
            members=members,
            relations=[Relation(**r) for r in data.get("relations", [])],
            contacts=[
                Contact(**{**c, "on": _day(c["on"]), "member_ids": list(c["member_ids"])})
                for c in data.get("contacts", [])
            ],
            support=[
                Support(**{**s, "on": _day(s["on"]), "member_ids": list(s["member_ids"])})
                for s in data.get("support", [])
            ],
            views=[Views(**{**v, "on": _day(v["on"])}) for v in data.get("views", [])],
            hold=Hold(bool(hold.get("held")), hold.get("reason"), _day(hold.get("since"))),
        )
