"""The blueprint of the referral pages, and the words every page template may use."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.referral.domain.decision import MIN_JUSTIFICATION
from services.referral.entrypoints import forms
from shared.auth.access import current_principal
from shared.auth.principal import Principal
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS, PROPORTIONALITY_SOURCE

blueprint = Blueprint("pages", __name__, template_folder="../../templates")


@blueprint.context_processor
def _words() -> dict[str, Any]:
    return {
        "words": forms.words,
        "sentence": forms.sentence,
        "deadline_label": forms.deadline_label,
        "show_date": forms.show_date,
        "outcome_labels": forms.OUTCOME_LABELS,
        "case_factors": CASE_FACTORS,
        "context_factors": CONTEXT_FACTORS,
        "proportionality_source": PROPORTIONALITY_SOURCE,
        "min_justification": MIN_JUSTIFICATION,
    }


def actor() -> Principal:
    """Who is signed in: every page is for members only, so someone is."""
    principal = current_principal()
    assert principal is not None
    return principal
