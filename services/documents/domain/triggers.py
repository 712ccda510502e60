"""Which documents the case's events call for, without anyone asking.

DOMAIN.md, "Documents the board produces": a referral is summarised once it is
screened, and a notifiable incident is notified to Ofsted (003 'Notifiable
Incidents'); the Chair's decision, recorded or changed after challenge, is written up
and notified to Ofsted, the DfE and the National Panel (003 checklist; 001 §3); once
reviewers are appointed, each agency involved gets a letter to its case group
contact (000 §6).

Pure Python: no Flask, mongoengine or kombu.
"""

from __future__ import annotations

REFERRAL_SUMMARY = "referral_summary"
OFSTED_NOTIFICATION = "ofsted_incident_notification"
CASE_GROUP_LETTER = "case_group_letter"  # one per agency involved

AFTER_DECISION: tuple[str, ...] = ("screening_decision_record", "decision_notification")


def after_screening(notifiable: bool) -> tuple[str, ...]:
    """The referral summary always; the notification to Ofsted only for a notifiable incident."""
    return (REFERRAL_SUMMARY, OFSTED_NOTIFICATION) if notifiable else (REFERRAL_SUMMARY,)
