"""The case list's filter form, rendered once for each set of values it shows.

The form (reference, pseudonym, three choices and two GOV.UK date inputs) costs more to render
than the fifty rows under it, and it is the same on every page of a list: paging through the
cases, or coming back to the list, shows the same filters. The rendered form is kept, keyed by
everything it shows (the values typed, the problems found, the choices offered, the sort kept,
the address it sends to), so a different board's agencies or a changed choice render anew.
At most :data:`KEPT` forms are kept; the least recently used goes first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from flask import render_template
from markupsafe import Markup

from services.referral.entrypoints.pages.case_search import Search

KEPT = 256
_kept: OrderedDict[str, Markup] = OrderedDict()
_lock = threading.Lock()


def filter_form(
    search: Search,
    action: str,
    sort: str | None,
    order: str | None,
    **choices: Sequence[dict[str, Any]],
) -> Markup:
    """The filter form's HTML for this search: ``choices`` are the select items by field."""
    key = json.dumps(
        [search.values, search.field_errors, action, sort, order, choices], sort_keys=True, default=str
    )
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    html = Markup(
        render_template(
            "referral/_case_filters.html", search=search, action=action, sort=sort, order=order, **choices
        )
    )
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html
