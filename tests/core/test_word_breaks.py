"""Break hints (U+200B) at the seams of long words in rendered cards, and nowhere else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.model import Card, CardId, CardKind, NoteId
from flashcards.core.render import Side, clear_render_cache, render_card, render_markdown
from flashcards.core.word_breaks import BREAK_HINT, add_break_hints, without_break_hints


def seams(html: str) -> str:
    return html.replace(BREAK_HINT, "|")


def card(title: str, answer: str = "", prompt: str = "") -> Card:
    return Card(
        id=CardId("a1b2c3"),
        note_id=NoteId("a1b2c3"),
        kind=CardKind.BASIC,
        file="d.md",
        title=title,
        prompt=prompt,
        answer=answer,
        line_start=1,
        line_end=3,
    )


def test_a_long_camel_case_heading_gets_a_hint_at_each_word() -> None:
    clear_render_cache()
    html = render_card(
        card("ProvisionedThroughputExceededException", "Throttled."), side=Side.FRONT
    )
    assert "Provisioned|Throughput|Exceeded|Exception" in seams(html)


def test_seams_of_identifiers_paths_and_names() -> None:
    text = (
        "<p>XMLHttpRequestHandler IDENTICAL_DATA_AND_ALGORITHM sagemaker.amazonaws.com "
        "Aws::SageMaker::Client data/raw/2024/events.parquet S3BucketNotification</p>"
    )
    assert seams(add_break_hints(text)) == (
        "<p>XML|Http|Request|Handler IDENTICAL_|DATA_|AND_|ALGORITHM sagemaker.|amazonaws.|com "
        "Aws::|Sage|Maker::|Client data/|raw/|2024/|events.|parquet S3|Bucket|Notification</p>"
    )


def test_short_words_plain_words_and_numbers_are_left_alone() -> None:
    text = "<p>SageMaker PutRecords internationalisation 1.5.123456789012 eCommerceLeadership</p>"
    assert seams(add_break_hints(text)) == (
        "<p>SageMaker PutRecords internationalisation 1.5.123456789012 eCommerce|Leadership</p>"
    )


def test_tags_attributes_entities_and_code_blocks_are_untouched() -> None:
    clear_render_cache()
    source = (
        "See [[ProvisionedThroughputExceededException]] and ![DiagramOfTheArchitecture](img/"
        "ArchitectureDiagramLarge.png) &amp;AmpersandBeforeLongWord\n\n"
        "```python\nclient.put_record(StreamName=StreamNameFromConfig)\n```\n"
    )
    html = render_markdown(source, base_dir=Path("/library/deck"))  # images resolve there
    assert 'href="card:ProvisionedThroughputExceededException"' in html
    assert ">Provisioned\u200bThroughput\u200bExceeded\u200bException</a>" in html
    assert "img/ArchitectureDiagramLarge.png" in html
    assert "&amp;Ampersand\u200bBefore\u200bLong\u200bWord" in html
    code = html[html.index("<pre") :]
    assert BREAK_HINT not in code


def test_inline_code_gets_hints_that_copies_leave_out() -> None:
    html = render_markdown("Raise `RecordMaxBufferedTime` to batch more.")
    assert "Record|Max|Buffered|Time</code>" in seams(html)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ_/.:<>&;#p re1\n"), max_size=80))
def test_hints_are_all_that_is_added(text: str) -> None:
    assert without_break_hints(add_break_hints(text)) == text
