"""The frozen app's entry point: the same as the `flashcards` command."""

from __future__ import annotations

import sys

from flashcards.cli import main

if __name__ == "__main__":
    sys.exit(main())
