"""The body of the merged multi-agency chronology: a landscape table of every agency's entries."""

from __future__ import annotations

from .look import Builder


def multi_agency_chronology(b: Builder) -> None:
    b.title_block(
        rows=[
            (
                "Period",
                "{% if review_period.start %}{{ review_period.start }} to {{ review_period.end }}"
                "{% if period_basis %} ({{ period_basis }}){% endif %}{% endif %}",
            ),
        ]
    )
    b.para(
        "Every significant practice event the agencies recorded in their chronologies, in date"
        " and time order. An entry without a time comes first on its day."
    )
    b.tag("if provisional")
    b.guidance(
        "Some chronologies below have been submitted but not yet accepted by the panel: their"
        " entries may still change."
    )
    b.tag("endif")
    b.heading("Agencies' chronologies", 2)
    b.rows(
        ["Agency", "Entries", "Where it stands"],
        "c",
        "contributors",
        ["{{ c.agency }}", "{{ c.count }}", "{{ c.standing }}"],
        [2, 0.8, 3],
        empty="No agency has submitted a chronology yet.",
    )
    b.heading("Chronology", 2)
    b.rows(
        ["Date", "Time", "Agency", "What happened", "Source", "Significance"],
        "e",
        "entries",
        [
            "{{ e.date }}",
            "{{ e.time }}",
            "{{ e.agency }}",
            "{{ e.event }}",
            "{{ e.source }}",
            "{{ e.significance }}",
        ],
        [1.5, 0.6, 1.4, 4, 1.4, 2.2],
    )
