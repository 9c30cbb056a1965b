"""Workforce scheduling and coverage planner for a 24/7 Trust & Safety line."""

__version__ = "0.1.0"
