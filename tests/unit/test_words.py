from datetime import UTC, date, datetime

from shared.words import long_date, plain, register


def test_dates_are_written_as_people_write_them():
    assert long_date(date(2026, 12, 8)) == "8 December 2026"
    assert long_date("2026-12-08") == "8 December 2026"
    # An instant is said in London's time: 13:30 UTC in July is 2:30pm in London.
    assert long_date(datetime(2026, 7, 1, 13, 30, tzinfo=UTC)) == "1 July 2026, 2:30pm"
    assert long_date("2026-01-05T09:00:00+00:00") == "5 January 2026, 9am"
    assert long_date(None) == "" and long_date(None, "Not yet") == "Not yet"
    assert long_date("next week") == "next week"  # not a date: kept as written, never lost


def test_codes_become_plain_english_and_none_is_never_shown():
    assert plain("scr_decision") == "Serious case review decision"
    assert plain("wt2015") == "Working Together 2015"
    assert plain("dfe_notice") == "DfE notice"
    assert plain("local_child_safeguarding_practice_review") == "Local child safeguarding practice review"
    assert plain(None) == "" and plain("", "—") == "—"
    register({"met_late": "Met late"})
    assert plain("met_late") == "Met late"
