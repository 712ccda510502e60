"""The board's people: inviting them, their roles and agency, deactivating, unlocking, and the
single-use links by which they create a password (``shared/auth/links.py``).

The referral service administers users for the whole product (it has the admin pages). Each
link's email is raised as ``account.link_issued`` in the same write as the link itself, and
the notifications service sends it. Who may do what: an admin anything on their board; the
business unit, which runs the board's process and is who people ask for an account, everyone
except admins (it may not grant the admin role, nor change an admin's account). Nobody changes
their own roles or deactivates themselves, so a board cannot lose its last administrator by
a slip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from services.referral.service_layer.events import PRODUCER
from shared.auth import links
from shared.auth.models import AGENCY_ROLES, ROLES, Agency, Board, Membership, User, now
from shared.auth.passwords import hash_password, password_problems
from shared.auth.principal import Principal
from shared.crypto import seal_json
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.events.accounts import AccountLinkIssued
from shared.pagination import Page, paginate

ADMIN = "admin"
MANAGERS = ("admin", "business_unit")
STATES = ("active", "invited", "locked", "deactivated")
LinkUrl = Callable[[str, str], str]  # (purpose, token) -> the address to put in the email


@dataclass(frozen=True)
class Member:
    """One person as the users pages show them on one board."""

    user: User
    roles: list[str]
    agency: str | None
    state: str


def state_of(user: User, board_id: str, at: datetime | None = None) -> str:
    if not user.active_in(board_id):
        return "deactivated"
    if user.is_locked(at or now()):
        return "locked"
    if not user.password_hash and not user.oidc_subject:
        return "invited"
    return "active"


def member(user: User, board_id: str) -> Member:
    m = user.membership(board_id)
    return Member(user, list(m.roles) if m else [], m.agency if m else None, state_of(user, board_id))


def members_of(board_id: str, page: int, per_page: int) -> Page[Member]:
    users = User.objects(memberships__board_id=board_id).order_by("name", "email")
    found = paginate(users, page, per_page)
    return Page([member(u, board_id) for u in found.items], found.total, found.page, found.per_page)


def agencies_of(board_id: str) -> dict[str, str]:
    return {a.code: a.name for a in Agency.objects(board_id=board_id).order_by("name")}


def find(actor: Principal, user_id: str) -> User:
    user: User | None = User.objects(user_id=user_id, memberships__board_id=actor.board_id).first()
    if user is None:
        raise NotFound("There is no such user on this board", field="user_id")
    return user


def _may_manage(actor: Principal, user: User) -> None:
    if user.user_id == actor.user_id:
        raise Forbidden("You cannot change your own account here: ask another administrator")
    m = user.membership(actor.board_id)
    if ADMIN not in actor.roles and m is not None and ADMIN in m.roles:
        raise Forbidden("Only an administrator can change an administrator's account")


def _roles_problems(actor: Principal, roles: Iterable[str], agency: str | None) -> list[dict[str, Any]]:
    chosen = list(roles)
    problems: list[dict[str, Any]] = []
    if not chosen:
        problems.append({"field": "roles", "message": "Select at least one role"})
    elif set(chosen) - set(ROLES):
        problems.append({"field": "roles", "message": "Select roles from the list"})
    elif ADMIN in chosen and ADMIN not in actor.roles:
        problems.append(
            {"field": "roles", "message": "Only an administrator can make someone an administrator"}
        )
    if set(chosen) & AGENCY_ROLES:
        if not agency:
            problems.append({"field": "agency", "message": "Select the agency this person works for"})
        elif agency not in agencies_of(actor.board_id):
            problems.append({"field": "agency", "message": "Select an agency from the list"})
    return problems


def _check_name_and_email(name: str, email: str) -> tuple[str, list[dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    if not name.strip():
        problems.append({"field": "name", "message": "Enter the person's full name"})
    elif len(name.strip()) > 200:
        problems.append({"field": "name", "message": "Full name must be 200 characters or fewer"})
    if not email.strip():
        problems.append({"field": "email", "message": "Enter the person's email address"})
        return email, problems
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems.append(
            {
                "field": "email",
                "message": "Enter an email address in the correct format, like name@example.org",
            }
        )
    return email, problems


def invite(
    actor: Principal,
    name: str,
    email: str,
    roles: list[str],
    agency: str | None,
    *,
    secret_key: str,
    link_url: LinkUrl,
) -> User:
    """Make the account and email an invitation; or add this board to the account a person has
    on another board, whose password then opens this board too (no email: nothing to create)."""
    email, problems = _check_name_and_email(name, email)
    problems += _roles_problems(actor, roles, agency)
    existing: User | None = User.objects(email=email).first() if not problems else None
    if existing is not None and existing.membership(actor.board_id) is not None:
        problems.append({"field": "email", "message": "This person already has an account on this board"})
    if problems:
        raise InvalidInput(problems)
    agency = agency if set(roles) & AGENCY_ROLES else None
    membership = Membership(board_id=actor.board_id, roles=list(roles), agency=agency)
    if existing is None:
        user = User(email=email, name=name.strip(), memberships=[membership])
        user.save(force_insert=True)
    else:
        User.objects(user_id=existing.user_id).update_one(push__memberships=membership)
        user = User.objects.get(user_id=existing.user_id)
    if not user.password_hash:  # someone with an account elsewhere keeps the password they have
        send_link(
            user,
            actor.board_id,
            links.INVITATION,
            secret_key=secret_key,
            link_url=link_url,
            issued_by=actor.user_id,
        )
    return user


def change_roles(actor: Principal, user_id: str, roles: list[str], agency: str | None) -> tuple[Member, str]:
    """New roles and agency on this board; returns the member and what changed, for the audit log."""
    user = find(actor, user_id)
    _may_manage(actor, user)
    problems = _roles_problems(actor, roles, agency)
    if problems:
        raise InvalidInput(problems)
    before = member(user, actor.board_id)
    agency = agency if set(roles) & AGENCY_ROLES else None
    User.objects(user_id=user.user_id, memberships__board_id=actor.board_id).update_one(
        set__memberships__S__roles=list(roles), set__memberships__S__agency=agency
    )
    after = member(User.objects.get(user_id=user.user_id), actor.board_id)
    detail = (
        f"roles {','.join(before.roles)} -> {','.join(after.roles)}; agency {before.agency} -> {after.agency}"
    )
    return after, detail


def set_active(actor: Principal, user_id: str, active: bool) -> Member:
    """Deactivate (they can no longer sign in to this board, nor use its tokens) or reactivate."""
    user = find(actor, user_id)
    _may_manage(actor, user)
    User.objects(user_id=user.user_id, memberships__board_id=actor.board_id).update_one(
        set__memberships__S__active=active
    )
    if active and not user.active:
        User.objects(user_id=user.user_id).update_one(set__active=True)
    return member(User.objects.get(user_id=user.user_id), actor.board_id)


def unlock(actor: Principal, user_id: str) -> Member:
    """Let someone locked out by wrong passwords try again at once."""
    user = find(actor, user_id)
    _may_manage(actor, user)
    User.objects(user_id=user.user_id).update_one(set__failed_sign_ins=0, unset__locked_until=True)
    return member(User.objects.get(user_id=user.user_id), actor.board_id)


def send_link(
    user: User,
    board_id: str,
    purpose: str,
    *,
    secret_key: str,
    link_url: LinkUrl,
    issued_by: str | None = None,
) -> links.AccountLink:
    """A new single-use link, stored (as a hash) with the event that emails it, in one write."""
    token, link = links.new_link(user, board_id, purpose, secret_key, issued_by)
    board = Board.objects(board_id=board_id).only("name").first()
    link.raise_event(
        AccountLinkIssued(
            link_id=link.link_id,
            board_id=board_id,
            board_name=board.name if board else board_id,
            email=user.email,
            name=user.name,
            purpose=purpose,
            link_sealed=seal_json({"url": link_url(purpose, token)}),
            expires_at=link.expires_at,
        ),
        producer=PRODUCER,
    )
    link.save(force_insert=True)
    return link


def resend_link(actor: Principal, user_id: str, *, secret_key: str, link_url: LinkUrl) -> str:
    """An invitation again for someone who has not set a password, otherwise a password reset."""
    user = find(actor, user_id)
    _may_manage(actor, user)
    if not user.active_in(actor.board_id):
        raise InvalidInput([{"field": "user_id", "message": "Reactivate the account before sending a link"}])
    purpose = links.INVITATION if not user.password_hash else links.PASSWORD_RESET
    send_link(
        user, actor.board_id, purpose, secret_key=secret_key, link_url=link_url, issued_by=actor.user_id
    )
    return purpose


def request_reset(email: str, *, secret_key: str, link_url: LinkUrl) -> User | None:
    """Someone asked for a reset on the sign-in page: a link if the account may sign in, else nothing.

    The caller answers the same whatever this returns (no one learns who has an account).
    """
    user: User | None = User.objects(email=email.strip().lower()).first()
    board_id = user.default_board() if user is not None and user.active else None
    if user is None or board_id is None:
        return None
    send_link(user, board_id, links.PASSWORD_RESET, secret_key=secret_key, link_url=link_url)
    return user


def password_problems_or_raise(password: str, user: User, problems: list[dict[str, Any]]) -> None:
    """Raise every problem of a new password at once, with ``problems`` found elsewhere (the
    confirmation box), in the order of the form."""
    found = [
        {"field": "password", "message": p}
        for p in password_problems(password, email=user.email, name=user.name)
    ]
    if found or problems:
        raise InvalidInput([*found, *problems])


def create_password(token: str, purpose: str, password: str, *, secret_key: str) -> User:
    """Use the link up and give its person the password; raises InvalidInput or LinkRefused."""
    opened = links.peek(token, purpose, secret_key)
    problems = password_problems(password, email=opened.user.email, name=opened.user.name)
    if problems:
        raise InvalidInput([{"field": "password", "message": p} for p in problems])
    opened = links.use(token, purpose, secret_key)
    User.objects(user_id=opened.user.user_id).update_one(
        set__password_hash=hash_password(password), set__failed_sign_ins=0, unset__locked_until=True
    )
    user: User = User.objects.get(user_id=opened.user.user_id)
    return user
