"""Reviewing a finished practice exam: every question with the picked and the right
options marked and the card's explanation under them, its domain, whether it was
right, and links to the card (card info, the browser, the deck editor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel

from flashcards.collection.views import CardView
from flashcards.core.math_tex import plain_math
from flashcards.core.practice_exam import format_used
from flashcards.gui.exam.navigator import Cell
from flashcards.gui.exam.question_page import QuestionPage, button

if TYPE_CHECKING:
    from flashcards.gui.exam.practice_window import PracticeExamWindow

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def quoted(text: str) -> str:
    """`text` as a phrase of the browser's search language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def card_query(deck: str, title: str) -> str:
    """A browser search that finds a card: its deck and its title as a phrase."""
    return f"deck:{quoted(deck)} {quoted(title)}"


class ReviewPane:
    """Fills the review page from the window's finished sitting (`window.result`)."""

    def __init__(self, window: PracticeExamWindow, page: QuestionPage) -> None:
        self.window = window
        self.page = page
        self.position = 0
        page.key_handler = self._key
        page.navigator.picked.connect(self.show)
        page.link_clicked.connect(self._link)
        self.deck = QLabel("", page)
        self.deck.setObjectName("muted")
        self.browse_button = button("Open in browser", page, name="quiet", tip="B")
        self.browse_button.clicked.connect(self.browse)
        self.edit_button = button("Edit card", page, name="quiet", tip="E")
        self.edit_button.clicked.connect(self.edit)
        self.info_button = button("Card info", page, name="quiet", tip="I")
        self.info_button.clicked.connect(self.card_info)
        page.extra.addWidget(self.deck, 1)
        page.extra.addWidget(self.info_button)
        page.extra.addWidget(self.browse_button)
        page.extra.addWidget(self.edit_button)
        self.prev_button = button("◀ Previous", page, tip="← or P")
        self.prev_button.clicked.connect(lambda: self.show(self.position - 1))
        self.next_button = button("Next ▶", page, tip="→ or N")
        self.next_button.clicked.connect(lambda: self.show(self.position + 1))
        self.wrong_button = button("Next wrong", page, tip="W")
        self.wrong_button.clicked.connect(self.next_wrong)
        back = button("Back to result", page, tip="Esc")
        back.clicked.connect(window._step_back)
        for widget in (self.prev_button, self.next_button, self.wrong_button):
            page.buttons.addWidget(widget)
        page.buttons.addStretch(1)
        page.buttons.addWidget(back)
        page.hint.setText(
            "← → or P N move · W next wrong answer · I card info · B the card in the browser · "
            "E edit it · Esc back to the result"
        )
        page.clock.setText("")
        page.side_heading.setText("Questions")
        self._count = -1

    def show(self, position: int) -> None:
        """Show question `position` (clamped) of the finished sitting."""
        load = self.window.result
        if load is None:
            return
        questions = load.sitting.questions
        self.position = position = min(max(position, 0), len(questions) - 1)
        if self._count != len(questions) or self.page.navigator.cells == []:
            self._fill_navigator()
        question = questions[position]
        view = load.views[question.card_id]
        from flashcards.core import render

        order = load.order(position)
        html = render.render_card(
            view.card,
            side=render.Side.BACK,
            base_dir=load.base_dirs.get(question.card_id),
            selected=question.picked or frozenset(),
            reveal_choices=True,
            order=order,
            media_root=load.media_roots.get(question.card_id),
        )
        page = self.page
        page.options = 0  # nothing to pick in the review
        page.show_html(html)
        page.title.setText(f"Question {position + 1} of {len(questions)}")
        if question.picked is None:
            verdict = "Not answered"
        elif question.right:
            verdict = "✓ Right"
        else:
            shown = sorted(order.index(i) for i in question.picked if i in order)
            letters = ", ".join(_LETTERS[i] for i in shown)
            verdict = f"✗ Wrong (you picked {letters})"
        flag = " · ⚑ you flagged it" if question.flagged else ""
        spent = f" · {format_used(question.seconds)} on it" if question.seconds else ""
        page.detail.setText(f"{question.domain} · {verdict}{flag}{spent}")
        self.deck.setText(f"{view.deck.replace('::', ' › ')} · {plain_math(view.card.title)}")
        page.navigator.set_current(position)
        self.prev_button.setEnabled(position > 0)
        self.next_button.setEnabled(position < len(questions) - 1)
        score = load.sitting.score
        if score is not None:
            page.side_note.setText(
                f"{score.right} right · {score.questions - score.right} wrong or unanswered\n\n"
                "Green: right · red: wrong · dashed: not answered · orange edge: flagged"
            )
        window = self.window
        window.stack.setCurrentWidget(page)
        page.setFocus()

    def _fill_navigator(self) -> None:
        load = self.window.result
        assert load is not None
        questions = load.sitting.questions
        navigator = self.page.navigator
        navigator.set_count(len(questions))
        for q in questions:
            state = Cell.SKIPPED if q.picked is None else Cell.RIGHT if q.right else Cell.WRONG
            navigator.set_cell(q.position, state, flagged=q.flagged, tip=q.domain)
        self._count = len(questions)
        self.page.side_heading.setText(f"{load.sitting.exam} · {len(questions)} questions")

    def reset(self) -> None:
        """Another sitting will be shown: the navigator is rebuilt."""
        self._count = -1

    def next_wrong(self) -> None:
        """The next question answered wrong or not at all (wrapping around)."""
        load = self.window.result
        if load is None:
            return
        questions = load.sitting.questions
        for step in range(1, len(questions) + 1):
            position = (self.position + step) % len(questions)
            if not questions[position].right:
                self.show(position)
                return
        self.window.statusBar().showMessage("Every answer was right", 4000)

    def _current_view(self) -> CardView | None:
        load = self.window.result
        if load is None:
            return None
        return load.views[load.sitting.questions[self.position].card_id]

    def browse(self) -> None:
        view = self._current_view()
        if view is not None:
            self.window.browse_requested.emit(card_query(view.deck, view.card.title))

    def edit(self) -> None:
        view = self._current_view()
        if view is not None:
            self.window.edit_requested.emit(view.card.file, view.card.line_start)

    def card_info(self) -> None:
        """The card's review history, memory and links, in the card-info window."""
        view = self._current_view()
        if view is not None:
            from flashcards.gui.card_info import open_card_info

            window = self.window
            open_card_info(window, window.runner, str(view.id), now=window.now)

    def _link(self, href: str) -> None:
        """A [[link]] in the explanation: find its card in the browser."""
        from flashcards.core.render import link_from_href

        link = link_from_href(href)
        if link is not None:
            self.window.browse_requested.emit(quoted(link.target))

    def _key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False
        if key in (Qt.Key.Key_Left, Qt.Key.Key_P):
            self.show(self.position - 1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_N):
            self.show(self.position + 1)
        elif key == Qt.Key.Key_Home:
            self.show(0)
        elif key == Qt.Key.Key_End:
            self.show(10**9)
        elif key == Qt.Key.Key_W:
            self.next_wrong()
        elif key == Qt.Key.Key_B:
            self.browse()
        elif key == Qt.Key.Key_E:
            self.edit()
        elif key == Qt.Key.Key_I:
            self.card_info()
        else:
            return self.page.scroll_card(key)
        return True
