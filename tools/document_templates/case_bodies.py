"""The bodies of the templates the case's events call for: referral, screening, decision, letters."""

from __future__ import annotations

from services.documents.domain.framework import (
    SINGLE_AGENCY_QUESTIONS,
    SPE_COLUMNS,
    SPE_SIGNIFICANCE_QUESTIONS,
)

from .look import YES_NO, Builder, person

NATIONAL_BODIES = (
    "Ofsted",
    "Department for Education",
    "National Panel of Independent Experts on Serious Case Reviews",
)


def referral_summary(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Received", "{{ referral.received_on }}"),
            ("Referred by", person("referrer", "role", "agency")),
        ]
    )
    b.para(
        "This summary records a referral asking the board to consider whether the case"
        " calls for a Serious Case Review or another kind of case review. The screening"
        " and the Chair's decision are recorded separately."
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
        " statutory criteria; the Chair decides."
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
    b.heading("Parallel processes")
    b.bullets(
        "parallel_processes",
        empty="The referral names no criminal, coroner's or other review processes.",
    )


def screening_decision_record(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Incident", "{{ incident.date }}"),
            ("Board notified", "{{ board_notified_on }}"),
            ("Decision due", "{{ decision_due }}"),
        ]
    )
    b.heading("The incident")
    b.para("{{ incident.summary }}")
    b.heading("Screening")
    b.details(
        [
            ("Notifiable incident", YES_NO % "screening.notifiable"),
            ("Statutory criteria for a Serious Case Review met", YES_NO % "screening.scr_required"),
            ("Review recommended", "{{ screening.recommended_label }}"),
            ("Guidance applied", "{{ screening.rule_pack }}"),
        ],
        label_width=7,
    )
    b.heading("Reasons", 2)
    b.rows(
        ["Conclusion", "Reason", "Source"],
        "r",
        "screening.reasons",
        ["{{ r.conclusion }}", "{{ r.reason }}", "{{ r.source }}"],
        [2, 4, 1.6],
    )
    b.guidance(
        "The screening advises. The final decision rests with the Chair, who may seek"
        " peer challenge from another board's Chair. It is normally taken within one"
        " month of the board being notified."
    )
    b.heading("The Chair's decision")
    b.details(
        [
            ("Decision", "{{ decision.outcome_label }}"),
            ("Decided on", "{{ decision.decided_on }}"),
            ("Chair", "{{ decision.chair_name }}"),
            ("Review initiated on", "{{ decision.initiated_on }}"),
        ],
        label_width=7,
    )
    b.tag("if decision.rationale")
    b.heading("Reasons for the decision", 2)
    b.para("{{ decision.rationale }}")
    b.tag("endif")
    b.tag("if decision.outcome != 'serious_case_review' and screening.scr_required")
    b.para(
        "The screening found the statutory criteria met but the Chair chose another course."
        " The National Panel will scrutinise this decision; the board will give it the"
        " information it asks for.",
        bold=True,
    )
    b.tag("endif")
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    b.tag("if lead_reviewers")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("endif")


def ofsted_incident_notification(b: Builder) -> None:
    b.title_block(
        rows=[
            ("To", "Ofsted"),
            ("From", "{{ local_authority }}"),
            ("Notified by", person("notified_by", "role")),
            (
                "Contact",
                "{{ notified_by.telephone }}{% if notified_by.telephone and "
                "notified_by.email %}  |  {% endif %}{{ notified_by.email }}",
            ),
        ]
    )
    b.para(
        "{{ local_authority }} notifies Ofsted of a serious incident involving the care of"
        " a child. The same notice goes to {{ board_name }}"
        "{% if boards_notified %} and to the other boards listed below{% endif %}."
    )
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
            ("Regulated setting or service", "{{ regulated_setting }}"),
        ]
    )
    b.heading("What happened", 2)
    b.para("{{ incident.summary }}")
    b.heading("Why the incident is notifiable")
    b.bullets("notifiable_criteria")
    b.heading("Agencies involved")
    b.agencies(empty="No agencies are listed yet.")
    b.tag("if boards_notified")
    b.heading("Safeguarding children boards told", 2)
    b.bullets("boards_notified")
    b.tag("endif")


def decision_notification(b: Builder) -> None:
    b.title_block(
        rows=[
            ("To", "; ".join(NATIONAL_BODIES)),
            ("Incident", "{{ incident.date }}"),
            ("Board notified", "{{ board_notified_on }}"),
            ("Chair's decision", "{{ decision.decided_on }}"),
        ]
    )
    b.tag("if decision.outcome == 'serious_case_review'")
    b.heading("A Serious Case Review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, {{ decision.chair_name }}, Chair of {{ board_name }},"
        " decided to initiate a Serious Case Review"
        "{% if decision.methodology %} using the {{ decision.methodology }} methodology"
        "{% endif %}."
    )
    b.heading("Lead reviewers", 2)
    b.para(
        "The board has appointed the following lead reviewers, independent of the case and"
        " of the agencies whose work the review examines:"
    )
    b.lead_reviewers()
    b.tag("else")
    b.heading("No Serious Case Review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, {{ decision.chair_name }}, Chair of {{ board_name }},"
        " decided not to initiate a Serious Case Review."
        "{% if decision.outcome != 'no_review' %} The board will carry out a"
        " {{ decision.outcome_label }} instead.{% endif %}"
    )
    b.heading("Justification", 2)
    b.para("{{ decision.rationale }}")
    b.tag("if screening.scr_required")
    b.para(
        "The screening found the statutory criteria for a Serious Case Review met. The"
        " board understands that the National Panel will scrutinise this decision; it will"
        " provide any information the Panel asks for, and the Chair or a representative"
        " will attend if invited. If the decision changes, the board will tell Ofsted, the"
        " Department for Education and the Panel of the final outcome."
    )
    b.tag("endif")
    b.tag("endif")
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    b.tag("if incident.summary")
    b.heading("Outline of the incident", 2)
    b.para("{{ incident.summary }}")
    b.tag("endif")
    b.heading("Contact", 2)
    b.para(
        "{% if contact.name %}For more information, please contact {{ contact.name }}"
        "{% if contact.email %}, {{ contact.email }}{% endif %}"
        "{% if contact.telephone %}, {{ contact.telephone }}{% endif %}."
        "{% else %}For more information, please contact the business unit of"
        " {{ board_name }}, quoting {{ case_reference }}.{% endif %}"
    )
    b.guidance("Boards send this notice within 5 working days of the Chair's decision.")


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
