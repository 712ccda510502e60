"""The bodies of the screening record and the decision letter, worded by the case's rule pack.

Under ``wt2015`` (and ``wt2015-north-west``) the Chair of the board decides whether a Serious
Case Review is held and the letter goes to Ofsted, the DfE and the National Panel (003
checklist). Under ``wt2018`` and ``wt2023`` the safeguarding partners decide whether a local
child safeguarding practice review is held (the Chair records it for them) and share their
decision with the Child Safeguarding Practice Review Panel (WT2018 ch. 4 'The rapid review';
WT2023 ch. 5). ``wording`` (services/documents/domain/packs.py) carries the names.
"""

from __future__ import annotations

from .look import YES_NO, Builder

NATIONAL_BODIES = (
    "Ofsted",
    "Department for Education",
    "National Panel of Independent Experts on Serious Case Reviews",
)
CURRENT = "if wording.current"
SCR = "decision.outcome == 'serious_case_review'"
LOCAL_REVIEW = "decision.outcome == 'local_child_safeguarding_practice_review'"
NOTIFIED = "{% " + CURRENT + " %}Partnership notified{% else %}Board notified{% endif %}"
REVIEWERS_SOURCE = "001 §5.6; 002 §2.2; 003 'Appointing reviewers'"


def other_areas(b: Builder, level: int = 1) -> None:
    """The board where the child normally lives, when it is another, and the other boards
    involved (003 checklist; 004): a section only when there are any."""
    b.tag("if home_board or other_boards")
    b.heading("Other areas involved", level)
    b.tag("if home_board")
    b.para("The child normally lives in another area: {{ home_board }}.")
    b.tag("endif")
    b.tag("if other_boards")
    b.para("Other boards or safeguarding partnerships involved:")
    b.bullets("other_boards", "{{ area }}", var="area")
    b.tag("endif")
    b.tag("endif")


