"""Forms of the referral service's pages, by responsibility:

- :mod:`.words`: the words shown for the domain's values; a screening grouped for reading;
- :mod:`.widgets` and :mod:`.dates`: GOV.UK widgets, validators and the date input;
- :mod:`.steps`, :mod:`.questions`, :mod:`.details`: one page per question of the referral
  journey (the journey itself, which question when, is the domain's: domain/journey.py);
- :mod:`.journey`: the pages in order, and what the pages need of the whole journey;
- :mod:`.decision_form`: the Chair's decision.

Forms validate what a page sent; the rules stay in the domain and the handlers.
"""

from services.referral.entrypoints.forms.decision_form import CsrfOnlyForm, DecisionForm
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
from services.referral.entrypoints.forms.steps import Problem, StepForm
from services.referral.entrypoints.forms.widgets import error_list
from services.referral.entrypoints.forms.words import (
    OUTCOME_LABELS,
    WHAT_HAPPENED,
    ScreeningView,
    deadline_label,
    deadline_tag,
    sentence,
    show_date,
    show_instant,
    words,
)

__all__ = [
    "BY_SLUG",
    "FIRST",
    "OUTCOME_LABELS",
    "SECTIONS",
    "SLUGS",
    "STEPS",
    "WHAT_HAPPENED",
    "CsrfOnlyForm",
    "DecisionForm",
    "Problem",
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
    "previous_step",
    "sentence",
    "show_date",
    "show_instant",
    "words",
]
