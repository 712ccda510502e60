"""Which documents the case's events call for, without anyone asking.

DOMAIN.md, "Documents the board produces": a referral is summarised once it is
screened. A notifiable incident, and only a notifiable one, is notified: under
``wt2015`` and ``wt2015-north-west`` to Ofsted, on its form (003 'Notifiable
Incidents'); under ``wt2018`` and ``wt2023`` to the Child Safeguarding Practice Review
Panel (WT2018 ch. 4 'Duty on local authorities to notify incidents to the Child
Safeguarding Practice Review Panel'; WT2023 ch. 5; the Panel shares it with the DfE and
Ofsted). The Chair's decision, recorded, changed after a challenge or kept after one,
is written up and notified (003 checklist; 001 §3). Once reviewers are appointed, each
agency involved gets a letter to its case group contact (000 §6). The safeguarding
partners' rapid review is written up for the Panel (WT2018 ch. 4 'The rapid review';
WT2023 ch. 5).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

from .packs import is_current

REFERRAL_SUMMARY = "referral_summary"
OFSTED_NOTIFICATION = "ofsted_incident_notification"
PANEL_NOTIFICATION = "panel_incident_notification"
RAPID_REVIEW_OUTCOME = "rapid_review_outcome"
CASE_GROUP_LETTER = "case_group_letter"  # one per agency involved

# Recorded, changed after a challenge, or kept after one: the record and the letter, each a new version.
AFTER_DECISION: tuple[str, ...] = ("screening_decision_record", "decision_notification")
AFTER_RAPID_REVIEW: tuple[str, ...] = (RAPID_REVIEW_OUTCOME,)


def incident_notification(rule_pack: str | None) -> str:
    """The notification of a notifiable incident under ``rule_pack``: Ofsted's form, or the Panel's."""
    return PANEL_NOTIFICATION if is_current(rule_pack) else OFSTED_NOTIFICATION


def after_screening(notifiable: bool, rule_pack: str | None = None) -> tuple[str, ...]:
    """The referral summary always; the incident notification only for a notifiable incident."""
    if not notifiable:
        return (REFERRAL_SUMMARY,)
    return (REFERRAL_SUMMARY, incident_notification(rule_pack))
