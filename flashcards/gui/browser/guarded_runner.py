"""A runner whose callbacks are dropped once their window is gone.

A window closed (and deleted) while its search or save is still on the worker would
otherwise get the answer on a deleted C++ object: an error dialog for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


class GuardedRunner:
    """Wraps the app's worker (or any object with `run`) for one owner widget."""

    inner: Any

    def __init__(self, runner: Any, owner: QObject) -> None:
        inner: Any = runner.inner if isinstance(runner, GuardedRunner) else runner
        self.inner = inner
        self.owner = owner

    def _guard(self, fn: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        if fn is None:
            return None
        owner = self.owner

        def call(value: Any) -> None:
            if shiboken6.isValid(owner):
                fn(value)

        return call

    def run(
        self,
        fn: Callable[[Any], Any],
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Any], None] | None = None,
        label: str = "",
        priority: int | None = None,
    ) -> Any:
        # No failure handler: the worker's default reporter, if the owner still exists.
        guarded_failure = (
            self._guard(failure) if failure is not None else self._guard(self._default_failure)
        )
        extra = {} if priority is None else {"priority": priority}  # the worker's default
        return self.inner.run(
            fn, success=self._guard(success), failure=guarded_failure, label=label, **extra
        )

    def _default_failure(self, failure: Any) -> None:
        handler = getattr(self.inner, "default_failure", None)
        if handler is not None:
            handler(failure)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # col (tests), default_failure, pending, …
