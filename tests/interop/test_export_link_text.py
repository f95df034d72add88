"""An export turns `[[links]]` into their text for Anki, but leaves code and comments as
they are written: there `[[ -f x ]]` is a shell test, not a link."""

from __future__ import annotations

from flashcards.interop.export_notes import to_html


def test_links_become_their_text_outside_code() -> None:
    assert to_html("See [[Early stopping]] and [[Bias vs variance|the trade-off]].") == (
        "See Early stopping and the trade-off."
    )


def test_code_keeps_its_double_brackets() -> None:
    html = to_html("Test a file with `[[ -f x ]]`, not [[Shell tests]].")
    assert "<code>[[ -f x ]]</code>" in html and "not Shell tests." in html
    fenced = to_html("```bash\nif [[ -d y ]]; then echo ok; fi\n```\n\nSee [[Bash]].")
    assert "if [[ -d y ]]; then" in fenced and "See Bash" in fenced


def test_a_link_with_code_in_its_text_keeps_the_code() -> None:
    assert to_html("[[The `eta` knob|`eta`]]") == "<code>eta</code>"


def test_an_escaped_bar_in_a_title_shows_as_a_bar() -> None:
    assert to_html("See [[Precision \\| recall]].") == "See Precision | recall."
    assert to_html("See [[Precision \\| recall|the pair]].") == "See the pair."
