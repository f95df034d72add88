"""Plain-Python core: deck format, card model, rendering, scheduling. No Qt, no SQLAlchemy."""
