"""Referral service: agency referrals, statutory screening, the Chair's decision and the case record."""
