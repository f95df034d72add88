"""A hook for crash-safety tests: the process kills itself at a named point.

Code that must survive a crash anywhere calls `crash_point("name")` between its steps.
Normally that is one dictionary lookup. A test sets `FLASHCARDS_TEST_CRASH_AT` to a
point's name in a subprocess, and the process dies there with SIGKILL (no cleanup, no
`finally`), as if the power had gone or the user had killed it.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "FLASHCARDS_TEST_CRASH_AT"


def crash_point(name: str) -> None:
    """Die at once when the crash test asks for this point (see module docstring)."""
    if os.environ.get(CRASH_ENV) == name:
        kill = getattr(signal, "SIGKILL", None)
        if kill is not None:
            os.kill(os.getpid(), kill)
        os._exit(137)  # pragma: no cover - Windows has no SIGKILL
