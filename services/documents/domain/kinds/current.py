"""The documents of the current guidance alone (``wt2018``, ``wt2023``): the notification of a
serious child safeguarding incident to the Child Safeguarding Practice Review Panel, and the
outcome of the safeguarding partners' rapid review, which goes to the Panel too.

Both are letters meant to leave the partnership (``sent=True``). Sources cite the chapter and
section heading of Working Together 2018 (ch. 4) and 2023 (ch. 5): their paragraph numbers
were not found (see :mod:`..packs`, DOMAIN notes).
"""

from __future__ import annotations

from .builders import boards, declare, notification, opt, people, req, wording
from .fields import DATE, FLAG, LIST, NARRATIVE, Kind

CURRENT_KINDS: tuple[Kind, ...] = (
    declare(
        "panel_incident_notification",
        "Notification of a serious child safeguarding incident to the Child Safeguarding Practice"
        " Review Panel",
        "Children Act 2004 s.16C(1); WT2018 ch. 4 'Duty on local authorities to notify incidents to the"
        " Child Safeguarding Practice Review Panel'; WT2023 ch. 5; gov.uk 'Report a serious child"
        " safeguarding incident'",
        wording("edition"),
        notification("Safeguarding partnerships told of the incident"),
        sent=True,
    ),
    declare(
        "rapid_review_outcome",
        "Rapid review of a serious child safeguarding incident",
        "WT2018 ch. 4 'The rapid review' and 'Decisions on local and national reviews'; WT2023 ch. 5,"
        " rapid review; SI 2018/789 regs 3 and 11",
        wording("edition"),
        req("incident.date", "Date of the incident", DATE),
        opt("incident.became_aware_on", "Date the local authority became aware", DATE),
        opt("incident.summary", "Outline of the incident", NARRATIVE),
        opt("notifiable_criteria", "Why it is a serious child safeguarding case", LIST),
        req("rapid_review.completed_on", "Date the rapid review was completed", DATE),
        req("rapid_review.recommends_local_review", "Whether a local review is recommended", FLAG),
        req("rapid_review.suggests_national_review", "Whether a national review may be needed", FLAG),
        req("rapid_review.summary", "What the rapid review found", NARRATIVE),
        people("agencies", "Agencies involved", False, ("involvement", "their involvement")),
        boards(),
        opt("contact.name", "Contact at the partnership"),
        opt("contact.email", "Contact's email address"),
        opt("contact.telephone", "Contact's telephone number"),
        sent=True,
    ),
)
