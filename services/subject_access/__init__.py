"""Subject access: everything the product holds about a named person, as JSON and as Word.

``python -m services.subject_access "<name or email>"`` writes both files. A person has the
right to a copy of their personal data (UK GDPR Article 15; the answer is due within one
month, Article 12(3), and a request made electronically is answered in a commonly used
electronic form, Article 15(3): here JSON and Word). The board is the controller and answers
the request; this command gathers the data for it to check and send.

**An operator tool, run with access to every service's store.** At run time the services
never read each other's databases (each owns its data and shares only events); a subject
access request is the exception, made by a person with the stores' settings, as a backup is
(:mod:`services.backup`). Give it the environment of the product (``EMBEDDED_STORE_DIR``,
or ``MONGODB_URI`` and ``IDENTITY_MONGODB_URI``) and ``--uri`` once for each other service's
database; with ``FIELD_ENCRYPTION_KEYS``, sealed values (the child's details, sealed letters
and documents) are opened. Under ``make run`` every service keeps its records in one store,
so the product's settings alone reach everything.

The admin-only API (``GET /api/v1/subject-access?person=``, in the referral service) gives the
same JSON from the stores that service reaches: its own and the identity store (everything
under ``make run``).

What is searched and what is given: :mod:`.search`. Erasure requests: :mod:`.erasure`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from services.subject_access.search import files_mentioning, identify, search


def export_for(asked: str, databases: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the ``databases`` (label -> pymongo database) hold naming the person asked about."""
    subject = identify(asked, databases)
    found = search(databases, subject)
    for label, db in databases.items():
        mentioned = files_mentioning(db, subject.terms())
        if mentioned:
            found.setdefault(label, {})["documents (content)"] = mentioned
    return {
        "subject": {
            "asked": subject.asked,
            "emails": sorted(subject.emails),
            "names": sorted(subject.names),
            "accounts": sorted(subject.user_ids),
        },
        "generated_at": datetime.now(UTC).isoformat(),
        "databases": sorted(databases),
        "found": found,
    }


__all__ = ["export_for"]
