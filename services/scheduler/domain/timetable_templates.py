"""Review timetable templates as data: the stages of each kind of review and when they fall due.

A template is an ordered list of stages, each opening and falling due a number of
working days after the timetable's start (day 0, usually the day the review was
initiated). Where the source gives the timing (the seven-week below-threshold plan,
000 §6) a week is five working days, so a bank holiday lengthens the week it falls in.
Where the source gives only the order of stages and the length of sessions (001 §6,
002 §2), the offsets are the product's defaults, chosen so that the last stage falls
due inside the six-month aim for completing a review (003 SCR checklist; 000 §7); each
template says which applies in ``timing_source``.
"""

from __future__ import annotations

from dataclasses import dataclass

WORKING_DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class StageTemplate:
    code: str
    title: str
    activity: str  # what happens, in plain English
    opens: int  # working days after the start
    due: int  # working days after the start; the stage's planned date
    source: str
    effort: str = ""  # length of the session, where the source gives one
    family_involvement: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.opens <= self.due:
            raise ValueError(f"{self.code}: need 0 <= opens <= due")


@dataclass(frozen=True)
class TimetableTemplate:
    code: str
    title: str
    source: str
    timing_source: str  # where the offsets come from
    stages: tuple[StageTemplate, ...]

    def __post_init__(self) -> None:
        codes = [s.code for s in self.stages]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: stage codes repeat")
        dues = [s.due for s in self.stages]
        if dues != sorted(dues):
            raise ValueError(f"{self.code}: stages are not in the order they fall due")


def _week(first: int, last: int) -> tuple[int, int]:
    """Weeks ``first``..``last`` of a plan as (opens, due) working-day offsets."""
    return (first - 1) * WORKING_DAYS_PER_WEEK + 1, last * WORKING_DAYS_PER_WEEK


def _weeks(code: str, title: str, activity: str, weeks: tuple[int, int]) -> StageTemplate:
    opens, due = _week(*weeks)
    return StageTemplate(code, title, activity, opens, due, source="000 §6")


BELOW_THRESHOLD_SEVEN_WEEKS = TimetableTemplate(
    code="below_threshold_seven_weeks",
    title="Critical Incident or Learning Review below the SCR threshold, in seven weeks",
    source="000 §6",
    timing_source="000 §6 (weeks of the plan; a week is five working days)",
    stages=(
        _weeks(
            "case_group_letters",
            "Case group identified and letters sent",
            "The review group names the case group and writes to ask for full chronologies, "
            "an audit of the case files and answers to the key questions; practitioners "
            "audit their files, talk to their managers and reply.",
            (1, 2),
        ),
        _weeks(
            "information_analysed",
            "Information returned and analysed",
            "Answers come back and are analysed; review group members meet case group "
            "members and plan the one-to-one conversations and the review meeting.",
            (3, 4),
        ),
        _weeks(
            "preparatory_meetings",
            "One-to-one preparatory meetings",
            "Review group members meet case group members one to one to prepare.",
            (5, 5),
        ),
        _weeks(
            "review_meeting",
            "Review meeting",
            "The review group meets the case group.",
            (6, 6),
        ),
        _weeks(
            "action_plan_published",
            "Action plan and recommendations published",
            "The action plan and recommendations are published and fed back to the case group.",
            (7, 7),
        ),
    ),
)

_SCR_TIMING = (
    "order and session lengths from 001 §6; working-day offsets are product defaults "
    "that finish within the six-month aim (003 SCR checklist)"
)


def _scr(
    code: str,
    title: str,
    offsets: list[tuple[int, int]],
    forum_effort: str,
    analysis_effort: str,
) -> TimetableTemplate:
    """The intensive and targeted SCRs share their stages (001 §6); effort and pace differ."""
    rows = [
        (
            "review_group_initial_meeting",
            "Review group initial meeting",
            "Identify the agencies involved, start the pre-review processes and weigh any "
            "parallel reviews or criminal investigation.",
            "",
        ),
        (
            "spe_chronologies",
            "Significant practice event chronologies",
            "Every agency involved prepares its chronology of significant practice events: "
            "risk, response, partnership and learning.",
            "",
        ),
        (
            "review_group_planning_meeting",
            "Review group planning meeting",
            "Confirm whether the SCR criteria are met, advise on scope and type of review, "
            "consider the lead reviewer and set the parameters of the case group forums.",
            "half a day",
        ),
        (
            "national_panel_engagement",
            "Engagement with the National Panel and peer challenge",
            "The Chair seeks peer challenge where useful, consults the National Panel on the "
            "criteria and tells it who the lead reviewers are.",
            "",
        ),
        (
            "case_group_spe_forums",
            "Case group significant practice event forums",
            "The review group gathers the practitioners' picture of the case in forums of "
            "case workers, episode by episode.",
            forum_effort,
        ),
        (
            "information_audit",
            "Review group information audit",
            "Documents and any interviews with the family are set against what the forums found.",
            "",
        ),
        (
            "spe_analysis_meetings",
            "Significant practice event analysis meetings",
            "The review group evaluates the individual and systemic practice issues and "
            "proposes transferable learning.",
            analysis_effort,
        ),
        (
            "family_involvement",
            "Family and child involvement",
            "The lead reviewers meet the family and the child(ren) to hear their experience "
            "and their view of the practice events.",
            "half a day",
        ),
        (
            "board_progress_report",
            "Progress report to the board",
            "The review group updates the board and confirms the plan for the learning workshop.",
            "",
        ),
        (
            "learning_workshop",
            "Learning workshop",
            "The emerging transferable learning is tested with the case group.",
            "1 day",
        ),
        (
            "initial_report_to_board",
            "Initial report to the board",
            "The lead reviewers present their initial findings to the board.",
            "",
        ),
        (
            "programmes_of_action",
            "Programmes of action",
            "Findings become programmes of action; the family hears what changed.",
            "",
        ),
    ]
    assert len(rows) == len(offsets)
    stages = tuple(
        StageTemplate(
            code=c,
            title=t,
            activity=a,
            opens=o,
            due=d,
            source="001 §6 note 9" if c == "family_involvement" else "001 §6",
            effort=e,
            family_involvement=c == "family_involvement",
        )
        for (c, t, a, e), (o, d) in zip(rows, offsets, strict=True)
    )
    return TimetableTemplate(
        code=code, title=title, source="001 §6", timing_source=_SCR_TIMING, stages=stages
    )


