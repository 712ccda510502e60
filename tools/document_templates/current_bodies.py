"""The bodies of the templates of the current guidance alone (``wt2018``, ``wt2023``).

- The notification of a serious child safeguarding incident to the Child Safeguarding Practice
  Review Panel, within 5 working days of the local authority becoming aware (Children Act 2004
  s.16C(1); WT2018 ch. 4 'Duty on local authorities to notify incidents to the Child
  Safeguarding Practice Review Panel'; WT2023 ch. 5). The notification system shares it with
  the DfE and Ofsted (gov.uk 'Report a serious child safeguarding incident'); the death of a
  looked-after child, which goes to the Secretary of State and Ofsted whether or not abuse or
  neglect is suspected, is notified through the same system (WT2018 ch. 4, as partnerships
  quote it).
- The safeguarding partners' rapid review, sent to the Panel with their view on a local or a
  national review (WT2018 ch. 4 'The rapid review'; WT2023 ch. 5; SI 2018/789 regs 3 and 11).
"""

from __future__ import annotations

from .case_bodies import incident_notification
from .decision_bodies import other_areas
from .look import YES_NO, Builder

PANEL = "The Child Safeguarding Practice Review Panel"


def panel_incident_notification(b: Builder) -> None:
    # One system takes both: a serious child safeguarding case (s.16C(1)) and the death of a
    # looked-after child, which goes to the Secretary of State and Ofsted (research W18-5, W18-6).
    incident_notification(
        b,
        PANEL,
        "{{ local_authority }} notifies the incident below through the serious child"
        " safeguarding incident notification system, as {{ wording.edition }} asks. The"
        " notification goes to the Child Safeguarding Practice Review Panel, which shares it"
        " with the Department for Education, for the Secretary of State, and with Ofsted. The"
        " safeguarding partners of {{ board_name }}"
        "{% if boards_notified | length > 1 %} and the other partnerships listed below{% endif %}"
        " are told too."
        "{% if home_board %} The child normally lives in the area of {{ home_board }}.{% endif %}",
        regulated=False,
        told="Safeguarding partnerships told",
        title="Notification of a serious child safeguarding incident",
    )


def rapid_review_outcome(b: Builder) -> None:
    b.title_block(
        rows=[
            ("To", PANEL),
            ("Incident", "{{ incident.date }}"),
            ("Local authority aware on", "{{ incident.became_aware_on }}"),
            ("Rapid review completed", "{{ rapid_review.completed_on }}"),
        ]
    )
    b.para(
        "The safeguarding partners of {{ board_name }} completed their rapid review of this"
        " serious child safeguarding incident on {{ rapid_review.completed_on }}, as"
        " {{ wording.edition }} asks. They send it to the Child Safeguarding Practice Review"
        " Panel with their view on what should follow."
    )
    b.tag("if notifiable_criteria")
    b.heading("Why it is a serious child safeguarding case")
    b.bullets("notifiable_criteria")
    b.tag("endif")
    b.heading("What the rapid review found")
    b.para("{{ rapid_review.summary }}")
    b.heading("What should follow")
    b.details(
        [
            (
                "A local child safeguarding practice review is recommended",
                YES_NO % "rapid_review.recommends_local_review",
            ),
            (
                "The case may need a national review by the Panel",
                YES_NO % "rapid_review.suggests_national_review",
            ),
        ],
        label_width=9,
    )
    b.guidance(
        "The safeguarding partners decide whether a local child safeguarding practice review"
        " is held, taking into account the criteria of regulation 11 of the Child Safeguarding"
        " Practice Review and Relevant Agency (England) Regulations 2018; the Panel decides"
        " whether a national review is held, taking into account those of regulation 3."
    )
    b.tag("if incident.summary")
    b.heading("Outline of the incident", 2)
    b.para("{{ incident.summary }}")
    b.tag("endif")
    b.heading("Agencies involved", 2)
    b.agencies(empty="No agencies are listed yet.")
    other_areas(b, 2)
    b.heading("Contact", 2)
    b.para(
        "{% if contact.name %}For more information, please contact {{ contact.name }}"
        "{% if contact.email %}, {{ contact.email }}{% endif %}"
        "{% if contact.telephone %}, {{ contact.telephone }}{% endif %}."
        "{% else %}For more information, please contact the business unit of"
        " {{ board_name }}, quoting {{ case_reference }}.{% endif %}"
    )
