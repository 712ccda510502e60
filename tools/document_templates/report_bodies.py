"""The bodies of the templates that close a review: family letter, learning summary, report, response."""

from __future__ import annotations

from collections.abc import Callable

from docx.shared import Cm, Emu

from .look import Builder, period


def family_notification_letter(b: Builder) -> None:
    b.title_block("About the review", rows=[("To", "{{ recipient.name }}")])
    b.tag("if recipient.address")
    b.para("{{ recipient.address }}")
    b.tag("endif")
    b.para("Dear {{ recipient.name }},")
    b.para(
        "I am writing to let you know that {{ board_name }} is carrying out a"
        " {{ review.kind_label }} about {{ child.name }}. We are very sorry for what has"
        " happened, and we know this letter may be hard to read."
    )
    b.heading("What the review is", 2)
    b.para(
        "The review looks at how the services that knew {{ child.name }} and the family"
        " worked, on their own and together, so that they can learn and do better for"
        " other children. It is not about blaming anyone, and it does not decide whether"
        " anyone committed a crime."
    )
    b.heading("How you can take part", 2)
    b.para(
        "Your views, and those of other family members, matter to the review: you can tell"
        " us how services looked from your side. You can take part in the way that suits"
        " you: by writing to us, by meeting the review team, or through someone you trust"
        " speaking for you. You do not have to take part."
    )
    b.tag("if criminal_proceedings")
    b.para(
        "Because criminal proceedings are under way, we may need to wait until they have"
        " finished before we ask you about some things. We will explain when."
    )
    b.tag("endif")
    b.heading("Keeping in touch", 2)
    b.para(
        "{{ sender.name }} will be your contact at the board. We would like to agree with"
        " you how often we get in touch and how, so that you always know what is happening"
        " and hear about the review's findings from us."
    )
    b.tag("if contact_plan")
    b.para("What we suggest: {{ contact_plan }}")
    b.tag("endif")
    b.heading("Support", 2)
    b.para("These organisations can support you, now or at any time during the review:")
    b.rows(
        ["Who", "What they offer", "How to contact them"],
        "s",
        "support",
        ["{{ s.name }}", "{{ s.offers }}", "{{ s.contact }}"],
        [1.2, 2, 1.5],
    )
    b.heading("The report and the media", 2)
    b.para(
        "Before the report is published we will show it to you. You can read it and tell"
        " us what you think, and where we can we will include your comments. You will not be"
        " able to keep that copy; we will give you your own copy once the report is"
        " public. We will tell you in good time when it will be published, and prepare you"
        " for any interest from newspapers, television or social media."
    )
    b.para("If you have any questions, please contact me.")
    b.letter_close()


def learning_summary(b: Builder) -> None:
    b.title_block()
    table = b.doc.add_table(rows=0, cols=2)
    table.style = b.doc.styles["Table Grid"]
    label_w = Cm(6.5)

    def row(label: str, hint: str | None, fill: Callable[[object], None]) -> None:
        cells = table.add_row().cells
        b._cell(cells[0], label, bold=True, shade=True)
        if hint:
            b.guidance(hint, container=cells[0])
        fill(cells[1])

    def text(expr: str) -> Callable[[object], None]:
        return lambda cell: b._cell(cell, expr)

    def items(items_expr: str, item: str, empty: str) -> Callable[[object], None]:
        def fill(cell) -> None:
            # A cell keeps a paragraph whichever branch renders, as Word requires.
            cell.paragraphs[0].add_run("{%p if not " + items_expr + " %}")
            cell.add_paragraph(empty)
            cell.add_paragraph("{%p endif %}")
            cell.add_paragraph("{%p for item in " + items_expr + " %}")
            cell.add_paragraph(item, style="List Bullet")
            cell.add_paragraph("{%p endfor %}")

        return fill

    review = (
        "{{ review.kind_label }}; {{ review.methodology }}"
        "{% if review.chairing %}; {{ review.chairing }}{% endif %}"
        "{% if review.selection %}; {{ review.selection }}{% endif %}"
    )
    row("Board area", None, text("{{ board_area or board_name }}"))
    row("Date completed", None, text("{{ document_date }}"))
    row("Type of review", "Method, who chaired and wrote it, how the case was chosen.", text(review))
    row("Month and year of the incident", None, text("{{ incident_month }}"))
    row("Review reference", None, text("{{ case_reference }}"))
    row(
        "What the case taught",
        "Key themes and early learning: particular issues, wider concerns or good practice.",
        text("{{ case_learning }}"),
    )
    row(
        "What the review and its method taught",
        "What worked and what did not; who took part; how long it took.",
        text("{{ methodology_learning }}"),
    )
    row(
        "Key recommendations: single agency",
        "Learning that transfers beyond this case.",
        items("recommendations_single_agency", "{{ item }}", "None."),
    )
    row(
        "Key recommendations: multi-agency",
        "Learning that transfers beyond this case.",
        items("recommendations_multi_agency", "{{ item }}", "None."),
    )
    row(
        "How changes will be made: who does what",
        None,
        items(
            "changes",
            "{{ item.action }}{% if item.owner %} ({{ item.owner }}){% endif %}",
            "Not yet agreed.",
        ),
    )
    row(
        "How the impact will be audited",
        "How the board will know that something changed.",
        text("{{ impact_audit }}"),
    )
    row(
        "Other comments",
        "On the case, the method, embedding change or showing its impact.",
        text("{{ other_comments }}"),
    )
    b.widths(table, [label_w, Emu(b.text_width - label_w)])
    b._after_table()


