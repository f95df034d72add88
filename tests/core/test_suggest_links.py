from __future__ import annotations

from flashcards.core.suggest_links import suggest_links, tokens

TEXTS = {
    "a": "Kinesis Data Firehose converts records to Parquet before delivery to S3.",
    "b": "Firehose record format conversion writes Parquet or ORC using a Glue schema.",
    "c": "XGBoost eta shrinks each tree; lower eta needs more boosting rounds.",
    "d": "Early stopping ends XGBoost training when validation loss stops improving.",
    "e": "Precision is TP over TP plus FP.",
}


def test_tokens_drop_markup_stop_words_and_short_words() -> None:
    # Inline code keeps its words (`max_run` is as distinctive as any term); URLs go.
    assert tokens("See also [[Early stopping]] in {{c1::XGBoost}} `max_run` at https://x.io") == [
        "early",
        "stopping",
        "xgboost",
        "max_run",
    ]


def test_similar_unlinked_notes_are_suggested_best_first_with_terms() -> None:
    found = suggest_links(TEXTS, threshold=0.1)
    pairs = [frozenset((s.a, s.b)) for s in found]
    assert pairs[0] == frozenset({"a", "b"})
    assert "firehose" in found[0].terms or "parquet" in found[0].terms
    assert frozenset({"c", "d"}) in pairs
    assert all(s.score >= 0.1 for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_linked_pairs_and_low_scores_are_left_out() -> None:
    found = suggest_links(TEXTS, linked=[("b", "a")], threshold=0.1)
    assert frozenset({"a", "b"}) not in [frozenset((s.a, s.b)) for s in found]
    assert "e" not in {k for s in found for k in (s.a, s.b)}  # shares no term with anyone
    assert suggest_links(TEXTS, threshold=1.01) == []
    assert suggest_links({"only": "text"}) == []


def test_per_note_cap() -> None:
    texts = {f"n{i}": "sagemaker endpoint autoscaling variant" for i in range(6)}
    texts["x"] = "unrelated words entirely here"
    found = suggest_links(texts, threshold=0.1, per_note=1)
    seen = [k for s in found for k in (s.a, s.b)]
    assert len(seen) == len(set(seen))
