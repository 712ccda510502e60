"""Erasure requests: recorded, carried out where the law allows, refused with the reason otherwise.

The right to erasure (UK GDPR Article 17, https://gdprhub.eu/Article%2017%20GDPR) is not
absolute: Article 17(3) says when it does not apply, and the ICO's guidance and the bodies
that follow it list the same (for instance https://www1.ayrshire.ac.uk/data-protection/right-to-erasure):
among them, where keeping the data is needed to comply with a legal obligation or to perform a
task in the public interest or in the exercise of official authority (17(3)(b)), and to
establish, exercise or defend legal claims (17(3)(e)). A board's
case reviews are such a task: a board must review serious cases (the Local Safeguarding
Children Boards Regulations 2006, regulation 5, DOMAIN.md; Working Together chapter 4, 003). So:

- **the person's account** is erased: name and email replaced, password removed, the account
  deactivated, their sessions, tokens and links deleted (Article 17(1)(a): no longer needed);
  the audit log keeps the account's id, which then names no one;
- **a referral they made** that led to no review, once decided, has their name and email
  removed; one still being considered, or that led to a review, is kept, refused under
  17(3)(b) (the board needs it for the statutory decision or review) and 17(3)(e);
- **messages sent to them** about a case that led to no review lose their address and
  content; those about a review are kept, refused under 17(3)(b);
- **reviews** naming them (panel member, family member, contributor) are kept, refused under
  17(3)(b): the review's record is the board's statutory record until the retention schedule
  removes it (:mod:`shared.retention`);
- **the audit log** is kept, refused under 17(3)(e) and Article 32 (it is the evidence of who
  saw and changed the records) until the retention schedule removes it.

Every request is recorded in the identity store's ``erasure_requests``: who asked, when, the
scope, and for each record what was done or why not. Copies in backups are put beyond use and
expire with them (:mod:`services.backup`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from services.subject_access.search import Subject, found_in, identify, normal
from shared.retention import REMOVED

SCOPES = ("account", "referrals", "notifications", "reviews", "audit_log")
NO_REVIEW = "no_review"  # the referral service's outcome when the Chair decided no review
KEPT_FOR_DECISION = (
    "The referral is still being considered: the board needs it to decide whether a statutory "
    "review is required (UK GDPR Article 17(3)(b), a task in the public interest)"
)
KEPT_FOR_REVIEW = (
    "Part of the record of a statutory case review, which the board must keep (UK GDPR Article "
    "17(3)(b), a task in the public interest; 17(3)(e), legal claims)"
)
KEPT_AUDIT = (
    "The audit log is the evidence of who saw and changed records (UK GDPR Article 17(3)(e), "
    "legal claims; Article 32, security); it is kept until the retention schedule removes it"
)


def _in(databases: Mapping[str, Any], collection: str) -> list[Any]:
    return [db[collection] for db in databases.values() if collection in db.list_collection_names()]


def _outcome_of(databases: Mapping[str, Any], case_id: str) -> str | None:
    """The Chair's decision on a case (None while it is being considered)."""
    for cases in _in(databases, "cases"):
        case = cases.find_one({"_id": case_id}, {"decision.outcome": 1})
        if case is not None:
            return (case.get("decision") or {}).get("outcome")
    return None


def _account(databases: Mapping[str, Any], subject: Subject) -> list[dict[str, Any]]:
    done = []
    for users in _in(databases, "users"):
        for user_id in sorted(subject.user_ids):
            found = users.update_one(
                {"_id": user_id},
                {
                    "$set": {
                        "name": "Erased account",
                        "email": f"erased-{user_id}@erased.invalid",
                        "active": False,
                    },
                    "$unset": {"password_hash": "", "oidc_subject": ""},
                },
            )
            if found.matched_count:
                done.append({"collection": "users", "id": user_id, "action": "erased"})
    for name in ("web_sessions", "api_tokens", "account_links"):
        for coll in _in(databases, name):
            removed = coll.delete_many({"user_id": {"$in": sorted(subject.user_ids)}}).deleted_count
            if removed:
                done.append({"collection": name, "id": f"{removed} records", "action": "erased"})
    return done


