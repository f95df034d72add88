"""Where formulas are (`find_math`) and how a title made of one reads (`plain_tex`)."""

from __future__ import annotations

import pytest

from flashcards.core.math_tex import EscapedDollar, MathSpan, find_math, plain_math, plain_tex


def test_inline_and_display_spans() -> None:
    text = "a $x^2$ b $$\n\\frac{1}{2}\n$$ c"
    assert find_math(text) == [
        MathSpan(2, 7, "x^2", False),
        MathSpan(10, 27, "\\frac{1}{2}", True),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "$5 and $10",  # the closing $ has a space before it
        "$x$5",  # a digit right after the closing $
        "$ x$",  # a space after the opening $
        "x$\n\n$y",  # math never crosses a blank line
        "`$x$`",
        "~~~\n$x$\n~~~",
        "<!-- $x$ -->",
        "$$x\n\ny$$",
        "$$ $$",
    ],
)
def test_no_formula(text: str) -> None:
    assert [m for m in find_math(text) if isinstance(m, MathSpan)] == []


def test_escaped_dollars() -> None:
    assert find_math("\\$5 and $a\\$b$") == [EscapedDollar(0), MathSpan(8, 14, "a\\$b", False)]
    # An escaped backslash does not escape the dollar after it.
    assert find_math("\\\\$x$") == [MathSpan(2, 5, "x", False)]


def test_a_formula_may_not_run_into_code() -> None:
    assert find_math("$a `b$` c$") == []


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        ("\\frac{a}{b}", "a/b"),
        ("\\sigma", "σ"),
        ("x^2 + y_i", "x² + yᵢ"),
        ("\\frac{x - \\mu}{\\sigma}", "(x - μ)/σ"),
        ("F_1 = 2\\cdot\\frac{P\\cdot R}{P+R}", "F₁ = 2·(P·R)/(P+R)"),
        ("\\hat{y} = w^\\top x + b", "ŷ = wᵀ x + b"),
        ("w \\leftarrow w - \\eta \\nabla_w L", "w ← w - η ∇_w L"),
        ("\\lambda \\sum_j |w_j|", "λ Σⱼ |wⱼ|"),
        ("\\log x + \\sqrt{2}", "log x + √2"),
        ("\\mathrm{TF\\text{-}IDF}(t,d)", "TF-IDF(t,d)"),
        ("e^{z_i}", "e^(zᵢ)"),
        ("\\textbf C", "C"),
        ("\\unknowncmd x", "unknowncmd x"),
        ("\\log\\frac{a}{b}", "log a/b"),
        ("2 \\cdot x", "2·x"),
    ],
)
def test_plain_tex(tex: str, plain: str) -> None:
    assert plain_tex(tex) == plain


def test_plain_math_reads_a_title() -> None:
    assert plain_math("The $F_1$ score") == "The F₁ score"
    assert plain_math("Costs \\$5 and $10") == "Costs $5 and $10"
    assert plain_math("No formula") == "No formula"


def test_plain_tex_survives_hostile_input() -> None:
    assert isinstance(plain_tex("{" * 5000 + "x" + "}" * 5000), str)
    assert isinstance(plain_tex("\\frac{" * 300), str)
