"""The recipients directory: who receives notifications for a board, and how to reach them."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from services.notifications.adapters.store import Recipient
from services.notifications.domain.rules import ROLES
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import InvalidInput, NotFound
from shared.pagination import PER_PAGE, Page

MAX_NAME = 200  # as the directory keeps it (adapters.store.Recipient)

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


def recipients_for(
    uow: NotificationsUnitOfWork, principal: Principal, page: int = 1, per_page: int = PER_PAGE
) -> Page[Recipient]:
    """A page of the board's active recipients, by role."""
    with uow:
        return uow.recipients.listed(principal.board_id, page, per_page)


def add(
    uow: NotificationsUnitOfWork,
    principal: Principal,
    role: str,
    name: str,
    email: str,
    case_id: str | None = None,
) -> Recipient:
    problems = []
    if role not in ROLES:
        problems.append({"field": "role", "message": f"Choose one of: {', '.join(ROLES)}"})
    try:
        email = check_address(email)
    except InvalidInput as exc:
        problems.extend(exc.errors())
    if not name.strip():
        problems.append({"field": "name", "message": "Enter a name"})
    elif len(name.strip()) > MAX_NAME:
        problems.append({"field": "name", "message": f"Enter a name of at most {MAX_NAME} characters"})
    if problems:
        raise InvalidInput(problems)
    with uow:
        recipient = uow.recipients.add(
            Recipient(board_id=principal.board_id, role=role, name=name.strip(), email=email, case_id=case_id)
        )
        uow.commit()
    return recipient


def deactivate(uow: NotificationsUnitOfWork, principal: Principal, recipient_id: str) -> Recipient:
    with uow:
        recipient = uow.recipients.get(principal.board_id, recipient_id)
        if recipient is None:
            raise NotFound("There is no such recipient", field="recipient_id")
        recipient.active = False
        uow.commit()
    return recipient


def seed_demo_recipients(uow: NotificationsUnitOfWork, board_id: str = "demo") -> None:
    with uow:
        if uow.recipients.any_for(board_id):
            return
        for role, name, email in DEMO_RECIPIENTS:
            uow.recipients.add(Recipient(board_id=board_id, role=role, name=name, email=email))
        uow.commit()
