"""The review screen's keys: which a review claims before the window's shortcuts, and
what each does (rate, reveal, flag, pick an option, scroll the card …). The listing users
see is `shortcut_list.py`; the page's More menu shows the same keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSlider

from flashcards.core.model import Flag, Rating
from flashcards.gui.review_models import ReviewState

if TYPE_CHECKING:
    from flashcards.gui.review_view import ReviewPage

_RATING_KEYS = {
    Qt.Key.Key_1: Rating.AGAIN,
    Qt.Key.Key_2: Rating.HARD,
    Qt.Key.Key_3: Rating.GOOD,
    Qt.Key.Key_4: Rating.EASY,
}
_FLAG_KEYS = {
    Qt.Key.Key_0: Flag.NONE,
    Qt.Key.Key_1: Flag.RED,
    Qt.Key.Key_2: Flag.ORANGE,
    Qt.Key.Key_3: Flag.GREEN,
    Qt.Key.Key_4: Flag.BLUE,
}
_CONFIRM_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_OPTION_I = 8  # I is card info, unless a question has a ninth option for it to pick
_OPTION_R = 17  # R plays the sounds again, unless a question has an 18th option
_OPTION_H = 7  # H opens a hint, unless a question has an eighth option
_Scroll = QAbstractSlider.SliderAction
_SCROLL_KEYS = {
    Qt.Key.Key_Up: _Scroll.SliderSingleStepSub,
    Qt.Key.Key_Down: _Scroll.SliderSingleStepAdd,
    Qt.Key.Key_PageUp: _Scroll.SliderPageStepSub,
    Qt.Key.Key_PageDown: _Scroll.SliderPageStepAdd,
    Qt.Key.Key_Home: _Scroll.SliderToMinimum,
    Qt.Key.Key_End: _Scroll.SliderToMaximum,
}
_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_IGNORED_MODS = Qt.KeyboardModifier.KeypadModifier


class ReviewKeys:
    """The keys of one review page: `is_review_key` routes, `handle` acts."""

    def __init__(self, page: ReviewPage) -> None:
        self.page = page

    def is_review_key(self, event: QKeyEvent) -> bool:
        """Is this key the review screen's (claimed before window-wide shortcuts)?"""
        key, mods = Qt.Key(event.key()), event.modifiers() & ~_IGNORED_MODS
        if self.page.controller is None or self.page.controller.state is ReviewState.IDLE:
            return False
        if mods == _CTRL:
            return key in _FLAG_KEYS or key in (Qt.Key.Key_Z, Qt.Key.Key_E)
        if mods == _SHIFT:
            return key in (Qt.Key.Key_S, Qt.Key.Key_B)
        if mods == _CTRL | _SHIFT:
            return key == Qt.Key.Key_Z
        if mods != Qt.KeyboardModifier.NoModifier:
            return False  # window shortcuts (Ctrl+Q, Ctrl+Shift+I…) stay theirs
        return (
            key in _CONFIRM_KEYS
            or key in _RATING_KEYS
            or key == Qt.Key.Key_Escape
            or Qt.Key.Key_A <= key <= Qt.Key.Key_Z
        )

    def handle(self, event: QKeyEvent) -> bool:
        """Act on a review key; False if the key is not ours."""
        controller = self.page.controller
        if controller is None:
            return False
        key, mods = Qt.Key(event.key()), event.modifiers() & ~_IGNORED_MODS
        state = controller.state
        no_mods = mods == Qt.KeyboardModifier.NoModifier
        if key == Qt.Key.Key_Escape:
            self.page.home_requested.emit()
        elif mods == _CTRL and key == Qt.Key.Key_Z:
            controller.undo()
        elif mods == _CTRL | _SHIFT and key == Qt.Key.Key_Z:
            controller.redo()
        elif mods == _CTRL and key == Qt.Key.Key_E:
            controller.edit()
        elif mods == _CTRL and key in _FLAG_KEYS:
            controller.set_flag(_FLAG_KEYS[key])
        elif mods == _SHIFT and key == Qt.Key.Key_S:
            controller.suspend()
        elif mods == _SHIFT and key == Qt.Key.Key_B:
            controller.bury()
        elif state is ReviewState.SUMMARY and no_mods and key in _CONFIRM_KEYS:
            self.page.home_requested.emit()
        elif not no_mods:
            return False
        elif key in _CONFIRM_KEYS:
            if state is ReviewState.QUESTION:
                self.page.reveal()
            elif state is ReviewState.ANSWER:
                controller.confirm()
        elif key in _RATING_KEYS and state is ReviewState.ANSWER:
            controller.answer(_RATING_KEYS[key])
        elif key in _SCROLL_KEYS and state in (ReviewState.QUESTION, ReviewState.ANSWER):
            self.page.browser.verticalScrollBar().triggerAction(_SCROLL_KEYS[key])
        elif key == Qt.Key.Key_I and not self.has_option(_OPTION_I):
            controller.card_info()
        elif key == Qt.Key.Key_R and not self.has_option(_OPTION_R):
            self.page.replay_sounds()
        elif key == Qt.Key.Key_H and not self.has_option(_OPTION_H):
            controller.show_hint()
        elif self.is_choice_question() and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            controller.toggle_choice(int(key) - int(Qt.Key.Key_A))
        elif key == Qt.Key.Key_E:
            controller.edit()
        else:
            return False
        return True

    def is_choice_question(self) -> bool:
        """Is a multiple-choice question on screen (its options take the letter keys)?"""
        controller = self.page.controller
        return (
            controller is not None
            and controller.state is ReviewState.QUESTION
            and controller.screen is not None
            and controller.screen.is_choice
        )

    def has_option(self, index: int) -> bool:
        """Is this a multiple-choice question with an option `index` (0-based)?"""
        controller = self.page.controller
        return (
            self.is_choice_question()
            and controller is not None
            and controller.screen is not None
            and index < len(controller.screen.loaded.view.card.choices)
        )
