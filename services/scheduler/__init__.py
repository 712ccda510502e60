"""Scheduler service: statutory deadlines on a working-day calendar, review timetables and reminders."""
