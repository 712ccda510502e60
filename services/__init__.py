"""The product's five services. ``python -m services`` runs them all in one process."""

NAMES = ("referral", "scheduler", "documents", "notifications", "reviews")
