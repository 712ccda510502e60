"""Web pages of the referral service (GOV.UK Design System).

- :mod:`.journey`, ``/referrals``: the referral journey, one question per page. Answers are
  kept in a draft owned by the user and board; nothing becomes a case until the final submit
  on "Check your answers".
- :mod:`.cases`, ``/cases``: the case list with each case's next deadline; ``/cases/<id>``:
  the case page.
- :mod:`.decision`: ``/cases/<id>/decision`` (and ``/change`` after a challenge), then
  ``/check``: check your answers before the decision is recorded and the regulators emailed.
- :mod:`.progress`: ``/cases/<id>/status``: moving a case on; ``/cases/<id>/agencies``: letting
  another agency of the board see it.
- :mod:`.pseudonym`: ``/cases/<id>/pseudonym``: the child's pseudonym (and its API).
- :mod:`.audit`: ``/admin/audit``: the board's audit log, for admins.
- :mod:`.reviews`: ``/cases/<id>/rapid-review`` (wt2018, wt2023), ``/cases/<id>/challenge``,
  ``/cases/<id>/decision/confirm``.

Views are thin: a form from :mod:`..forms` validates the page, the message bus hands the
command to its handler, a template in ``services/referral/templates/referral/`` shapes the
answer. Every read and write of case data is audited; drafts, which hold the child's
details, are audited too.
"""

from services.referral.entrypoints.pages import audit, cases, decision, journey, progress, pseudonym, reviews
from services.referral.entrypoints.pages.blueprint import blueprint

__all__ = ["audit", "blueprint", "cases", "decision", "journey", "progress", "pseudonym", "reviews"]
