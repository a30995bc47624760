"""Renderers: each turns the selected ScheduleItems into one output format, as a string."""
