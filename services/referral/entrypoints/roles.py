"""Who may use the referral service's pages and API (see shared/auth/models.py ROLES)."""

AGENCY = ("agency_practitioner", "agency_manager")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
READERS = (*STAFF, *AGENCY)
REFERRERS = (*AGENCY, "business_unit", "admin")
DECIDERS = ("chair", "admin")
CASE_MANAGERS = ("business_unit", "admin")
# Who records a challenge to the decision, or the safeguarding partners' rapid review.
CHALLENGERS = (*DECIDERS, "business_unit")
