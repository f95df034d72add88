"""The statistics window (Go ▸ Statistics): charts of the review history and the cards."""

from __future__ import annotations

from flashcards.gui.stats.launcher import install_statistics, open_statistics
from flashcards.gui.stats.stats_window import StatsWindow

__all__ = ["StatsWindow", "install_statistics", "open_statistics"]
