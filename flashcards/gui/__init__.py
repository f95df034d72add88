"""flashcards.gui"""
