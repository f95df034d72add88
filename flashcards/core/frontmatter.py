"""YAML front matter: the `---` block at the top of a deck file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import yaml

from flashcards.core.errors import DeckFormatError

_HUMANISE = re.compile(r"[-_\s]+")
# libyaml's loader is ~10x faster; it accepts the same documents as the pure one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FrontMatter:
    """The deck-level fields read from front matter; `end` is the first body line index."""

    title: str | None = None
    domain: str | None = None
    tags: tuple[str, ...] = ()
    meta: Mapping[str, object] = field(default_factory=dict)
    end: int = 0


def humanise_stem(stem: str) -> str:
    """`modeling-basics` → `Modeling basics`: the default deck title."""
    text = _HUMANISE.sub(" ", stem).strip()
    return text[:1].upper() + text[1:] if text else stem


def split_tags(value: object) -> tuple[str, ...]:
    """Tags from a YAML list or a comma/space separated string, order kept, no repeats."""
    items: list[str] = []
    if isinstance(value, str):
        items = re.split(r"[,\s]+", value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if item is not None:
                items.extend(re.split(r"[,\s]+", str(item)))
    elif value is not None:
        items = [str(value)]
    return tuple(dict.fromkeys(t for t in items if t))


def _yaml_error_line(exc: yaml.YAMLError, first: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = getattr(mark, "line", None)
    # The YAML text starts on the line after the opening `---` (index `first`).
    return first + 2 + line if isinstance(line, int) else first + 1


def refuse_aliases(source: str, *, path: str, first: int = 2) -> None:
    """Raise DeckFormatError at the first YAML alias (`*name`) in `source`, whose first
    line is line `first` of the file. Front matter has no need of aliases, and expanding
    nested ones ("billion laughs") takes time and memory without bound."""
    if "*" not in source:  # an alias needs a `*`; most front matter has none
        return
    for event in yaml.parse(source, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            line = first + (mark.line if mark is not None else 0)
            raise DeckFormatError(
                path, line, "front matter may not use YAML aliases (*name); write the value out"
            )


def load_yaml(source: str, *, path: str, first: int = 2) -> object:
    """`source` loaded by a safe loader that refuses aliases (see `refuse_aliases`).
    YAML syntax errors propagate as yaml.YAMLError."""
    refuse_aliases(source, path=path, first=first)
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader


def read_front_matter(lines: Sequence[str], *, path: str) -> FrontMatter:
    """Parse front matter if the first line is `---`; `end` is 0 without front matter."""
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter()
    close = None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            close = index
            break
    if close is None:
        raise DeckFormatError(path, 1, "front matter (---) is never closed")
    source = "\n".join(lines[1:close])
    try:
        data = load_yaml(source, path=path)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise DeckFormatError(
            path, _yaml_error_line(exc, 0), f"front matter is not valid YAML: {problem}"
        ) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as impossible dates.
        raise DeckFormatError(path, 2, f"front matter is not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DeckFormatError(
            path, 2, f"front matter must be a mapping of keys to values, not {type(data).__name__}"
        )
    meta = {str(k): v for k, v in data.items() if str(k) not in ("title", "domain", "tags")}
    title = data.get("title")
    domain = data.get("domain")
    return FrontMatter(
        title=None if title is None else str(title),
        domain=None if domain is None else str(domain),
        tags=split_tags(data.get("tags")),
        meta=meta,
        end=close + 1,
    )
