"""The working-day calendar (DOMAIN.md "Timescales": working days and calendar months).

Every expected date is counted by hand in the comment beside it: "(1)" marks the
first working day counted, "hol" a bank holiday, "sub" a substitute bank holiday,
"wknd" a weekend, "closed" a board closure day.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.scheduler.domain.calendar import WorkingCalendar, add_months
from services.scheduler.domain.errors import ScheduleInputError
from shared.errors import DomainError

ENGLAND = WorkingCalendar()  # england_wales, the default
SCOTLAND = WorkingCalendar("scotland")


# -- counting forward: "within N working days of D" -------------------------------------


def test_christmas_and_new_year_are_skipped():
    # Wed 24 Dec 2025 is day 0: 25 hol, 26 hol, 27-28 wknd, 29 (1), 30 (2), 31 (3),
    # 1 Jan hol, 2 (4), 3-4 wknd, Mon 5 Jan (5)
    assert ENGLAND.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)


def test_substitute_days_when_christmas_falls_on_a_weekend_2027():
    # Fri 24 Dec 2027: 25-26 wknd (Christmas Sat, Boxing Day Sun), Mon 27 sub,
    # Tue 28 sub, Wed 29 (1)
    assert ENGLAND.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    # ... 29 (1), 30 (2), 31 (3), 1-2 Jan wknd (New Year's Day Sat), Mon 3 Jan sub,
    # 4 (4), Wed 5 Jan 2028 (5)
    assert ENGLAND.add_working_days(date(2027, 12, 24), 5) == date(2028, 1, 5)


def test_substitute_days_when_christmas_falls_on_a_weekend_2032():
    # Fri 24 Dec 2032: 25-26 wknd, 27 sub, 28 sub, 29 (1), Thu 30 (2)
    assert ENGLAND.add_working_days(date(2032, 12, 24), 2) == date(2032, 12, 30)
    # Fri 31 Dec 2032: 1-2 Jan wknd (New Year's Day Sat), Mon 3 Jan sub, Tue 4 Jan (1)
    assert ENGLAND.add_working_days(date(2032, 12, 31), 1) == date(2033, 1, 4)


def test_boxing_day_substitute_2026():
    # Thu 24 Dec 2026: 25 hol (Fri), 26-27 wknd (Boxing Day Sat), Mon 28 sub, Tue 29 (1)
    assert ENGLAND.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_good_friday_and_easter_monday():
    # Thu 2 Apr 2026: 3 Good Friday, 4-5 wknd, 6 Easter Monday, Tue 7 Apr (1)
    assert ENGLAND.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_may_spring_and_august_bank_holidays():
    # Fri 1 May 2026: 2-3 wknd, Mon 4 May hol (early May), Tue 5 (1)
    assert ENGLAND.add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)
    # Fri 22 May 2026: 23-24 wknd, Mon 25 May hol (spring), Tue 26 (1)
    assert ENGLAND.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)
    # Fri 28 Aug 2026: 29-30 wknd, Mon 31 Aug hol (summer), Tue 1 Sep (1)
    assert ENGLAND.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)


def test_day_zero_may_be_a_non_working_day():
    # Sat 4 Apr 2026 is day 0: 5 Sun, 6 Easter Monday, Tue 7 (1)
    assert ENGLAND.add_working_days(date(2026, 4, 4), 1) == date(2026, 4, 7)
    # zero working days after a day is that day, working or not
    assert ENGLAND.add_working_days(date(2026, 4, 5), 0) == date(2026, 4, 5)


def test_a_whole_year_of_working_days():
    # 2026 has 261 weekdays (it starts on a Thursday: 52 weeks + Thu 31 Dec) and 8
    # bank holidays on weekdays (1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec,
    # 28 Dec sub): 253 working days, the last of them Thu 31 Dec 2026.
    assert ENGLAND.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253
    assert ENGLAND.add_working_days(date(2025, 12, 31), 253) == date(2026, 12, 31)


def test_dates_far_from_the_first_one_asked_about():
    cal = WorkingCalendar()
    assert cal.is_working_day(date(2026, 1, 2))  # a Friday
    assert not cal.is_working_day(date(2045, 12, 25))  # Christmas Day, a Monday
    assert cal.is_working_day(date(2060, 12, 24))  # a Friday
    assert not cal.is_working_day(date(1995, 12, 25))  # Christmas Day, a Monday
    # and counting still works where it started: Thu 2 Apr 2026 + 1 = Tue 7 Apr
    assert cal.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


# -- counting back: "at least N working days before D" -------------------------------------


def test_subtract_across_christmas():
    # Mon 5 Jan 2026: 2 (1), 1 hol, 31 (2), 30 (3), 29 (4), 28-27 wknd, 26 hol, 25 hol,
    # Wed 24 Dec 2025 (5)
    assert ENGLAND.subtract_working_days(date(2026, 1, 5), 5) == date(2025, 12, 24)


def test_subtract_from_a_non_working_day():
    # Sun 5 Apr 2026: 4 Sat, 3 Good Friday, Thu 2 Apr (1)
    assert ENGLAND.subtract_working_days(date(2026, 4, 5), 1) == date(2026, 4, 2)


def test_negative_counts_go_the_other_way():
    assert ENGLAND.add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 2)
    assert ENGLAND.subtract_working_days(date(2026, 4, 2), -1) == date(2026, 4, 7)


def test_working_days_between():
    # (Wed 24 Dec 2025, Mon 5 Jan 2026]: 29, 30, 31, 2, 5 = 5
    assert ENGLAND.working_days_between(date(2025, 12, 24), date(2026, 1, 5)) == 5
    assert ENGLAND.working_days_between(date(2026, 1, 5), date(2025, 12, 24)) == -5
    assert ENGLAND.working_days_between(date(2026, 1, 5), date(2026, 1, 5)) == 0
    # (Good Friday, Easter Monday]: 4, 5 wknd, 6 hol = 0
    assert ENGLAND.working_days_between(date(2026, 4, 3), date(2026, 4, 6)) == 0


def test_is_working_day():
    assert ENGLAND.is_working_day(date(2026, 4, 2))  # Thursday before Easter
    assert not ENGLAND.is_working_day(date(2026, 4, 3))  # Good Friday
    assert not ENGLAND.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not ENGLAND.is_working_day(date(2026, 4, 4))  # Saturday
    assert not ENGLAND.is_working_day(date(2027, 12, 27))  # Christmas substitute
    assert not ENGLAND.is_working_day(date(2027, 12, 28))  # Boxing Day substitute


# -- nations ---------------------------------------------------------------------------------


def test_scotland_second_of_january():
    # Wed 31 Dec 2025. England: 1 Jan hol, Fri 2 Jan (1).
    assert ENGLAND.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    # Scotland: 1 Jan hol, 2 Jan hol, 3-4 wknd, Mon 5 Jan (1).
    assert SCOTLAND.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_scotland_second_of_january_substitute():
    # Thu 31 Dec 2026. 1 Jan 2027 is a Friday, 2 Jan a Saturday.
    # England: 1 hol, 2-3 wknd, Mon 4 Jan (1).
    assert ENGLAND.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # Scotland: 1 hol, 2-3 wknd, Mon 4 sub for 2 Jan, Tue 5 Jan (1).
    assert SCOTLAND.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)


def test_scotland_st_andrews_day_substitute():
    # 30 Nov 2025 is a Sunday; Scotland takes Mon 1 Dec 2025 instead.
    # Fri 28 Nov: England 29-30 wknd, Mon 1 Dec (1); Scotland 1 Dec sub, Tue 2 Dec (1).
    assert ENGLAND.add_working_days(date(2025, 11, 28), 1) == date(2025, 12, 1)
    assert SCOTLAND.add_working_days(date(2025, 11, 28), 1) == date(2025, 12, 2)
    # 30 Nov 2030 is a Saturday; Scotland takes Mon 2 Dec 2030.
    assert not SCOTLAND.is_working_day(date(2030, 12, 2))
    assert ENGLAND.is_working_day(date(2030, 12, 2))


def test_scotland_summer_bank_holiday_is_the_first_monday_of_august():
    # Fri 31 Jul 2026: England Mon 3 Aug (1); Scotland 3 Aug hol, Tue 4 Aug (1).
    assert ENGLAND.add_working_days(date(2026, 7, 31), 1) == date(2026, 8, 3)
    assert SCOTLAND.add_working_days(date(2026, 7, 31), 1) == date(2026, 8, 4)
    # Fri 28 Aug 2026: Scotland works on Mon 31 Aug (1); England does not.
    assert SCOTLAND.add_working_days(date(2026, 8, 28), 1) == date(2026, 8, 31)


def test_scotland_works_on_easter_monday():
    # Thu 2 Apr 2026: 3 Good Friday, 4-5 wknd, Mon 6 Apr (1)
    assert SCOTLAND.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 6)


def test_wales_and_england_alone():
    # Same Easter as England and Wales together: Thu 2 Apr 2026 + 1 = Tue 7 Apr.
    assert WorkingCalendar("wales").add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert WorkingCalendar("england").add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_northern_ireland_st_patricks_day():
    # Mon 16 Mar 2026: NI 17 Mar hol (Tue), Wed 18 Mar (1); England Tue 17 Mar (1)
    ni = WorkingCalendar("northern_ireland")
    assert ni.add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 18)
    assert ENGLAND.add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)


def test_unknown_nation_names_the_field():
    with pytest.raises(ScheduleInputError) as caught:
        WorkingCalendar("cornwall")
    assert caught.value.fields == ["nation"]
    assert isinstance(caught.value, DomainError) and caught.value.status == 422


# -- board closures --------------------------------------------------------------------------


def test_board_closure_days_are_not_working_days():
    closed = frozenset({date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)})
    board = WorkingCalendar(closures=closed)
    # Wed 24 Dec 2025: 25-26 hol, 27-28 wknd, 29-31 closed, 1 Jan hol, 2 (1), 5 (2),
    # 6 (3), 7 (4), Thu 8 Jan (5)
    assert board.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 8)
    assert not board.is_working_day(date(2025, 12, 30))
    assert ENGLAND.is_working_day(date(2025, 12, 30))  # other boards are not affected


def test_closures_must_be_dates():
    with pytest.raises(ScheduleInputError) as caught:
        WorkingCalendar(closures={datetime(2025, 12, 29, 9, 0)})
    assert caught.value.fields == ["closures"]


# -- calendar months and days ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February 2026 has 28 days
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # no 29 February in 2029
        (date(2028, 2, 29), 1, date(2028, 3, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 3, 15), 10, date(2027, 1, 15)),  # over the year end
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 4, 30), 1, date(2026, 5, 30)),  # a shorter start month is not stretched
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert ENGLAND.add_months(start, months) == expected
    assert add_months(start, months) == expected


def test_add_days_counts_every_day():
    # Wed 24 Dec 2025 + 14 calendar days = Wed 7 Jan 2026, holidays or not
    assert ENGLAND.add_days(date(2025, 12, 24), 14) == date(2026, 1, 7)