SCR_INTENSIVE = _scr(
    "scr_intensive",
    "Intensive Serious Case Review (North West framework)",
    # (opens, due) working days after the start, for each stage in turn
    [
        (1, 5),
        (6, 25),
        (26, 30),
        (31, 35),
        (36, 50),
        (51, 60),
        (61, 70),
        (71, 75),
        (76, 80),
        (81, 90),
        (91, 105),
        (106, 120),
    ],
    forum_effort="1 day",
    analysis_effort="2 or more half-day sessions",
)

SCR_TARGETED = _scr(
    "scr_targeted",
    "Targeted Serious Case Review (North West framework)",
    [
        (1, 5),
        (6, 20),
        (21, 25),
        (26, 30),
        (31, 40),
        (41, 45),
        (46, 50),
        (51, 55),
        (56, 60),
        (61, 70),
        (71, 80),
        (81, 95),
    ],
    forum_effort="up to 1 day",
    analysis_effort="1 or 2 half-day sessions",
)

GREATER_MANCHESTER_SCR = TimetableTemplate(
    code="greater_manchester_scr",
    title="Serious Case Review, Greater Manchester systems approach",
    source="002 §2",
    timing_source=(
        "order from 002 §2; working-day offsets are product defaults that finish within "
        "the six-month aim (003 SCR checklist)"
    ),
    stages=(
        StageTemplate(
            "threshold_meeting",
            "SCR threshold meeting",
            "Agree the panel, lead reviewer, timetable and period under review; start the "
            "genogram; name the agencies, the parallel processes and an independent panel "
            "chair; ask key agencies for their timelines.",
            1,
            5,
            source="002 §2.1",
        ),
        StageTemplate(
            "initial_review_panel_meeting",
            "Initial review panel meeting",
            "Check Ofsted, the DfE and the National Panel were told; agree the merged "
            "timeline, the family members to invite and the single agency analysis reports; "
            "confirm parallel processes; set the timetable with room for slippage; plan the "
            "learning event.",
            6,
            20,
            source="002 §2.3",
        ),
        StageTemplate(
            "single_agency_analysis_reports",
            "Single agency analysis reports",
            "Each agency writes its analysis report and single agency action plan.",
            21,
            40,
            source="002 §2.4",
        ),
        StageTemplate(
            "family_engagement",
            "Family engagement",
            "Family members are told about the review, supported, and helped to contribute.",
            21,
            50,
            source="002 §2.5; 001 §6 note 9",
            family_involvement=True,
        ),
        StageTemplate(
            "learning_event",
            "Learning event",
            "The lead reviewer runs the practitioners' learning event with the panel.",
            51,
            60,
            source="002 §2.6",
        ),
        StageTemplate(
            "panel_learning_event_outcomes",
            "Review panel meeting: outcomes of the learning event",
            "The first of at least two further panel meetings reviews the learning event.",
            61,
            70,
            source="002 §2.7",
        ),
        StageTemplate(
            "panel_draft_report",
            "Review panel meeting: draft report",
            "The second further panel meeting comments on the draft SCR report.",
            71,
            90,
            source="002 §2.7",
        ),
        StageTemplate(
            "final_report_to_panel",
            "Final report to the review panel",
            "The panel quality-assures the final report and shapes its recommendations.",
            91,
            100,
            source="002 §2.8",
        ),
        StageTemplate(
            "final_report_to_board",
            "Final report to the board",
            "The lead reviewer, with the panel chair, presents the report to the board.",
            101,
            105,
            source="002 §2.8",
        ),
        StageTemplate(
            "board_response_action_plan",
            "Board response and action plan",
            "The board agrees its response and an action plan, including a publication "
            "timeline and feedback to practitioners and the family.",
            106,
            115,
            source="002 §2.9",
        ),
        StageTemplate(
            "sign_off_and_copies",
            "Sign-off and copies to national bodies",
            "The board signs the report off and sends copies to Ofsted, the DfE and the National Panel.",
            116,
            125,
            source="002 §2.9",
        ),
    ),
)

TIMETABLE_TEMPLATES: dict[str, TimetableTemplate] = {
    t.code: t for t in (BELOW_THRESHOLD_SEVEN_WEEKS, SCR_INTENSIVE, SCR_TARGETED, GREATER_MANCHESTER_SCR)
}
