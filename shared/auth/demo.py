"""The demo board that `make run` starts with: agencies, one user per role, how to sign in."""

from __future__ import annotations

import secrets

from mongoengine import NotUniqueError

from shared.auth import tokens
from shared.auth.models import Agency, ApiToken, Board, Membership, User
from shared.auth.passwords import hash_password
from shared.auth.tokens import token_hash
from shared.config import Settings

BOARD_ID = "demo"
BOARD_NAME = "Demo Safeguarding Children Partnership"
# The demo board works under Working Together 2015; an admin may change it (/admin/board), and a
# restart keeps whatever was chosen.
RULE_PACK = "wt2015"
AGENCIES = {
    "police": "Police",
    "health": "Health",
    "childrens_social_care": "Children's social care",
    "education": "Education",
}
# (role, email, name, agency)
USERS = [
    ("agency_practitioner", "practitioner@demo.example.org", "Priya Practitioner", "police"),
    ("agency_manager", "manager@demo.example.org", "Morgan Manager", "police"),
    ("business_unit", "business@demo.example.org", "Bea Business", None),
    ("chair", "chair@demo.example.org", "Charles Chair", None),
    ("panel_member", "panel@demo.example.org", "Pat Panel", None),
    ("lead_reviewer", "reviewer@demo.example.org", "Lee Reviewer", None),
    ("family_viewer", "family@demo.example.org", "Frankie Family", None),
    ("admin", "admin@demo.example.org", "Alex Admin", None),
]


def seed(settings: Settings) -> list[tuple[str, str, str]] | None:
    """Create the demo board once; returns (role, email, password) rows for the users it created.

    Safe to run again, by several services at once and after a kill part-way: the board, each
    agency and each user is made only if missing, so a board left without its users by a crash
    gets them at the next start.
    """
    if Board.objects(board_id=BOARD_ID).first() is None:
        try:
            Board(
                board_id=BOARD_ID, name=BOARD_NAME, local_authority="Demo Council", rule_pack=RULE_PACK
            ).save(force_insert=True)
        except NotUniqueError:
            pass  # another service sharing the store got there first
    created = _populate(settings)
    if settings.SEED_ADMIN_TOKEN:
        _admin_token(settings.SEED_ADMIN_TOKEN)
    return created or None


def _populate(settings: Settings) -> list[tuple[str, str, str]]:
    known = {a.code for a in Agency.objects(board_id=BOARD_ID)}
    for code, name in AGENCIES.items():
        if code not in known:
            try:
                Agency(board_id=BOARD_ID, code=code, name=name).save()
            except NotUniqueError:
                pass  # another service sharing the store made it
    rows = []
    for role, email, name, agency in USERS:
        if User.objects(email=email).first() is not None:
            continue
        password = settings.DEMO_PASSWORD or secrets.token_urlsafe(9)
        try:
            User(
                email=email,
                name=name,
                password_hash=hash_password(password),
                memberships=[Membership(board_id=BOARD_ID, roles=[role], agency=agency)],
            ).save()
        except NotUniqueError:
            continue  # another service sharing the store made this one
        rows.append((role, email, password))
    return rows


def _admin_token(secret: str) -> None:
    if ApiToken.objects(token_hash=token_hash(secret)).first() is not None:
        return
    admin = User.objects(email="admin@demo.example.org").first()
    if admin is not None:
        try:
            tokens.issue(admin, BOARD_ID, "SEED_ADMIN_TOKEN", days=365, secret=secret)
        except NotUniqueError:
            pass  # another service sharing the store issued it first


def describe(rows: list[tuple[str, str, str]], base_url: str) -> str:
    width = max(len(e) for _, e, _ in rows)
    lines = [
        f'Demo board "{BOARD_NAME}": sign in at {base_url}/sign-in',
        f"  {'role':<20} {'email':<{width}}  password",
    ]
    lines += [f"  {role:<20} {email:<{width}}  {password}" for role, email, password in rows]
    return "\n".join(lines)
