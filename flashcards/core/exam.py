"""Exam profiles: an `exam.toml` beside a folder of decks."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flashcards.core.errors import ExamProfileError

WEIGHT_TOLERANCE = 0.01
DOMAIN_PREFIX = "domain:"


def domain_selection(domain: str) -> str:
    """The deck selection that names every deck of an exam domain: a session, the
    queue and the day's counts take the domain as one selection, capped as a whole."""
    return DOMAIN_PREFIX + domain


_AT_LINE = re.compile(r"\s*\(at line (\d+)(?:, column \d+)?\)")


@dataclass(frozen=True)
class ExamDomain:
    """An exam domain; deck files join it through front matter `domain:`."""

    name: str
    weight: float


@dataclass(frozen=True)
class ExamProfile:
    name: str
    questions: int
    minutes: int
    score_min: int
    score_max: int
    score_pass: int
    domains: tuple[ExamDomain, ...]
    short_name: str | None = None

    @property
    def label(self) -> str:
        """The short name where given, else the name."""
        return self.short_name or self.name

    def domain(self, name: str) -> ExamDomain | None:
        """The domain called `name` (case-insensitive), if any."""
        wanted = name.strip().casefold()
        return next((d for d in self.domains if d.name.casefold() == wanted), None)


def _int(data: Mapping[str, object], key: str, where: str, problems: list[str]) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        problem = "must be a whole number" if key in data else "is missing"
        problems.append(f"{where}{key} {problem}")
        return 0
    return value


def parse_exam(text: str, *, path: str) -> ExamProfile:
    """Parse `exam.toml` text; every problem is reported in one `ExamProfileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno; the message ends "(at line N, ...)".
        found = _AT_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        message = _AT_LINE.sub("", str(exc)).strip()
        raise ExamProfileError(path, line, f"not valid TOML: {message}") from None
    problems: list[str] = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("name must be a non-empty string")
        name = ""
    short = data.get("short_name")
    if short is not None and not isinstance(short, str):
        problems.append("short_name must be a string")
        short = None
    questions = _int(data, "questions", "", problems)
    minutes = _int(data, "minutes", "", problems)
    score = data.get("score")
    lo = hi = passing = 0
    if not isinstance(score, dict):
        problems.append("score must be a table { min, max, pass }")
    else:
        before = len(problems)
        lo = _int(score, "min", "score.", problems)
        hi = _int(score, "max", "score.", problems)
        passing = _int(score, "pass", "score.", problems)
        if len(problems) == before and not lo <= passing <= hi:
            problems.append(f"score.pass {passing} must lie between min {lo} and max {hi}")
    for key, value in (("questions", questions), ("minutes", minutes)):
        if key in data and isinstance(data[key], int) and value <= 0:
            problems.append(f"{key} must be positive")
    domains: list[ExamDomain] = []
    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        problems.append("at least one [[domains]] entry is needed")
    else:
        for number, entry in enumerate(raw_domains, start=1):
            if not isinstance(entry, dict):
                problems.append(f"domain {number} must be a table")
                continue
            dname = entry.get("name")
            weight = entry.get("weight")
            if not isinstance(dname, str) or not dname.strip():
                problems.append(f"domain {number} needs a name")
                dname = ""
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                problems.append(f"domain {number} needs a weight ≥ 0")
                weight = 0.0
            domains.append(ExamDomain(dname, float(weight)))
        names = [d.name.casefold() for d in domains]
        if len(set(names)) != len(names):
            problems.append("domain names must be unique")
        total = sum(d.weight for d in domains)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.append(f"domain weights must sum to 1 (they sum to {total:g})")
    if problems:
        raise ExamProfileError(path, None, "; ".join(problems))
    return ExamProfile(
        name=name.strip(),
        short_name=short.strip() if short else None,
        questions=questions,
        minutes=minutes,
        score_min=lo,
        score_max=hi,
        score_pass=passing,
        domains=tuple(domains),
    )


def load_exam(path: Path) -> ExamProfile:
    """Read and check an `exam.toml`; raises `ExamProfileError` naming the file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ExamProfileError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ExamProfileError(str(path), None, "file is not UTF-8") from None
    return parse_exam(text, path=str(path))
