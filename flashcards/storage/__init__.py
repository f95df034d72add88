"""flashcards.storage"""