def final_report_skeleton(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }} concerning {{ child.name }}"),
            ("Methodology", "{{ review.methodology }}"),
            ("Period under review", period()),
        ]
    )
    b.guidance(
        "Skeleton: grey notes mark what each section needs. The report must be in plain"
        " English, understood by professionals and the public alike, and publishable"
        " without amendment or redaction: use the agreed pseudonyms, and nothing that"
        " could harm a child or vulnerable adult in the case, or breach UK GDPR, the"
        " Data Protection Act 2018 or a court order."
    )
    b.heading("1. Why this review took place")
    b.para("{{ circumstances }}")
    b.heading("2. How the review was carried out")
    b.text_or("process", "To be written: a short account of the review process and method.")
    b.heading("Lead reviewers", 2)
    b.lead_reviewers()
    b.tag("if review_panel")
    b.heading("Review panel", 2)
    b.review_panel()
    b.tag("endif")
    b.tag("if agencies")
    b.heading("Agencies that took part", 2)
    b.bullets("agencies", "{{ item.name }}")
    b.tag("endif")
    b.heading("3. Who took part, and how")
    b.text_or(
        "participation",
        "To be written: how practitioners, managers and the family"
        " (the child included, where possible) gave their views.",
    )
    b.heading("4. Good practice")
    b.bullets("good_practice", empty="To be written: practice to recognise and sustain.")
    b.heading("5. Where practice can improve")
    b.tag("for finding in findings")
    b.heading("{{ finding.title }}", 2)
    b.para("{{ finding.detail }}")
    b.tag("endfor")
    b.tag("if not findings")
    b.guidance("To be written: each finding, why it happened and how practice can improve.")
    b.tag("endif")
    b.heading("6. Action already taken")
    b.bullets(
        "actions_taken",
        empty="To be written: what agencies have done already in response to the learning.",
    )
    b.heading("7. Conclusion")
    b.text_or(
        "conclusion",
        "To be written: how effective local practice was in safeguarding"
        " and promoting the welfare of the child. Systems can work and a child still be"
        " harmed; say so if that is the finding.",
    )
    b.heading("8. Recommendations")
    b.bullets("recommendations", style="List Number", empty="To be agreed with the review panel.")


def board_response_action_plan(b: Builder) -> None:
    b.title_block(
        rows=[
            ("Review", "{{ review.kind_label }}"),
            (
                "Signed off",
                "{{ signed_off.name }}{% if signed_off.on %}, {{ signed_off.on }}{% endif %}",
            ),
        ]
    )
    b.para(
        "The board's response to the review's recommendations: what each agency and the"
        " partnership will do, how the lessons will be shared, and how the board will know"
        " things have changed."
    )
    b.heading("1. Publication")
    # wt2018/wt2023: the copy to the Panel and the Secretary of State before publication could not
    # be cited (research W18-21, W23-17), so it is left out; publication itself: WT2018 ch. 4, as
    # partnerships quote it (W18-20).
    b.tag("if wording.current")
    b.details([("Planned publication", "{{ publication.planned_on }}")], label_width=8)
    b.guidance(
        "The safeguarding partners publish the report unless they consider it inappropriate;"
        " then they publish what improvements will be made. What they publish stays available"
        " for at least one year."
    )
    b.tag("else")
    b.details(
        [
            ("Planned publication", "{{ publication.planned_on }}"),
            (
                "Report and actions to Ofsted, DfE and the National Panel",
                "{{ publication.national_bodies_by }}",
            ),
        ],
        label_width=8,
    )
    b.guidance(
        "The report and the actions go to Ofsted, the Department for Education and the"
        " National Panel at least 7 working days before publication. Once published, the"
        " report stays on the board's website for at least 12 months."
    )
    b.tag("endif")
    b.tag("if publication.notes")
    b.para("{{ publication.notes }}")
    b.tag("endif")
    b.heading("2. Feedback")
    b.heading("To the practitioners who took part", 2)
    b.para("{{ feedback.practitioners }}")
    b.heading("To the family", 2)
    b.para("{{ feedback.family }}")
    b.heading("3. Sharing the lessons")
    b.bullets("dissemination")
    b.heading("4. Action plan")
    b.rows(
        ["Recommendation", "Action", "Owner", "Due by", "How success is measured", "Progress"],
        "a",
        "actions",
        [
            "{{ a.recommendation }}",
            "{{ a.action }}",
            "{{ a.owner }}",
            "{{ a.due_by }}",
            "{{ a.success_measure }}",
            "{{ a.status }}",
        ],
        [2.4, 3, 1.6, 1.2, 2.4, 1.4],
    )
    b.heading("5. Actions already taken")
    b.bullets("actions_taken", empty="None recorded yet.")
    b.heading("6. Impact so far")
    b.text_or("impact", "To be reported as the actions are completed and audited.")
    b.heading("7. What more will be done")
    b.text_or("further_work", "To be agreed.")
    b.heading("8. Monitoring")
    b.para(
        "Progress against this plan is reported to the board's performance committee every"
        " quarter; the committee holds agencies to account and audits the impact of the"
        " completed actions."
    )
