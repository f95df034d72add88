"""flashcards.gui: the PySide6 app."""
