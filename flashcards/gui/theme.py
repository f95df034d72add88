"""Looks: the palette (system light or dark), rating colours and the app's style sheet.

Backgrounds and text come from the system palette (`palette(...)` in the style sheet);
only the four rating colours and the accent tints are ours, in a light and a dark variant.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from flashcards.core.model import Flag, Rating

_RATING_LIGHT = {
    Rating.AGAIN: "#c93c3c",
    Rating.HARD: "#b7791f",
    Rating.GOOD: "#2f8f57",
    Rating.EASY: "#2f72c4",
}
_RATING_DARK = {
    Rating.AGAIN: "#f07a7a",
    Rating.HARD: "#e8b45a",
    Rating.GOOD: "#63c98f",
    Rating.EASY: "#72aaf0",
}
FLAG_COLOURS = {
    Flag.RED: "#d9534f",
    Flag.ORANGE: "#e69b2e",
    Flag.GREEN: "#3aa565",
    Flag.BLUE: "#3b82d6",
}
RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def rating_colour(rating: Rating, *, dark: bool | None = None) -> str:
    dark = is_dark() if dark is None else dark
    return (_RATING_DARK if dark else _RATING_LIGHT)[rating]


_DARK_TOGGLE_FILL = "#42454d"


def dark_palette() -> QPalette:
    """A calm dark palette for Fusion, used when the system asks for dark."""
    p = QPalette()
    window, base, text = QColor("#1f2125"), QColor("#17181b"), QColor("#e6e6e6")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#24262b"),
        QPalette.ColorRole.ToolTipBase: QColor("#2b2d33"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2a2c31"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ffffff"),
        QPalette.ColorRole.Highlight: QColor("#3d7bd9"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb0f5"),
        QPalette.ColorRole.LinkVisited: QColor("#b39ddb"),
        QPalette.ColorRole.PlaceholderText: QColor("#8b8e96"),
        QPalette.ColorRole.Mid: QColor("#3a3d44"),
        QPalette.ColorRole.Midlight: QColor("#33363c"),
        QPalette.ColorRole.Dark: QColor("#121316"),
        QPalette.ColorRole.Light: QColor("#3f424a"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    disabled = QColor("#6b6e76")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    """A soft light palette (used for screenshots, and where the style's is harsh)."""
    p = QPalette()
    text = QColor("#1d1f23")
    roles = {
        QPalette.ColorRole.Window: QColor("#f4f5f7"),
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: QColor("#ffffff"),
        QPalette.ColorRole.AlternateBase: QColor("#f0f1f4"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#fbfbfc"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.Highlight: QColor("#2f6fd0"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#2459b3"),
        QPalette.ColorRole.PlaceholderText: QColor("#80848c"),
        QPalette.ColorRole.Mid: QColor("#d5d8de"),
        QPalette.ColorRole.Midlight: QColor("#e4e6ea"),
        QPalette.ColorRole.Dark: QColor("#a9adb5"),
        QPalette.ColorRole.Light: QColor("#ffffff"),
        QPalette.ColorRole.ToolTipBase: QColor("#ffffff"),
        QPalette.ColorRole.ToolTipText: text,
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    return p


_THEME_PROPERTY = "flashcardsTheme"  # on the QApplication: the theme last applied
THEMES = ("system", "light", "dark")
"""The theme choices: follow the system's light or dark scheme, or force one."""


def applied_theme(app: QApplication) -> str:
    """The theme last applied by `apply_theme` ('system', 'light' or 'dark')."""
    value = app.property(_THEME_PROPERTY)
    return value if value in THEMES else "system"


def apply_theme(app: QApplication, *, scheme: str = "system") -> None:
    """Fusion with the system's light or dark scheme ('light'/'dark' force one).

    Safe to call again while the app runs: every widget gets the new palette and style
    sheet, and widgets that draw their own colours listen for the palette change."""
    if scheme not in THEMES:
        raise ValueError(f"unknown theme {scheme!r}: one of {', '.join(THEMES)}")
    if app.property(_THEME_PROPERTY) is None:  # the first call (setting a style re-polishes all)
        app.setStyle(QStyleFactory.create("Fusion"))
    app.setProperty(_THEME_PROPERTY, scheme)
    if scheme == "system":
        hints = QGuiApplication.styleHints()
        scheme = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
        if scheme == "light":
            # Our own palette may be in place from an earlier call: ask the platform's.
            app.setPalette(QPalette())
            if is_dark(app.palette()):
                scheme = "dark"
    palette = dark_palette() if scheme == "dark" else light_palette()
    app.setPalette(palette)
    # Fusion fills an unticked box with Base and rims it darker than Window: on the dark
    # palette that is a dark square on a dark page, nearly invisible. A lighter fill there.
    toggles = QPalette(palette)
    if scheme == "dark":
        toggles.setColor(QPalette.ColorRole.Base, QColor(_DARK_TOGGLE_FILL))
    for widget_class in ("QCheckBox", "QRadioButton"):
        app.setPalette(toggles, widget_class)  # type: ignore[arg-type]  # stubs: bytes; Qt takes str
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(style_sheet(dark=scheme == "dark"))


def soften_rules(widget: QWidget) -> None:
    """Make `<hr>` rules in a text browser quiet separators rather than black lines."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    mixed = QColor(
        (text.red() + 4 * base.red()) // 5,
        (text.green() + 4 * base.green()) // 5,
        (text.blue() + 4 * base.blue()) // 5,
    )
    groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    if all(palette.color(g, QPalette.ColorRole.WindowText) == mixed for g in groups):
        return  # already soft: setting it again would only send another palette change
    for group in groups:
        # Qt paints a rule in the (inactive) WindowText colour; card text uses Text.
        palette.setColor(group, QPalette.ColorRole.WindowText, mixed)
        palette.setColor(group, QPalette.ColorRole.Dark, mixed)
    widget.setPalette(palette)


def scaled_font(base: QFont, factor: float, *, weight: QFont.Weight | None = None) -> QFont:
    """`base` scaled by `factor` (the type scale: 1.0 body, 1.25, 1.6, 2.2 titles)."""
    font = QFont(base)
    font.setPointSizeF(max(base.pointSizeF(), 9.0) * factor)
    if weight is not None:
        font.setWeight(weight)
    return font


def style_sheet(*, dark: bool) -> str:
    """The app's QSS: shapes and spacing; colours from the palette plus rating tints."""
    sep = "rgba(255,255,255,0.08)" if dark else "rgba(0,0,0,0.08)"
    hover = "rgba(255,255,255,0.06)" if dark else "rgba(0,0,0,0.04)"
    tint = "rgba(255,255,255,0.035)" if dark else "rgba(0,0,0,0.025)"
    rules = [
        f"QSplitter::handle {{ background: {sep}; }}",
        "QSplitter::handle:horizontal { width: 1px; }",
        "QTreeView#deckTree { border: none; background: palette(window); padding: 6px 0; }",
        "QTreeView#deckTree::item { padding: 5px 2px; }",
        f"QTreeView#deckTree::item:hover {{ background: {hover}; }}",
        "QTreeView#deckTree::item:selected { background: palette(highlight);"
        " color: palette(highlighted-text); border-radius: 4px; }",
        "QHeaderView::section { background: palette(window); border: none;"
        f" border-bottom: 1px solid {sep}; padding: 4px 6px; color: palette(placeholder-text); }}",
        "QTextBrowser#card { border: none; background: palette(base); }",
        "QFrame#cardFrame { background: palette(base); border-radius: 12px;"
        f" border: 1px solid {sep}; }}",
        f"QFrame#tile {{ background: {tint}; border: 1px solid {sep}; border-radius: 10px; }}",
        f"QFrame#separator {{ background: {sep}; max-height: 1px; min-height: 1px; }}",
        "QPushButton { padding: 6px 14px; border-radius: 6px;"
        f" border: 1px solid {sep}; background: palette(button); }}",
        f"QPushButton:hover {{ background: {hover}; }}",
        "QPushButton#primary { background: palette(highlight); color: palette(highlighted-text);"
        " border: none; padding: 10px 28px; border-radius: 8px; font-weight: 600; }",
        "QPushButton#primary:hover { background: palette(link); }",
        "QPushButton#primary:disabled { background: palette(mid); color: palette(window); }",
        "QPushButton#quiet { border: none; background: transparent;"
        " color: palette(placeholder-text); padding: 4px 10px; }",
        f"QPushButton#quiet:hover {{ background: {hover}; color: palette(window-text); }}",
        "QProgressBar#sessionProgress { border: none; background: transparent;"
        " max-height: 3px; min-height: 3px; }",
        "QProgressBar#sessionProgress::chunk { background: palette(highlight); }",
        "QLabel#muted { color: palette(placeholder-text); }",
        "QLabel#keyHint { color: palette(placeholder-text); }",
        "QStatusBar { color: palette(placeholder-text); }",
        "QStatusBar::item { border: none; }",
        "QListWidget#backlinks, QListWidget#cardLinks { border: none; background: transparent; }",
        # Thin, quiet scroll bars (Fusion's defaults look heavy next to flat pages).
        "QScrollBar:vertical { background: transparent; width: 10px; margin: 2px; }",
        "QScrollBar:horizontal { background: transparent; height: 10px; margin: 2px; }",
        "QScrollBar::handle { background: palette(mid); border-radius: 3px; }",
        "QScrollBar::handle:vertical { min-height: 32px; }",
        "QScrollBar::handle:horizontal { min-width: 32px; }",
        "QScrollBar::handle:hover { background: palette(dark); }",
        "QScrollBar::add-line, QScrollBar::sub-line { width: 0; height: 0; }",
        "QScrollBar::add-page, QScrollBar::sub-page { background: transparent; }",
        "QPushButton#quiet::menu-indicator { image: none; width: 0; }",
        "QTreeWidget#homeDecks { background: transparent; border: none; }",
        f"QTreeWidget#homeDecks::item {{ padding: 7px 4px; border-bottom: 1px solid {sep}; }}",
        "QListWidget#backlinks::item, QListWidget#cardLinks::item"
        " { padding: 6px 4px; border-radius: 4px; }",
        f"QListWidget#backlinks::item:hover, QListWidget#cardLinks::item:hover"
        f" {{ background: {hover}; }}",
    ]
    for rating in Rating:
        colour = rating_colour(rating, dark=dark)
        name = RATING_NAMES[rating].lower()
        rules += [
            f"QPushButton#rating_{name} {{ border: 1px solid {sep}; border-bottom: 3px solid"
            f" {colour}; border-radius: 8px; padding: 6px 8px; background: palette(button); }}",
            f"QPushButton#rating_{name}:hover {{ background: {hover}; }}",
            f'QPushButton#rating_{name}[suggested="true"] {{ border: 2px solid {colour};'
            f" border-bottom: 4px solid {colour}; }}",
            f"QPushButton#rating_{name} QLabel#ratingName {{ color: {colour}; font-weight: 600; }}",
        ]
    return "\n".join(rules)
