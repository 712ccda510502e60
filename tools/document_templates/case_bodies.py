"""The bodies of the templates the case's events call for: referral, incident notification, letters.

The screening record and the decision letter are in :mod:`.decision_bodies`; the documents of the
current guidance alone (``wt2018``, ``wt2023``) in :mod:`.current_bodies`.
"""

from __future__ import annotations

from services.documents.domain.framework import (
    SINGLE_AGENCY_QUESTIONS,
    SPE_COLUMNS,
    SPE_SIGNIFICANCE_QUESTIONS,
)

from .decision_bodies import other_areas
from .look import Builder, person


def referral_summary(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Received", "{{ referral.received_on }}"),
            ("Referred by", person("referrer", "role", "agency")),
        ]
    )
    b.para(
        "This summary records a referral asking whether the case calls for a"
        " {{ wording.review }} or another kind of case review. The screening and the"
        " decision are recorded separately."
    )
    b.heading("The child")
    b.details(
        [
            ("Name", "{{ child.name }}"),
            ("Date of birth", "{{ child.date_of_birth }}"),
            ("Age at the incident", "{{ child.age }}"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Address", "{{ child.address }}"),
            ("NHS number", "{{ child.nhs_number }}"),
        ]
    )
    b.heading("Family members", 2)
    b.rows(
        ["Name", "Relationship to the child"],
        "member",
        "family",
        ["{{ member.name }}", "{{ member.relationship }}"],
        [1, 1],
        empty="No family members were named in the referral.",
    )
    b.heading("The incident")
    b.details([("Date", "{{ incident.date }}"), ("Place", "{{ incident.location }}")])
    b.heading("What happened", 2)
    b.para("{{ incident.summary }}")
    b.heading("Criteria for a case review")
    b.guidance(
        "The referrer's view of each criterion. The screening tests them against the"
        " statutory criteria; the Chair decides{% if wording.current %}, for the safeguarding"
        " partners{% endif %}."
    )
    b.rows(
        ["Criterion", "Referrer's answer", "Notes"],
        "c",
        "criteria",
        ["{{ c.criterion }}", "{{ c.answer }}", "{{ c.notes }}"],
        [3, 1.2, 3],
    )
    b.heading("Agencies involved")
    b.agencies()
    other_areas(b)
    b.heading("Parallel processes")
    b.bullets(
        "parallel_processes",
        empty="The referral names no criminal, coroner's or other review processes.",
    )


def ofsted_incident_notification(b: Builder) -> None:
    incident_notification(
        b,
        "Ofsted",
        "{{ local_authority }} notifies Ofsted of a serious incident involving the care of"
        " a child. The same notice goes to {{ board_name }}"
        "{% if boards_notified | length > 1 %} and to the other boards listed below{% endif %}."
        "{% if home_board %} The child normally lives in the area of {{ home_board }}.{% endif %}",
        regulated=True,
        told="Safeguarding children boards told",
    )


def incident_notification(
    b: Builder, to: str, intro: str, *, regulated: bool, told: str, title: str | None = None
) -> None:
    """A notification of an incident: to Ofsted (003 'Notifiable Incidents') or to the Panel
    (``wt2018``/``wt2023``, :mod:`.current_bodies`); ``regulated`` adds the regulated setting."""
    b.title_block(
        title,
        rows=[
            ("To", to),
            ("From", "{{ local_authority }}"),
            ("Notified by", person("notified_by", "role")),
            (
                "Contact",
                "{{ notified_by.telephone }}{% if notified_by.telephone and "
                "notified_by.email %}  |  {% endif %}{{ notified_by.email }}",
            ),
        ],
    )
    b.para(intro)
    b.tag("if notification_due")
    b.guidance(
        "The local authority became aware of the incident on {{ incident.became_aware_on }};"
        " this notice is due by {{ notification_due }}, 5 working days later."
    )
    b.tag("endif")
    b.heading("The child")
    b.details(
        [
            ("Name", "{{ child.name }}"),
            ("Date of birth", "{{ child.date_of_birth }}"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Address", "{{ child.address }}"),
        ]
    )
    b.heading("The incident")
    b.details(
        [
            ("Date of the incident", "{{ incident.date }}"),
            ("Local authority aware on", "{{ incident.became_aware_on }}"),
            ("Place", "{{ incident.location }}"),
            *([("Regulated setting or service", "{{ regulated_setting }}")] if regulated else []),
        ]
    )
    b.heading("What happened", 2)
    b.para("{{ incident.summary }}")
    b.heading("Why the incident is notifiable")
    b.bullets("notifiable_criteria")
    b.heading("Agencies involved")
    b.agencies(empty="No agencies are listed yet.")
    b.tag("if boards_notified")
    b.heading(told, 2)
    b.bullets("boards_notified")
    b.tag("endif")


def case_group_letter(b: Builder) -> None:
    b.title_block(
        "Request for information for a case review",
        rows=[
            ("To", person("recipient", "role", "agency")),
            ("Please reply by", "{{ return_by }}"),
        ],
    )
    b.para("Dear {{ recipient.name }},")
    b.para(
        "{{ board_name }} is carrying out a {{ review.kind_label }} about {{ child.name }}"
        "{% if child.date_of_birth %} (date of birth {{ child.date_of_birth }}){% endif %}."
        " The review covers {{ review_period.start }} to {{ review_period.end }}. You are"
        " a member of its case group because you, or colleagues at {{ recipient.agency }},"
        " worked with the child or the family during that time."
    )
    b.para(
        "The review is about learning, not blame. It looks at how agencies worked together"
        " and why people acted as they did, so that the whole system can improve. Your"
        " account of what it was like at the time matters to it."
    )
    b.heading("What we are asking you to do")
    b.para("By {{ return_by }}, please send {{ sender.name }} the three things below.")
    b.heading("1. A significant practice events chronology", 2)
    b.para(
        "List the events in your agency's work with the child and family, from"
        " {{ review_period.start }} to {{ review_period.end }}, that were significant. For"
        " each event, record:"
    )
    b.numbered([f"{c.code.capitalize()}: {c.text}" for c in SPE_COLUMNS])
    b.para("To decide whether an event is significant, ask:")
    b.numbered([q.text for q in SPE_SIGNIFICANCE_QUESTIONS])
    b.para("The board's chronology form sets this out as a table.")
    b.heading("2. An audit of your agency's files", 2)
    b.para(
        "Check your agency's records about the child and family for the period, so that"
        " the chronology is complete and accurate. Talk to your manager about what you find."
    )
    b.heading("3. Answers to the key questions", 2)
    b.numbered([q.text for q in SINGLE_AGENCY_QUESTIONS])
    b.tag("if timetable")
    b.heading("What happens next")
    b.rows(
        ["When", "What happens"],
        "step",
        "timetable",
        ["{{ step.when }}", "{{ step.what }}"],
        [1, 3],
    )
    b.tag("endif")
    b.para(
        "You will be invited to talk about the case with the review group, and to the"
        " review meeting. Before the findings are final you will see them and can help"
        " correct and improve them."
    )
    b.para("If you have any questions, or need support to take part, please contact me.")
    b.letter_close()
