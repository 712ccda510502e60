"""The recipients directory: who receives notifications for a board, and how to reach them."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from services.notifications.adapters.store import Recipient
from services.notifications.domain.rules import ROLES
from shared.auth.principal import Principal
from shared.errors import InvalidInput, NotFound

DEMO_RECIPIENTS = (
    # Placeholders: a board replaces them with the addresses it was given.
    ("ofsted", "Ofsted (placeholder)", "ofsted@placeholder.example.org"),
    ("dfe", "Department for Education (placeholder)", "dfe@placeholder.example.org"),
    ("national_panel", "National Panel (placeholder)", "national-panel@placeholder.example.org"),
    ("business_unit", "Demo business unit", "business@demo.example.org"),
    ("chair", "Demo Chair", "chair@demo.example.org"),
)


def check_address(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput([{"field": "email", "message": str(exc)}]) from None


def add(principal: Principal, role: str, name: str, email: str, case_id: str | None = None) -> Recipient:
    problems = []
    if role not in ROLES:
        problems.append({"field": "role", "message": f"Choose one of: {', '.join(ROLES)}"})
    try:
        email = check_address(email)
    except InvalidInput as exc:
        problems.extend(exc.errors())
    if not name.strip():
        problems.append({"field": "name", "message": "Enter a name"})
    if problems:
        raise InvalidInput(problems)
    recipient = Recipient(
        board_id=principal.board_id, role=role, name=name.strip(), email=email, case_id=case_id
    )
    recipient.save()
    return recipient


def deactivate(principal: Principal, recipient_id: str) -> Recipient:
    recipient = Recipient.objects(recipient_id=recipient_id, board_id=principal.board_id).first()
    if recipient is None:
        raise NotFound("There is no such recipient", field="recipient_id")
    Recipient.objects(recipient_id=recipient_id).update_one(set__active=False)
    recipient.reload()
    return recipient


def seed_demo_recipients(board_id: str = "demo") -> None:
    if Recipient.objects(board_id=board_id).first() is not None:
        return
    for role, name, email in DEMO_RECIPIENTS:
        Recipient(board_id=board_id, role=role, name=name, email=email).save()
