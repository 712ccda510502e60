"""What the framework asks of each document, in the product's own words.

The questions and prompts below restate the seeds (see ../shared/DOMAIN.md); each
names the seed and section it comes from, so a form or a document can cite it. The
template build tool (``tools/document_templates/build.py``) writes them into the
templates, and web forms can use the same text as labels.

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from shared.framework import REVIEW_KIND_LABELS as _SHARED_LABELS


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    source: str


# The six questions a single agency review answers (000 §2).
SINGLE_AGENCY_QUESTIONS: tuple[Question, ...] = tuple(
    Question(code, text, "000 §2")
    for code, text in (
        ("went_well", "Which parts of your agency's work with the child and family worked well?"),
        ("learned", "What has the way the case developed taught your agency?"),
        ("barriers", "What got in the way of the help your agency was trying to give?"),
        (
            "more_effective",
            "What would have made your agency's safeguarding of this child more effective?",
        ),
        (
            "policy_support",
            "How well did your agency's policies, procedures and guidance support the"
            " decisions practitioners made?",
        ),
        (
            "do_differently",
            "What will your agency change from now on, and what are the main safeguarding lessons for it?",
        ),
    )
)

# The six questions that decide whether an event belongs in an SPE chronology
# (000 §12; 001 §5.2).
SPE_SIGNIFICANCE_QUESTIONS: tuple[Question, ...] = tuple(
    Question(code, text, "000 §12; 001 §5.2")
    for code, text in (
        (
            "changed_assessment",
            "Did the event change, or could it have changed, your agency's view of the child's situation?",
        ),
        (
            "pattern",
            "Is the event part of, or a sign of, a pattern of events that would each seem"
            " minor on their own?",
        ),
        (
            "statutory",
            "Was it a statutory event, such as a child protection conference or a court hearing?",
        ),
        ("child_view", "Would the child have seen the event as important in their life?"),
        (
            "adult_view",
            "Would an adult who mattered to the child have seen the event as important in"
            " their own life or the child's?",
        ),
        ("learning", "Does the event hold a lesson for agencies?"),
    )
)

# What each column of an SPE chronology records (001 §5.1).
SPE_COLUMNS: tuple[Question, ...] = tuple(
    Question(code, text, "001 §5.1")
    for code, text in (
        ("date", "When the event happened."),
        ("event", "What happened, in a sentence or two."),
        ("risk", "How the risk to the child showed itself at the time."),
        ("response", "What your agency did about it."),
        ("partnership", "Which other agencies were considered, told or involved, and how."),
        ("learning", "What can be learned from it, above all anything significant or new."),
    )
)

# Prompts for the analysis section of a single agency analysis report (002 Appendix 1).
SAAR_ANALYSIS_PROMPTS: tuple[Question, ...] = tuple(
    Question(code, text, "002 Appendix 1")
    for code, text in (
        ("responses", "Did the agency respond in the right way for the circumstances?"),
        ("decisions", "Can the key decisions be justified?"),
        ("information", "Did practitioners look for, and weigh, the information that mattered?"),
        ("early_help", "Did help come early, and was it effective and suitable?"),
        ("assessment", "Were the child's and the family's circumstances assessed well enough?"),
    )
)

# The kinds of review a decision can choose (DOMAIN.md "Kinds of review"). The codes are
# the referral service's decision outcomes; the labels are what documents print.
# The local child safeguarding practice review of ``wt2018``/``wt2023`` (Children Act 2004
# s.16F(1); SI 2018/789 reg 11), if the shared vocabulary does not name it yet.
_OWN_LABELS = {"local_child_safeguarding_practice_review": "Local child safeguarding practice review"}
REVIEW_KIND_LABELS: MappingProxyType[str, str] = MappingProxyType({**_OWN_LABELS, **_SHARED_LABELS})
SERIOUS_CASE_REVIEW = "serious_case_review"

# The SCR methods the Chair may choose (001 §5.3 intensive, §5.4 targeted), as a sentence names them.
METHODS: MappingProxyType[str, str] = MappingProxyType({"intensive": "intensive", "targeted": "targeted"})
METHOD_SOURCES: MappingProxyType[str, str] = MappingProxyType(
    {"intensive": "001 §5.3", "targeted": "001 §5.4"}
)

# A lead reviewer's independence declarations (001 §5.6; 002 §2.2; 003 "Appointing reviewers"):
# what a document prints when the reviewer declared each one true, and when false.
DECLARATIONS_SOURCE = "001 §5.6; 002 §2.2; 003 'Appointing reviewers'"
DECLARATIONS: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "works_for_involved_agency": (
            "Works for an agency involved in the case",
            "Does not work for an agency involved in the case",
        ),
        "line_manages_involved_staff": (
            "Line-manages staff involved in the case",
            "Does not line-manage staff involved in the case",
        ),
        "involved_in_case": ("Was involved in the case", "Was not involved in the case"),
        "works_for_board_agency": (
            "Works for one of the board's agencies",
            "Does not work for any of the board's agencies",
        ),
    }
)
