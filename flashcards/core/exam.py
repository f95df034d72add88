"""Exam profiles: an `exam.toml` beside a folder of decks.

    name = "AWS Certified Machine Learning – Specialty"
    code = "MLS-C01"                      # optional: the short code the Today page shows
    questions = 65
    minutes = 180
    score = { min = 100, max = 1000, pass = 750, pass_share = 0.72 }   # pass_share optional
    retired = 2026-03-31                  # optional: the last day it could be sat
    successors = "AWS Certified Machine Learning Engineer – Associate (MLA-C01)"
    [[domains]]
    name = "Modeling"
    weight = 0.36
    query = "tag:sagemaker or deck:other-exam/modeling"    # optional, the browser's language

A domain's cards are the decks under the profile's folder whose front matter says
`domain: <name>`, together with every card of the library its `query` matches.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flashcards.core.errors import ExamProfileError, QueryError
from flashcards.core.query import parse_query

WEIGHT_TOLERANCE = 0.01
DOMAIN_PREFIX = "domain:"


def domain_selection(domain: str) -> str:
    """The deck selection that names every deck of an exam domain: a session, the
    queue and the day's counts take the domain as one selection, capped as a whole."""
    return DOMAIN_PREFIX + domain


_AT_LINE = re.compile(r"\s*\(at line (\d+)(?:, column \d+)?\)")


@dataclass(frozen=True)
class ExamDomain:
    """An exam domain; deck files join it through front matter `domain:`, and cards
    anywhere in the library through `query` (the browser's search language)."""

    name: str
    weight: float
    query: str | None = None


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
    code: str | None = None  # the exam's own code, e.g. "MLS-C01"
    retired: date | None = None  # the last day the exam could be sat
    successors: str | None = None  # what replaces a retired exam (free text)
    # The share of right answers that passes. Exams rarely publish it; without it the
    # pass mark's place on the scale is used: (pass - min) / (max - min).
    pass_share: float | None = None

    @property
    def label(self) -> str:
        """The short name where given, else the name."""
        return self.short_name or self.name

    @property
    def short_label(self) -> str:
        """The exam code where given (`MLS-C01`), else `label`: for one-line summaries."""
        return self.code or self.label

    @property
    def raw_pass_share(self) -> float:
        """The share of right answers needed to pass (see `pass_share`)."""
        if self.pass_share is not None:
            return self.pass_share
        span = self.score_max - self.score_min
        return (self.score_pass - self.score_min) / span if span else 1.0

    def retired_on(self, day: date) -> bool:
        """Whether the exam can no longer be sat on `day`."""
        return self.retired is not None and day > self.retired

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
        if "(at end of document)" in message:  # the last line is where it ran out
            message = message.replace("(at end of document)", "at the end of the file").strip()
            line = len(text.rstrip("\n").split("\n"))
        raise ExamProfileError(path, line, f"not valid TOML: {message}") from None
    problems: list[str] = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("name must be a non-empty string")
        name = ""
    short = _text(data, "short_name", problems)
    code = _text(data, "code", problems)
    successors = _text(data, "successors", problems)
    retired = _date(data.get("retired"), problems)
    questions = _int(data, "questions", "", problems)
    minutes = _int(data, "minutes", "", problems)
    score = data.get("score")
    lo = hi = passing = 0
    pass_share: float | None = None
    if not isinstance(score, dict):
        problems.append("score must be a table { min, max, pass }")
    else:
        before = len(problems)
        lo = _int(score, "min", "score.", problems)
        hi = _int(score, "max", "score.", problems)
        passing = _int(score, "pass", "score.", problems)
        if len(problems) == before and not lo <= passing <= hi:
            problems.append(f"score.pass {passing} must lie between min {lo} and max {hi}")
        pass_share = _share(score.get("pass_share"), problems)
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
            query = _domain_query(entry.get("query"), number, problems)
            domains.append(ExamDomain(dname.strip(), float(weight), query))
        names = [d.name.casefold() for d in domains]
        if len(set(names)) != len(names):
            problems.append("domain names must be unique")
        total = sum(d.weight for d in domains)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.append(f"domain weights must sum to 1 (they sum to {total:g})")
    if problems:
        # In file order; the first problem's line goes in front (file:line:), the others'
        # after them.
        located = sorted(
            ((_problem_line(text, problem), problem) for problem in problems),
            key=lambda item: item[0] if item[0] is not None else len(text),
        )
        message = "; ".join(
            problem if i == 0 or line is None else f"{problem} (line {line})"
            for i, (line, problem) in enumerate(located)
        )
        raise ExamProfileError(path, located[0][0], message)
    return ExamProfile(
        name=name.strip(),
        short_name=short,
        questions=questions,
        minutes=minutes,
        score_min=lo,
        score_max=hi,
        score_pass=passing,
        domains=tuple(domains),
        code=code,
        retired=retired,
        successors=successors,
        pass_share=pass_share,
    )


_DOMAIN_PROBLEM = re.compile(r"domain (\d+) ")
_TABLES = re.compile(r"^[ \t]*\[\[[ \t]*domains[ \t]*\]\]", re.MULTILINE)


def _problem_line(text: str, problem: str) -> int | None:
    """The 1-based line of `text` a problem of `parse_exam` is about, if it can tell:
    the line setting its key (`questions = 0`), the `score` table, or the domain's
    `[[domains]]` header (the first one for the domains as a whole)."""
    numbered = _DOMAIN_PROBLEM.match(problem)
    if numbered is not None or problem.startswith(("domain names", "domain weights", "at least")):
        headers = [m.start() for m in _TABLES.finditer(text)]
        index = int(numbered.group(1)) - 1 if numbered is not None else 0
        if 0 <= index < len(headers):
            return text.count("\n", 0, headers[index]) + 1
        return None
    key = problem.split(" ", 1)[0].split(".", 1)[0]
    m = re.search(
        rf"^[ \t]*(?:{re.escape(key)}[ \t]*=|\[[ \t]*{re.escape(key)}[ \t]*\])", text, re.MULTILINE
    )
    return None if m is None else text.count("\n", 0, m.start()) + 1


def _text(data: Mapping[str, object], key: str, problems: list[str]) -> str | None:
    """An optional string field (None when absent or blank)."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{key} must be a string")
        return None
    return value.strip() or None


def _date(value: object, problems: list[str]) -> date | None:
    """`retired`: a TOML date (2026-03-31) or the same as a string."""
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append("retired must be a date such as 2026-03-31")
    return None


def _share(value: object, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        problems.append("score.pass_share must be a number between 0 and 1")
        return None
    return float(value)


def _domain_query(value: object, number: int, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"domain {number} query must be a non-empty string")
        return None
    try:
        parse_query(value)
    except QueryError as exc:
        problems.append(f"domain {number} query {value!r}: {exc}")
        return None
    return value.strip()


def allocate_questions(weights: Sequence[float], questions: int) -> tuple[int, ...]:
    """Questions per domain for an exam of `questions`: `weight × questions` rounded so
    the counts add up (largest remainders first; ties to the earlier domain)."""
    total = sum(weights)
    if questions <= 0 or total <= 0:
        return tuple(0 for _ in weights)
    exact = [w / total * questions for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: questions - sum(counts)]:
        counts[i] += 1
    return tuple(counts)


def load_exam(path: Path) -> ExamProfile:
    """Read and check an `exam.toml`; raises `ExamProfileError` naming the file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ExamProfileError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ExamProfileError(str(path), None, "file is not UTF-8") from None
    return parse_exam(text, path=str(path))
