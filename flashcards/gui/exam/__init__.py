"""Exam windows: practice exams (practice_window.py) and the readiness page."""
