"""`python3 -m flashcards`: the same as the `flashcards` command."""

from __future__ import annotations

import sys

from flashcards.cli import main

sys.exit(main())
