"""The side panel's lists: weak clusters (named, with how much of each is known) and
bridges (the cards that tie domains together, with their recall)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.bridges import Bridge
from flashcards.core.clusters import Cluster
from flashcards.core.math_tex import plain_math
from flashcards.core.model import NoteId
from flashcards.gui.concept_map import colours as c

SHARES = Qt.ItemDataRole.UserRole + 1  # (known, forgotten, new) shares of a cluster


def recall_text(recall: float | None) -> str:
    return "new" if recall is None else f"{recall:.0%}"


class ShareBar(QStyledItemDelegate):
    """A cluster's known share as a bar: green recalled now, red reviewed but
    forgotten, grey new (unknown); the known percentage beside it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        shares = index.data(SHARES)
        if not shares:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            option.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        known, forgotten, new = shares
        rect = QRectF(option.rect).adjusted(4, 5, -4, -5)
        bar = QRectF(rect.left(), rect.top(), 36.0, rect.height())
        painter.save()
        x = bar.left()
        for share, colour in ((known, "#2e9d5b"), (forgotten, "#d64541"), (new, c.NEW_RING)):
            width = bar.width() * share
            painter.fillRect(QRectF(x, bar.top(), width, bar.height()), QColor(colour))
            x += width
        painter.setPen(option.palette.text().color())
        text = rect.adjusted(bar.width() + 5, -5, 0, 5)
        painter.drawText(text, int(Qt.AlignmentFlag.AlignVCenter), f"{known:.0%}")
        painter.restore()


class ClusterTab(QWidget):
    """Weak clusters, least known first: click a row to show it, its button to study it."""

    cluster_shown = Signal(int)
    cluster_studied = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        hint = QLabel(
            "Groups of linked cards, the least known first: the bar shows what you would "
            "recall now (green), have forgotten (red) and never studied (grey). Click a "
            "group to show it; Study reviews it (due cards normally, the rest as practice).",
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Known", "Cluster", ""])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemDelegateForColumn(0, ShareBar(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in (
            (0, QHeaderView.ResizeMode.Fixed),
            (1, QHeaderView.ResizeMode.Stretch),
            (2, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(0, 84)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemClicked.connect(lambda item, _col: self._shown(item))
        layout.addWidget(self.tree, 1)
        self.clusters: list[Cluster[NoteId]] = []

    def set_busy(self) -> None:
        self.clusters = []
        self.tree.clear()
        self.tree.addTopLevelItem(QTreeWidgetItem(["", "Finding clusters…"]))

    def set_clusters(self, clusters: list[Cluster[NoteId]]) -> None:
        self.clusters = clusters
        self.tree.clear()
        if not clusters:
            self.tree.addTopLevelItem(
                QTreeWidgetItem(["", "None yet: study some linked cards first"])
            )
        for i, cluster in enumerate(clusters):
            item = QTreeWidgetItem(["", f"{cluster.name or '(untitled)'} ({cluster.size})"])
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            new_share = cluster.new / cluster.size
            item.setData(0, SHARES, (cluster.known, cluster.forgotten, new_share))
            item.setToolTip(0, cluster_summary(cluster))
            item.setToolTip(
                1,
                f"{cluster.name}\n{cluster.size} cards · "
                f"{', '.join(cluster.domains) or 'no domain'}",
            )
            self.tree.addTopLevelItem(item)
            button = QToolButton(self.tree)
            button.setText("Study")
            button.setToolTip(f"Study these {cluster.size} cards")
            button.clicked.connect(lambda _=False, index=i: self.cluster_studied.emit(index))
            self.tree.setItemWidget(item, 2, button)

    def _shown(self, item: QTreeWidgetItem) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole)
        if index is not None:
            self.cluster_shown.emit(int(index))


def cluster_summary(cluster: Cluster[NoteId]) -> str:
    """'38 % known: recall now 76 % of the 10 reviewed cards; 10 of 20 new.'"""
    recall = recall_text(cluster.mean_recall)
    return (
        f"{cluster.known:.0%} known: recall now {recall} of the {cluster.reviewed} reviewed "
        f"cards; {cluster.new} of {cluster.size} new (unknown)"
    )


class BridgeTab(QWidget):
    """The cards that tie domains together: click one to show it on the map."""

    bridge_shown = Signal(str)  # NoteId
    study_requested = Signal(list)  # NoteIds: the weak and new bridges

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("muted")
        layout.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Card", "Ties to", "Recall"])
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in (
            (0, QHeaderView.ResizeMode.Stretch),
            (1, QHeaderView.ResizeMode.Interactive),
            (2, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(1, 110)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemClicked.connect(self._shown)
        self.tree.itemActivated.connect(self._shown)
        layout.addWidget(self.tree, 1)
        self.study = QPushButton("Study the weak and new bridges", self)
        self.study.clicked.connect(lambda _=False: self.study_requested.emit(list(self.to_study())))
        layout.addWidget(self.study)
        self.bridges: list[Bridge[NoteId]] = []

    def set_bridges(self, bridges: list[Bridge[NoteId]], titles: dict[NoteId, str]) -> None:
        self.bridges = bridges
        self.tree.clear()
        weak = sum(1 for b in bridges if b.recall is not None and b.recall < 0.8)
        new = sum(1 for b in bridges if b.recall is None)
        self.summary.setText(
            f"{len(bridges)} cards link across domains (most domains reached first): "
            f"{weak} weak, {new} new. Click one to show it and its links."
            if bridges
            else "No card links to a card of another domain yet."
        )
        for bridge in bridges:
            title = plain_math(titles.get(bridge.node, bridge.node))
            item = QTreeWidgetItem([title, ", ".join(bridge.reaches), recall_text(bridge.recall)])
            item.setData(0, Qt.ItemDataRole.UserRole, bridge.node)
            item.setToolTip(
                0,
                f"{title}\n{bridge.domain} → {', '.join(bridge.reaches)}\n"
                f"{bridge.links} links across domains",
            )
            item.setToolTip(1, ", ".join(bridge.reaches))
            step = c.recall_step(bridge.recall)
            item.setForeground(2, QColor(c.recall_colour(step)))
            self.tree.addTopLevelItem(item)
        self.study.setEnabled(bool(self.to_study()))

    def to_study(self) -> list[NoteId]:
        """The bridges worth studying now: weak (recall < 80 %) or new."""
        return [b.node for b in self.bridges if b.recall is None or b.recall < 0.8]

    def _shown(self, item: QTreeWidgetItem) -> None:
        node = item.data(0, Qt.ItemDataRole.UserRole)
        if node is not None:
            self.bridge_shown.emit(str(node))
