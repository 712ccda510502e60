"""The referral journey in the browser: its answers, and two ways of giving them.

:func:`refer_by_keyboard` uses only the keys a keyboard user has (Tab, arrows, Space, Enter
and typing); :func:`refer` fills the same answers quickly, for tests that need a case.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

INCIDENT = date.today() - timedelta(days=10)
AWARE = date.today() - timedelta(days=9)
SUMMARY = "Seriously injured at a childminder's; police and health involved."


def _date(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


# (page, {field: answer}): a child seriously harmed, abuse suspected. A list of three is a
# date (day, month, year); any other list is the boxes to tick. The referrer page comes
# filled in from the signed-in user.
JOURNEY: list[tuple[str, dict[str, Any]]] = [
    ("what-happened", {"what_happened": "seriously_harmed"}),
    ("custody", {"custody_setting": "none"}),
    ("mental-health-act", {"detained_mental_health_act": "no"}),
    ("deprivation-of-liberty", {"deprivation_of_liberty_order": "no"}),
    ("looked-after", {"looked_after": "no"}),
    ("regulated-setting", {"regulated_setting": "childminder"}),
    ("abuse-or-neglect", {"abuse_or_neglect": "suspected"}),
    ("working-together", {"interagency_concern": "unclear"}),
    ("dates", {"incident_on": _date(INCIDENT), "became_aware_on": _date(AWARE)}),
    ("agencies", {"agencies_involved": ["police", "health"]}),
    ("where-the-child-lives", {"child_lives_in_area": "yes"}),
    ("referrer", {}),
    ("summary", {"summary": SUMMARY}),
    ("child", {}),
]
DATE_PARTS = ("day", "month", "year")


def _is_date(answer: Any) -> bool:
    return isinstance(answer, list) and len(answer) == 3 and all(a.isdigit() for a in answer)


# -- quickly ----------------------------------------------------------------------------------


def refer(page: Any) -> str:
    """Send a referral as the signed-in user; returns the address of the confirmation page."""
    page.goto("/referrals/new")
    for slug, answers in JOURNEY:
        assert page.url.split("?")[0].endswith(("/new", f"/{slug}")), (page.url, slug)
        for name, answer in answers.items():
            if _is_date(answer):
                for part, value in zip(DATE_PARTS, answer, strict=True):
                    page.fill(f"#{name}-{part}", value)
            elif isinstance(answer, list):
                for value in answer:
                    page.check(f"input[name={name}][value={value}]")
            elif page.locator(f"input[name={name}][type=radio]").count():
                page.check(f"input[name={name}][value={answer}]")
            else:
                page.fill(f"[name={name}]", answer)
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/check"), page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Send the referral").click()
    assert "/referrals/submitted/" in page.url, page.url
    return str(page.url)


# -- with the keyboard only -------------------------------------------------------------------

_ACTIVE = """() => {
  const e = document.activeElement
  return {tag: e.tagName, name: e.name || '', type: e.type || '', value: e.value || '',
          id: e.id || '', text: (e.textContent || '').trim(), checked: Boolean(e.checked)}
}"""


def active(page: Any) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(_ACTIVE)
    return found


def tab_to(page: Any, limit: int = 80, **wanted: str) -> dict[str, Any]:
    """Press Tab until the focused element has these properties (name, id, text, ...)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if all(now[key] == value for key, value in wanted.items()):
            return now
    raise AssertionError(f"Tab never reached {wanted} on {page.url}")


def choose_radio(page: Any, name: str, value: str) -> None:
    now = tab_to(page, name=name)  # Tab enters a radio group once
    for _ in range(20):
        if now["value"] == value:
            if not now["checked"]:
                page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")  # moves to the next option and selects it
        now = active(page)
    raise AssertionError(f"no option {value!r} for {name}")


def type_into(page: Any, element_id: str, text: str) -> None:
    tab_to(page, id=element_id)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def press_button(page: Any, text: str) -> None:
    tab_to(page, tag="BUTTON", text=text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def refer_by_keyboard(page: Any) -> None:
    """Answer every page and send the referral with the keyboard alone, from "Refer a case"."""
    for slug, answers in JOURNEY:
        assert page.url.split("?")[0].endswith(("/new", f"/{slug}")), (page.url, slug)
        for name, answer in answers.items():
            if _is_date(answer):
                for part, value in zip(DATE_PARTS, answer, strict=True):
                    type_into(page, f"{name}-{part}", value)
            elif isinstance(answer, list):
                for value in answer:
                    tab_to(page, name=name, value=value)
                    page.keyboard.press("Space")
            elif page.locator(f"input[name={name}][type=radio]").count():
                choose_radio(page, name, answer)
            else:
                type_into(page, name, answer)
        press_button(page, "Continue")
    assert page.url.endswith("/check"), page.url
    press_button(page, "Send the referral")
