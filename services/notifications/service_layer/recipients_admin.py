"""Changing a recipient in the directory: their name and email address (the business unit
keeps the directory up to date when a contact at Ofsted, say, changes). Removing one is
``directory.deactivate``: a notification already made for them keeps its address."""

from __future__ import annotations

from typing import Any

from services.notifications.adapters.store import Recipient
from services.notifications.service_layer.directory import MAX_NAME, check_address
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import InvalidInput, NotFound


def recipient(uow: NotificationsUnitOfWork, principal: Principal, recipient_id: str) -> Recipient:
    with uow:
        found = uow.recipients.get(principal.board_id, recipient_id)
        if found is None or not found.active:
            raise NotFound("There is no such recipient", field="recipient_id")
        return found


def change(
    uow: NotificationsUnitOfWork, principal: Principal, recipient_id: str, name: str, email: str
) -> tuple[Recipient, str]:
    """New name and email for a recipient; returns it and what changed, for the audit log."""
    problems: list[dict[str, Any]] = []
    if not name.strip():
        problems.append({"field": "name", "message": "Enter a name"})
    elif len(name.strip()) > MAX_NAME:
        problems.append({"field": "name", "message": f"Enter a name of at most {MAX_NAME} characters"})
    if not email.strip():
        problems.append({"field": "email", "message": "Enter an email address"})
    else:
        try:
            email = check_address(email.strip())
        except InvalidInput:
            problems.append(
                {
                    "field": "email",
                    "message": "Enter an email address in the correct format, like name@example.org",
                }
            )
    if problems:
        raise InvalidInput(problems)
    with uow:
        found = uow.recipients.get(principal.board_id, recipient_id)
        if found is None or not found.active:
            raise NotFound("There is no such recipient", field="recipient_id")
        changed = [
            what
            for what, before, after in (("name", found.name, name.strip()), ("email", found.email, email))
            if before != after
        ]
        found.name, found.email = name.strip(), email
        uow.commit()
    return found, f"changed {', '.join(changed) or 'nothing'}"
