"""Forms of the referral service's pages, by responsibility:

- :mod:`.words`: the words shown for the domain's values; a screening grouped for reading;
- :mod:`.widgets` and :mod:`.dates`: GOV.UK widgets, validators and the date input;
- :mod:`.steps`, :mod:`.questions`, :mod:`.details`: one page per question of the referral
  journey (the journey itself, which question when, is the domain's: domain/journey.py);
- :mod:`.journey`: the pages in order, and what the pages need of the whole journey;
- :mod:`.decision_form`: the decision; :mod:`.review_forms`: the rapid review, a challenge,
  keeping the decision.

Forms validate what a page sent; the rules stay in the domain and the handlers.
"""

from services.referral.entrypoints.forms.decision_form import DECLARATION_LABELS, CsrfOnlyForm, DecisionForm
from services.referral.entrypoints.forms.journey import (
    BY_SLUG,
    FIRST,
    SECTIONS,
    SLUGS,
    STEPS,
    applicable,
    check_all,
    fact_rows,
    first_unanswered,
    locate,
    next_step,
    previous_step,
)
from services.referral.entrypoints.forms.review_forms import ChallengeForm, ConfirmForm, RapidReviewForm
from services.referral.entrypoints.forms.steps import Problem, StepForm
from services.referral.entrypoints.forms.widgets import error_list
from services.referral.entrypoints.forms.words import (
    METHOD_LABELS,
    OUTCOME_LABELS,
    WHAT_HAPPENED,
    ScreeningView,
    deadline_label,
    deadline_tag,
    pack_words,
    sentence,
    show_date,
    show_instant,
    words,
)

__all__ = [
    "BY_SLUG",
    "DECLARATION_LABELS",
    "FIRST",
    "METHOD_LABELS",
    "OUTCOME_LABELS",
    "SECTIONS",
    "SLUGS",
    "STEPS",
    "WHAT_HAPPENED",
    "ChallengeForm",
    "ConfirmForm",
    "CsrfOnlyForm",
    "DecisionForm",
    "Problem",
    "RapidReviewForm",
    "ScreeningView",
    "StepForm",
    "applicable",
    "check_all",
    "deadline_label",
    "deadline_tag",
    "error_list",
    "fact_rows",
    "first_unanswered",
    "locate",
    "next_step",
    "pack_words",
    "previous_step",
    "sentence",
    "show_date",
    "show_instant",
    "words",
]