def screening_decision_record(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Incident", "{{ incident.date }}"),
            (NOTIFIED, "{{ board_notified_on }}"),
            ("Decision due", "{{ decision_due }}"),
        ]
    )
    b.heading("The incident")
    b.para("{{ incident.summary }}")
    b.heading("Screening")
    b.details(
        [
            ("Notifiable incident", YES_NO % "screening.notifiable"),
            (
                "{% " + CURRENT + " %}Criteria for a {{ wording.review }} met"
                "{% else %}Statutory criteria for a Serious Case Review met{% endif %}",
                YES_NO % "screening.scr_required",
            ),
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
    b.tag(CURRENT)
    b.guidance(
        "The screening advises. The safeguarding partners decide whether a local child"
        " safeguarding practice review is held; the Chair records their decision for them."
    )
    b.tag("else")
    b.guidance(
        "The screening advises. The final decision rests with the Chair, who may seek"
        " peer challenge from another board's Chair. It is normally taken within one"
        " month of the board being notified."
    )
    b.tag("endif")
    other_areas(b, 2)
    b.heading(
        "{% " + CURRENT + " %}The safeguarding partners' decision{% else %}The Chair's decision{% endif %}"
    )
    b.details(
        [
            ("Decision", "{{ decision.outcome_label }}"),
            ("Decided on", "{{ decision.decided_on }}"),
            (
                "{% " + CURRENT + " %}Recorded for them by{% else %}Chair{% endif %}",
                "{{ decision.chair_name }}",
            ),
            ("Method", "{% if decision.methodology %}{{ decision.methodology | capitalize }}{% endif %}"),
            ("Review initiated on", "{{ decision.initiated_on }}"),
        ],
        label_width=7,
    )
    b.tag("if decision.rationale")
    b.heading("Reasons for the decision", 2)
    b.para("{{ decision.rationale }}")
    b.tag("endif")
    b.tag("if not wording.current and decision.outcome != 'serious_case_review' and screening.scr_required")
    b.para(
        "The screening found the statutory criteria met but the Chair chose another course."
        " {{ wording.panel[:1] | upper }}{{ wording.panel[1:] }} will scrutinise this decision;"
        " the board will give it the information it asks for.",
        bold=True,
    )
    b.tag("endif")
    _confirmation(b)
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    b.tag("if lead_reviewers")
    b.heading("Lead reviewers", 2)
    b.guidance(f"As each reviewer declared their independence ({REVIEWERS_SOURCE}).")
    b.lead_reviewers(independence=True)
    b.tag("endif")


def _confirmation(b: Builder) -> None:
    """The decision kept after a challenge: the final outcome (003 checklist)."""
    b.tag("if decision.confirmed_on")
    b.heading("The decision stands after a challenge", 2)
    b.para(
        "After a challenge{% if decision.challenged_by %} by {{ decision.challenged_by }}{% endif %},"
        " {{ decision.confirmed_by }} confirmed on {{ decision.confirmed_on }} that"
        " {{ wording.partnership }} keep{% if not wording.current %}s{% endif %} the decision of"
        " {{ decision.decided_on }}. This is the final outcome."
    )
    b.tag("if decision.confirmation_rationale")
    b.para("{{ decision.confirmation_rationale }}")
    b.tag("endif")
    b.tag("endif")


def decision_notification(b: Builder) -> None:
    b.title_block(
        "Decision on a {{ wording.review }}",
        rows=[
            (
                "To",
                "{% " + CURRENT + " %}The Child Safeguarding Practice Review Panel"
                "{% else %}" + "; ".join(NATIONAL_BODIES) + "{% endif %}",
            ),
            ("Incident", "{{ incident.date }}"),
            (NOTIFIED, "{{ board_notified_on }}"),
            ("Decision", "{{ decision.decided_on }}"),
        ],
    )
    _confirmation(b)
    b.tag("if decision.confirmed_on")
    b.para(
        "{% " + CURRENT + " %}The safeguarding partners tell {{ wording.panel }} of it."
        "{% else %}The board tells Ofsted, the Department for Education and {{ wording.panel }}"
        " of it, as it would of a changed decision (003 checklist).{% endif %}"
    )
    b.tag("endif")
    b.tag(CURRENT)
    _partners_decision(b)
    b.tag("else")
    _chairs_decision(b)
    b.tag("endif")
    b.tag("if decision.peer_challenge")
    b.heading("Peer challenge", 2)
    b.para("{{ decision.peer_challenge }}")
    b.tag("endif")
    other_areas(b, 2)
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
    b.tag(CURRENT)
    b.guidance("The safeguarding partners share their decision with the Panel with their rapid review.")
    b.tag("else")
    b.guidance("Boards send this notice within 5 working days of the Chair's decision (003 checklist).")
    b.tag("endif")


def _chairs_decision(b: Builder) -> None:
    """``wt2015``: the Chair's decision whether a Serious Case Review is held (003 checklist; 001 §3)."""
    b.tag("if " + SCR)
    b.heading("A Serious Case Review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, {{ decision.chair_name }}, Chair of {{ board_name }},"
        " decided to initiate a Serious Case Review"
        "{% if decision.methodology %} using the {{ decision.methodology }} methodology"
        "{% endif %}."
    )
    b.heading("Lead reviewers", 2)
    b.para(
        "The board has appointed the following lead reviewers. Each has declared their"
        " independence of the case, of the agencies whose work the review examines and of"
        f" the board's agencies, as set out below ({REVIEWERS_SOURCE})."
    )
    b.lead_reviewers(independence=True)
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


def _partners_decision(b: Builder) -> None:
    """``wt2018``/``wt2023``: the safeguarding partners' decision on a local review (s.16F(1); reg 11)."""
    b.tag("if " + LOCAL_REVIEW)
    b.heading("A local child safeguarding practice review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, the safeguarding partners for {{ board_name }} decided"
        " to hold a local child safeguarding practice review. {{ decision.chair_name }}"
        " recorded the decision for them."
    )
    b.tag("else")
    b.heading("No local child safeguarding practice review will be carried out")
    b.para(
        "On {{ decision.decided_on }}, the safeguarding partners for {{ board_name }} decided"
        " not to hold a local child safeguarding practice review."
        "{% if decision.outcome != 'no_review' %} They will carry out a"
        " {{ decision.outcome_label }} instead.{% endif %} {{ decision.chair_name }}"
        " recorded the decision for them."
    )
    b.tag("endif")
    b.tag("if decision.rationale")
    b.heading("Reasons", 2)
    b.para("{{ decision.rationale }}")
    b.tag("endif")
    b.tag("if lead_reviewers")
    b.heading("Reviewers", 2)
    b.lead_reviewers(independence=True)
    b.tag("endif")
