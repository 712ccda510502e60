"""Who may make an API token.

Pure Python. A token is a bearer credential that lives up to a year outside the product: in
a script, a scheduled job, another system's configuration. Whoever holds it acts as its
owner without signing in, so only the roles whose work calls for a machine to act for them
may make one.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import Forbidden

TOKEN_ROLES = frozenset(
    {
        # The business unit runs the board's scripts: imports, exports, bulk status changes.
        "business_unit",
        # Admins run the product's own scripts and connect other systems.
        "admin",
        # An agency manager connects the agency's case-management system, to send the
        # agency's referrals and read its cases.
        "agency_manager",
    }
)
# Everyone else signs in to the pages and has no script to run: agency practitioners refer on
# the pages; the Chair, panel members and lead reviewers read and decide on them; family
# members only read the reports shared with them. For them a token would only be one more
# long-lived copy of their access to leak.

REFUSED = (
    "Your role does not use API tokens: sign in to the pages instead. Tokens are for the"
    " business unit, admins and agency managers, who run scripts or connect other systems."
)


def may_make_token(roles: Iterable[str]) -> bool:
    return not TOKEN_ROLES.isdisjoint(roles)


def check_may_make_token(roles: Iterable[str]) -> None:
    """:class:`Forbidden` (403), saying why, unless one of ``roles`` may make a token."""
    if not may_make_token(roles):
        raise Forbidden(REFUSED)
