"""flashcards.interop"""
