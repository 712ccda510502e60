"""The bodies of the templates of a review under way: chronologies, answers and terms of reference."""

from __future__ import annotations

from services.documents.domain.framework import (
    SAAR_ANALYSIS_PROMPTS,
    SINGLE_AGENCY_QUESTIONS,
    SPE_COLUMNS,
    SPE_SIGNIFICANCE_QUESTIONS,
)

from .look import Builder, period, person


def spe_chronology_form(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Completed by", person("author", "role")),
            (
                "Child",
                "{{ child.name }}{% if child.date_of_birth %}, born {{ child.date_of_birth }}{% endif %}",
            ),
            ("Period under review", "{% if review_period.start %}" + period() + "{% endif %}"),
        ]
    )
    b.heading("How to complete this chronology")
    b.para(
        "Record each significant practice event in your agency's work with the child and"
        " family, one row per event, oldest first. In each row:"
    )
    b.numbered([f"{c.code.capitalize()}: {c.text}" for c in SPE_COLUMNS])
    b.para("An event is significant if the answer to any of these questions is yes:")
    b.numbered([q.text for q in SPE_SIGNIFICANCE_QUESTIONS])
    b.heading("Significant practice events")
    b.rows(
        [c.code.capitalize() for c in SPE_COLUMNS],
        "e",
        "entries",
        [f"{{{{ e.{c.code} }}}}" for c in SPE_COLUMNS],
        [1.1, 2.6, 2, 2, 2, 2],
        empty="No events have been entered yet.",
    )


def single_agency_review_questionnaire(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Where the answers stand", "{{ version }}"),
            ("Answered by", person("respondent", "role")),
            ("Child", "{{ child.name }}"),
            ("Please reply by", "{{ return_by }}"),
        ]
    )
    b.para(
        "The board has asked {{ agency }} to review its own work in this case. Whatever"
        " method your agency uses, the review should answer the six questions below. Please"
        " answer each in your own words; say what happened and also why."
    )
    for i, q in enumerate(SINGLE_AGENCY_QUESTIONS, 1):
        b.heading(f"{i}. {q.text}", 2)
        b.text_or(f"answers.{q.code}", "Not answered yet.")


def single_agency_analysis_report(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Agency", "{{ agency }}"),
            ("Author", person("author", "role")),
            ("Version", "{{ version }}"),
            ("Child", "{{ child.name }}"),
        ]
    )
    b.heading("1. Introduction")
    b.para("{{ introduction }}")
    b.heading("2. The facts")
    b.tag("if facts")
    b.para("{{ facts }}")
    b.tag("endif")
    b.tag("if family_background")
    b.heading("Family background and circumstances", 2)
    b.para("{{ family_background }}")
    b.tag("endif")
    b.heading("Outline chronology of significant events", 2)
    b.rows(
        ["Date", "Event"],
        "e",
        "chronology",
        ["{{ e.date }}", "{{ e.event }}"],
        [1, 4],
        empty="No chronology has been added yet.",
    )
    b.heading("3. Analysis")
    b.guidance(
        "A critical look at the key points of the agency's work with the child and"
        " family. Among other things:"
    )
    for prompt in SAAR_ANALYSIS_PROMPTS:
        b.guidance("\u2022 " + prompt.text)
    b.para("{{ analysis }}")
    b.heading("4. Key issues")
    b.guidance(
        "The matters that most affected the child and the agency's responses, and how"
        " they came about: resources, culture, training, policy and the like."
    )
    b.para("{{ key_issues }}")
    b.heading("5. Learning points")
    b.guidance(
        "Why things happened, not only what happened; strengths and good practice; and"
        " what has changed in practice or policy since, with its effect."
    )
    b.para("{{ learning_points }}")
    b.heading("6. Recommendations")
    b.guidance("Each one specific, measurable, achievable, realistic and timed.")
    b.rows(
        ["Recommendation", "How success is measured", "Due by"],
        "r",
        "recommendations",
        ["{{ r.recommendation }}", "{{ r.measure }}", "{{ r.due_by }}"],
        [4, 3, 1.3],
    )
    b.heading("7. Action plan")
    b.guidance("Owned by the whole agency, with a way to review the outcome and impact of each action.")
    b.rows(
        ["Action", "Owner", "Due by", "How outcome and impact are reviewed"],
        "a",
        "action_plan",
        ["{{ a.action }}", "{{ a.owner }}", "{{ a.due_by }}", "{{ a.outcome }}"],
        [3.5, 1.8, 1.3, 3],
        empty="The action plan has not been written yet.",
    )


def terms_of_reference(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }}"),
            ("Methodology", "{{ review.methodology }}"),
            ("Period under review", period()),
        ]
    )
    b.tag("if review_period.reason")
    b.para("Why the period is longer than usual: {{ review_period.reason }}")
    b.tag("endif")
    b.heading("1. Scope: breadth and depth")
    b.para("{{ scope }}")
    b.heading("2. Areas of focus")
    b.bullets("focus_questions")
    b.heading("3. Method")
    b.para("{{ method }}")
    b.heading("4. Reviewers")
    b.heading("Knowledge and skills needed", 2)
    b.para("{{ reviewer_skills }}")
    b.tag("if lead_reviewers")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("endif")
    b.tag("if review_panel")
    b.heading("Review panel", 2)
    b.review_panel()
    b.tag("endif")
    b.heading("5. Agencies taking part")
    b.agencies()
    b.heading("6. Why this approach is proportionate")
    b.para("{{ proportionality.rationale }}")
    b.heading("Factors of the case", 2)
    b.rows(
        ["Factor", "How it shaped the review"],
        "f",
        "proportionality.case_factors",
        ["{{ f.factor }}", "{{ f.bearing }}"],
        [1, 2],
    )
    b.heading("Factors of the local context", 2)
    b.rows(
        ["Factor", "How it shaped the review"],
        "f",
        "proportionality.context_factors",
        ["{{ f.factor }}", "{{ f.bearing }}"],
        [1, 2],
    )
    b.heading("7. Parallel processes")
    b.bullets("parallel_processes", empty="None known when these terms were agreed.")
    b.heading("8. Involving the family")
    b.text_or("family_involvement", "To be agreed with the review panel.")
    b.tag("if other_boards")
    b.heading("9. Other boards", 1)
    b.para("The case crosses board boundaries. These boards share in the decisions:")
    b.bullets("other_boards")
    b.tag("endif")
    b.tag("if timetable")
    b.heading("Timetable")
    b.rows(
        ["When", "What happens"],
        "step",
        "timetable",
        ["{{ step.when }}", "{{ step.what }}"],
        [1, 3],
    )
    b.tag("endif")
