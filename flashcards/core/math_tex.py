"""Formulas in card text: where `$…$` and `$$…$$` are, and a plain-text reading of TeX.

The delimiters follow pandoc's `tex_math_dollars` rule, which keeps prices as text:

- `$$…$$` is display math; it may span lines, but not a blank line;
- `$…$` is inline math when the opening `$` has a non-space character right after it
  and the closing `$` (the next unescaped one) has a non-space character right before
  it and no digit right after it: `$x^2$` is math, "costs $5 and $10" is not;
- `\\$` is a literal dollar (outside math; inside math it is TeX's own `\\$`);
- nothing inside a literal zone (code spans, fenced code, HTML comments) is math: the
  scan reads a *masked* copy of the text (`literal.mask_text`), in which those zones are
  `MASK` characters, and a formula may not run into one.

`plain_tex` turns simple TeX into readable text for places that show no images
(card titles in lists, the browser's table, map labels): `\\frac{a}{b}` → `a/b`,
`\\sigma` → `σ`, `x^2` → `x²`; commands it does not know lose only their backslash.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flashcards.core.literal import MASK, mask_text


@dataclass(frozen=True)
class MathSpan:
    """One formula: `text[start:end]` is the whole span with its delimiters."""

    start: int
    end: int
    tex: str
    display: bool


@dataclass(frozen=True)
class EscapedDollar:
    """A `\\$` outside math at `start` (two characters): shown as a plain `$`."""

    start: int


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _close_display(masked: str, start: int) -> int:
    """Index of the `$$` closing display math opened before `start`, or -1."""
    i = start
    n = len(masked)
    while i < n - 1:
        c = masked[i]
        if c == "\\":
            i += 2
            continue
        if c == MASK:
            return -1
        if c == "$":
            return i if masked[i + 1] == "$" else -1
        if c == "\n" and _BLANK_LINE.match(masked, i):
            return -1
        i += 1
    return -1


def _close_inline(masked: str, start: int) -> int:
    """Index of the `$` closing inline math opened before `start`, or -1."""
    i = start
    n = len(masked)
    while i < n:
        c = masked[i]
        if c == "\\":
            i += 2
            continue
        if c == MASK:
            return -1
        if c == "$":
            # The first unescaped `$` closes or nothing does (a price stays text).
            if masked[i - 1].isspace() or (i + 1 < n and masked[i + 1].isdigit()):
                return -1
            return i
        if c == "\n" and _BLANK_LINE.match(masked, i):
            return -1
        i += 1
    return -1


def find_math(text: str, masked: str | None = None) -> list[MathSpan | EscapedDollar]:
    """The formulas and escaped dollars of `text`, in order.

    `masked` is `text` with its literal zones masked (computed when not given)."""
    if "$" not in text:
        return []
    if masked is None:
        masked = mask_text(text)
    found: list[MathSpan | EscapedDollar] = []
    n = len(masked)
    i = masked.find("$")
    while 0 <= i < n:
        # Was this `$` escaped? Count the backslashes right before it.
        slashes = 0
        while i - slashes - 1 >= 0 and masked[i - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            found.append(EscapedDollar(i - 1))
            i = masked.find("$", i + 1)
            continue
        if masked.startswith("$$", i):
            close = _close_display(masked, i + 2)
            if close >= 0 and text[i + 2 : close].strip():
                found.append(MathSpan(i, close + 2, text[i + 2 : close].strip(), True))
                i = masked.find("$", close + 2)
                continue
            i = masked.find("$", i + 2)
            continue
        if i + 1 < n and not masked[i + 1].isspace():
            close = _close_inline(masked, i + 1)
            if close >= 0:
                found.append(MathSpan(i, close + 1, text[i + 1 : close], False))
                i = masked.find("$", close + 1)
                continue
        i = masked.find("$", i + 1)
    return found


def math_spans(text: str) -> list[MathSpan]:
    """Only the formulas of `text` (literal zones skipped)."""
    return [m for m in find_math(text) if isinstance(m, MathSpan)]


# --- A plain-text reading of simple TeX -------------------------------------------

_SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω",
    # operators and relations
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "le": "≤",
    "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "sim": "~", "equiv": "≡", "propto": "∝", "infty": "∞", "sum": "Σ", "prod": "∏",
    "int": "∫", "partial": "∂", "nabla": "∇", "in": "∈", "notin": "∉",
    "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀",
    "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "leftrightarrow": "↔", "mapsto": "↦", "ldots": "…", "cdots": "⋯", "dots": "…",
    "top": "ᵀ", "prime": "′", "circ": "∘", "star": "⋆", "ast": "∗", "|": "‖",
    "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|", "langle": "⟨",
    "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "{": "{", "}": "}", "$": "$", "%": "%", "&": "&", "#": "#", "_": "_",
    # spacing
    ",": " ", ";": " ", ":": " ", "!": "", "quad": " ", "qquad": " ", " ": " ",
}  # fmt: skip
def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Commands that only style or size what follows: dropped, their argument kept.
_DROPPED = _words(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr displaystyle textstyle limits "
    "nolimits mathrm mathbf mathit mathsf mathtt mathcal mathbb boldsymbol text textrm "
    "textbf textit operatorname mbox rm bf it"
)
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
            "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307",
            "ddot": "\u0308"}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789+-=()nijkTᵀ′*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵀ′*")
_SUBSCRIPTS = str.maketrans("0123456789+-=()aeijkmnortx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒᵣₜₓ")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_SIMPLE = re.compile(r"[\w.′]+")
_TIGHT = re.compile(r" ?(·) ?| ([ᵀ′])")  # a product dot and primes sit close: P·R, wᵀ


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at `i` (a `{…}` group or one token) and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            if tex[j] == "\\":
                continue
            if tex[j] == "{" and (j == 0 or tex[j - 1] != "\\"):
                depth += 1
            elif tex[j] == "}" and tex[j - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return tex[i + 1 : j], j + 1
        return tex[i + 1 :], len(tex)
    m = _COMMAND.match(tex, i)
    if m is not None:
        return m.group(), m.end()
    return tex[i], i + 1


def _wrapped(part: str) -> str:
    """`part` in brackets unless it is one simple term (a/b, not (a+b)/c)."""
    return part if _SIMPLE.fullmatch(part) else f"({part})"


def _script(body: str, table: dict[int, int], mark: str) -> str:
    """A super- or subscript as Unicode script characters when every one has one."""
    if body and all(ord(c) in table for c in body):
        return body.translate(table)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _plain(tex: str, depth: int = 0) -> str:
    if depth > 20:
        return tex  # a hostile nest: stop reading it
    out: list[str] = []
    i = 0
    n = len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            m = _COMMAND.match(tex, i)
            assert m is not None  # a backslash always matches `\\.`
            name = m.group(1)
            i = m.end()
            if name in ("frac", "dfrac", "tfrac"):
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(
                    f"{_wrapped(_plain(top, depth + 1))}/{_wrapped(_plain(bottom, depth + 1))}"
                )
            elif name == "sqrt":
                body, i = _group(tex, i)
                out.append(f"√{_wrapped(_plain(body, depth + 1))}")
            elif name in _ACCENTS:
                body, i = _group(tex, i)
                plain = _plain(body, depth + 1)
                accented = plain + _ACCENTS[name] if len(plain) == 1 else plain
                out.append(unicodedata.normalize("NFC", accented))
            elif name in ("begin", "end"):
                _, i = _group(tex, i)
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            elif name in _DROPPED:
                pass
            elif name == "\\":
                out.append("; ")
            else:
                out.append(name)  # log, exp, max, an unknown command: its name reads
                if name.isalpha() and i < n and tex[i] in "\\{":
                    out.append(" ")  # `\log x` → `log x`; `\max_i` → `maxᵢ`
        elif c in "^_":
            body, i = _group(tex, i + 1)
            plain = _plain(body, depth + 1)
            if c == "^":
                out.append(_script(plain, _SUPERSCRIPTS, "^"))
            else:
                out.append(_script(plain, _SUBSCRIPTS, "_"))
        elif c in "{}":
            i += 1
        elif c in "&~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def plain_tex(tex: str) -> str:
    """Simple TeX as readable text (`\\frac{a}{b}` → `a/b`, `\\sigma` → `σ`)."""
    plain = re.sub(r"\s+", " ", _plain(tex[:2000]))
    return _TIGHT.sub(lambda m: m.group(1) or m.group(2), plain).strip()


def plain_math(text: str) -> str:
    """`text` (a card title, a line) with every formula read as plain text and every
    `\\$` as `$`; text without a `$` is returned as it is."""
    if "$" not in text:
        return text
    out: list[str] = []
    pos = 0
    for item in find_math(text):
        if isinstance(item, EscapedDollar):
            out.append(text[pos : item.start])
            out.append("$")
            pos = item.start + 2
        else:
            out.append(text[pos : item.start])
            out.append(plain_tex(item.tex))
            pos = item.end
    out.append(text[pos:])
    return "".join(out)