def _referrals(databases: Mapping[str, Any], emails: list[str]) -> list[dict[str, Any]]:
    done = []
    for cases in _in(databases, "cases"):
        for case in cases.find({"referrer.email": {"$in": emails}}, {"decision.outcome": 1}):
            outcome = (case.get("decision") or {}).get("outcome")
            if outcome is None:
                done.append(
                    {
                        "collection": "cases",
                        "id": case["_id"],
                        "action": "refused",
                        "reason": KEPT_FOR_DECISION,
                    }
                )
            elif outcome != NO_REVIEW:
                done.append(
                    {"collection": "cases", "id": case["_id"], "action": "refused", "reason": KEPT_FOR_REVIEW}
                )
            else:
                cases.update_one(
                    {"_id": case["_id"]}, {"$set": {"referrer.name": REMOVED, "referrer.email": REMOVED}}
                )
                done.append({"collection": "cases", "id": case["_id"], "action": "erased"})
    return done


def _notifications(databases: Mapping[str, Any], emails: list[str]) -> list[dict[str, Any]]:
    done = []
    for notes in _in(databases, "notifications"):
        for note in notes.find({"address": {"$in": emails}}, {"case_id": 1}):
            if _outcome_of(databases, note["case_id"]) == NO_REVIEW:
                notes.update_one(
                    {"_id": note["_id"]},
                    {
                        "$set": {
                            "address": REMOVED,
                            "recipient_name": REMOVED,
                            "context": {},
                            "attachments": [],
                        }
                    },
                )
                done.append({"collection": "notifications", "id": note["_id"], "action": "erased"})
            else:
                done.append(
                    {
                        "collection": "notifications",
                        "id": note["_id"],
                        "action": "refused",
                        "reason": KEPT_FOR_REVIEW,
                    }
                )
    return done


def _kept(
    databases: Mapping[str, Any], subject: Subject, collection: str, reason: str
) -> list[dict[str, Any]]:
    terms = subject.terms()
    return [
        {"collection": collection, "id": str(doc["_id"]), "action": "refused", "reason": reason}
        for coll in _in(databases, collection)
        for doc in coll.find({})
        if found_in(collection, doc, terms) is not None
    ]


def carry_out(
    databases: Mapping[str, Any], asked: str, *, requested_by: str, scope: tuple[str, ...] = SCOPES
) -> dict[str, Any]:
    """Record an erasure request and carry it out as far as the law allows; returns the record."""
    unknown = sorted(set(scope) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope: {', '.join(unknown)} (choose from {', '.join(SCOPES)})")
    subject = identify(asked, databases)
    emails = sorted(subject.emails | {normal(e) for e in subject.emails})
    results: list[dict[str, Any]] = []
    if "referrals" in scope:
        results += _referrals(databases, emails)
    if "notifications" in scope:
        results += _notifications(databases, emails)
    if "reviews" in scope:
        results += _kept(databases, subject, "reviews", KEPT_FOR_REVIEW)
    if "audit_log" in scope:
        results += _kept(databases, subject, "audit_log", KEPT_AUDIT)
    if "account" in scope:
        results += _account(databases, subject)  # last: the searches above need the account's email
    refused = [r for r in results if r["action"] == "refused"]
    record = {
        "_id": str(uuid.uuid4()),
        "asked": asked,
        "requested_by": requested_by,
        "requested_at": datetime.now(UTC),
        "scope": list(scope),
        "results": results,
        "status": ("refused" if len(refused) == len(results) else "partly refused") if refused else "done",
    }
    identity = [db for db in databases.values() if "users" in db.list_collection_names()]
    (identity or list(databases.values()))[0]["erasure_requests"].insert_one(record)
    return record
