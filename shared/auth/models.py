"""Boards, agencies, users, roles and API tokens, in the identity store.

A board (a safeguarding partnership) is the tenant: every record belongs to
one board, and a user sees a board's records only through a membership of
that board. A membership carries the user's roles there and, for agency
staff, their agency.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, overload

from mongoengine import (
    BooleanField,
    DateField,
    DateTimeField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    StringField,
)

from shared.store import IDENTITY

ROLES = (
    "agency_practitioner",
    "agency_manager",
    "business_unit",
    "chair",
    "panel_member",
    "lead_reviewer",
    "family_viewer",
    "admin",
)
AGENCY_ROLES = frozenset({"agency_practitioner", "agency_manager"})
# The editions of the statutory rules a board may work under (each service keeps a pack of each:
# services/referral/domain/screening, services/scheduler/domain/rules.py, ...). A case keeps the
# pack it was screened under for life; an admin changes the board's for new cases.
RULE_PACKS = ("wt2015", "wt2015-north-west", "wt2018", "wt2023")
DEFAULT_RULE_PACK = "wt2015"


def _uuid() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
@overload
def aware(value: datetime | None) -> datetime | None: ...
def aware(value: datetime | None) -> datetime | None:
    """Stores hand back naive UTC datetimes unless told otherwise; make them aware."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Board(Document):  # type: ignore[misc]  # mongoengine is untyped
    meta = {"collection": "boards", "db_alias": IDENTITY}

    board_id = StringField(primary_key=True, regex=r"^[a-z0-9-]{2,40}$")
    name = StringField(required=True, max_length=200)
    nation = StringField(default="england_wales")  # whose bank holidays count
    local_authority = StringField()  # the council that notifies Ofsted of incidents
    rule_pack = StringField(default=DEFAULT_RULE_PACK, choices=RULE_PACKS)
    closures = ListField(DateField())  # the board's own closure days
    notification_channel = StringField(choices=("smtp", "notify"))  # None: SMTP when configured
    created_at = DateTimeField(default=now)


class Agency(Document):  # type: ignore[misc]
    meta = {
        "collection": "agencies",
        "db_alias": IDENTITY,
        "indexes": [{"fields": ["board_id", "code"], "unique": True}],
    }

    board_id = StringField(required=True)
    code = StringField(required=True, regex=r"^[a-z_]{2,40}$")
    name = StringField(required=True, max_length=200)


class Membership(EmbeddedDocument):  # type: ignore[misc]
    board_id = StringField(required=True)
    roles = ListField(StringField(choices=ROLES), required=True)
    agency = StringField()  # agency code, for agency staff
    active = BooleanField(default=True)  # False: deactivated on this board by its administrators


class User(Document):  # type: ignore[misc]
    meta = {
        "collection": "users",
        "db_alias": IDENTITY,
        "indexes": [
            {"fields": ["email"], "unique": True},
            {"fields": ["oidc_issuer", "oidc_subject"], "unique": True, "sparse": True},
        ],
    }

    user_id = StringField(primary_key=True, default=_uuid)
    email = StringField(required=True, max_length=254)
    name = StringField(required=True, max_length=200)
    password_hash = StringField()  # absent for single sign-on only accounts
    oidc_issuer = StringField()
    oidc_subject = StringField()
    memberships = EmbeddedDocumentListField(Membership)
    active = BooleanField(default=True)
    failed_sign_ins = IntField(default=0)
    locked_until = DateTimeField()
    created_at = DateTimeField(default=now)

    def clean(self) -> None:
        self.email = self.email.strip().lower()

    def membership(self, board_id: str) -> Membership | None:
        m: Membership
        for m in self.memberships:
            if m.board_id == board_id:
                return m
        return None

    def default_board(self) -> str | None:
        """The first board where the user is still active (None when there is none)."""
        for m in self.memberships:
            if m.active is not False:
                return str(m.board_id)
        return None

    def active_in(self, board_id: str) -> bool:
        membership = self.membership(board_id)
        return bool(self.active and membership is not None and membership.active is not False)

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and aware(self.locked_until) > at


class ApiToken(Document):  # type: ignore[misc]
    """A bearer token for the API. Only a hash of the secret is kept."""

    meta = {
        "collection": "api_tokens",
        "db_alias": IDENTITY,
        # The token list: a board's tokens (or a user's), newest first.
        "indexes": [
            {"fields": ["token_hash"], "unique": True},
            ("user_id", "-created_at"),
            ("board_id", "-created_at"),
        ],
    }

    token_id = StringField(primary_key=True, default=_uuid)
    token_hash = StringField(required=True)
    user_id = StringField(required=True)
    board_id = StringField(required=True)
    name = StringField(required=True, max_length=100)
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField(required=True)
    revoked_at = DateTimeField()
    last_used_at = DateTimeField()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.token_id,
            "name": self.name,
            "user_id": self.user_id,
            "board_id": self.board_id,
            "created_at": aware(self.created_at).isoformat(),
            "expires_at": aware(self.expires_at).isoformat(),
            "revoked_at": aware(self.revoked_at).isoformat() if self.revoked_at else None,
        }
