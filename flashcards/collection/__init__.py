"""flashcards.collection"""
