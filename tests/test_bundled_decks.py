"""The bundled decks: they parse cleanly, hold what issue 5 promises and tie together."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flashcards.collection import Collection
from flashcards.collection.exam import Exams
from flashcards.collection.practice_exam import PracticeExams
from flashcards.core.exam import allocate_questions, load_exam
from flashcards.core.links import resolve_links
from flashcards.core.model import CardId, CardKind, Deck, Note, NoteId
from flashcards.core.parser import parse_deck, parse_file

DECKS = Path(__file__).resolve().parents[1] / "decks"
AWS = DECKS / "aws-ml-specialty"


@pytest.fixture(scope="module")
def decks() -> list[Deck]:
    parsed = []
    for file in sorted(DECKS.rglob("*.md")):
        result = parse_file(file, root=DECKS)
        assert result.warnings == (), [str(w) for w in result.warnings]
        parsed.append(result.deck)
    return parsed


@pytest.fixture(scope="module")
def aws(decks: list[Deck]) -> list[Deck]:
    return [d for d in decks if d.file.startswith("aws-ml-specialty/")]


def test_exam_profile() -> None:
    exam = load_exam(AWS / "exam.toml")
    assert (exam.questions, exam.minutes) == (65, 180)
    assert (exam.score_min, exam.score_max, exam.score_pass) == (100, 1000, 750)
    assert {d.name: d.weight for d in exam.domains} == {
        "Data Engineering": 0.20,
        "Exploratory Data Analysis": 0.24,
        "Modeling": 0.36,
        "Machine Learning Implementation and Operations": 0.20,
    }


def test_every_card_has_an_id_and_ids_are_unique(decks: list[Deck]) -> None:
    ids = [n.id for d in decks for n in d.notes]
    assert None not in ids
    assert len(ids) == len(set(ids))


def test_the_app_writes_nothing_into_a_seeded_copy() -> None:
    """Every cloze deletion is numbered (as the sync would write it, rule 13), so a new
    library's copies stay byte for byte the bundled files."""
    from flashcards.core.cloze_numbers import number_blanks

    for file in sorted(DECKS.rglob("*.md")):
        data = file.read_bytes()
        assert number_blanks(data, parse_deck(data, path=file.name)) is None, file


def test_every_aws_deck_belongs_to_an_exam_domain(aws: list[Deck]) -> None:
    exam = load_exam(AWS / "exam.toml")
    for deck in aws:
        assert deck.domain is not None and exam.domain(deck.domain) is not None, deck.file


def test_at_least_400_cards_roughly_by_weight(aws: list[Deck]) -> None:
    cards = [c for d in aws for c in d.cards]
    assert len(cards) >= 400
    exam = load_exam(AWS / "exam.toml")
    per_domain = Counter(d.domain for d in aws for _ in d.cards)
    for domain in exam.domains:
        share = per_domain[domain.name] / len(cards)
        assert abs(share - domain.weight) < 0.10, (domain.name, share)


def test_multiple_choice_questions_fill_two_disjoint_practice_exams(aws: list[Deck]) -> None:
    exam = load_exam(AWS / "exam.toml")
    choice = Counter(d.domain for d in aws for c in d.cards if c.kind is CardKind.CHOICE)
    assert sum(choice.values()) >= 150
    for domain in exam.domains:
        assert choice[domain.name] >= 2 * round(exam.questions * domain.weight), domain.name
    multi = [c for d in aws for c in d.cards if c.kind is CardKind.CHOICE and len(c.correct) > 1]
    assert len(multi) >= 10  # "choose two" questions exist


def test_choice_questions_explain_their_answer(aws: list[Deck]) -> None:
    for deck in aws:
        for card in deck.cards:
            if card.kind is CardKind.CHOICE:
                assert len(card.choices) >= 4, (deck.file, card.title)
                assert len(card.answer.split()) >= 15, (deck.file, card.title)


# "The first option", "answer B", "(C)": words that stop being true once options are
# shown in a shuffled order (issue 13.2).
_BY_PLACE = re.compile(
    r"\b(first|second|third|fourth|fifth|last|above|below) (option|answer|choice)s?\b"
    r"|\b(option|answer|choice)s? (?-i:[A-E])\b|\((?-i:[A-E])\)"
    r"|\b(?-i:[A-E]) (is|and (?-i:[A-E])) (right|wrong|correct)",
    re.IGNORECASE,
)


def test_choice_explanations_name_options_by_text_not_place(decks: list[Deck]) -> None:
    cards = [c for d in decks for c in d.cards if c.kind is CardKind.CHOICE]
    by_place = [
        f"{c.file}: {c.title}: {m.group()}"
        for c in cards
        for m in [_BY_PLACE.search(c.answer + "\n" + c.prompt)]
        if m
    ]
    assert by_place == []


def test_links_resolve_cover_every_card_and_cross_domains(decks: list[Deck]) -> None:
    resolved, warnings = resolve_links(decks)
    assert warnings == [], [str(w) for w in warnings[:10]]
    domain_of: dict[NoteId, str | None] = {}
    for deck in decks:
        for note in deck.notes:
            assert note.id is not None
            domain_of[note.id] = deck.domain
    touched = {src for src, _ in resolved} | set(resolved.values())
    aws_notes = [n.id for d in decks if d.file.startswith("aws-ml-specialty/") for n in d.notes]
    lonely = [n for n in aws_notes if n not in touched]
    assert lonely == []
    aws_links = [(s, t) for (s, _), t in resolved.items() if domain_of[s] and domain_of[t]]
    cross = [1 for s, t in aws_links if domain_of[s] != domain_of[t]]
    assert len(cross) / len(aws_links) >= 0.30


def test_no_wiki_link_breaks_across_lines() -> None:
    """A [[link]] cut by a line break is not a link (as in Obsidian): its brackets would
    show as text on cheat-sheets and in Anki."""
    broken = []
    for file in sorted(DECKS.rglob("*.md")):
        fenced = False
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and line.count("[[") != line.count("]]"):
                broken.append(f"{file.relative_to(DECKS)}:{number}")
    assert broken == []


def test_getting_started_shows_every_card_kind(decks: list[Deck]) -> None:
    deck = next(d for d in decks if d.file == "getting-started.md")
    kinds = {c.kind for c in deck.cards}
    # Every kind written by hand; a note type's cards (TEMPLATE) mostly come from Anki.
    assert kinds == set(CardKind) - {CardKind.TEMPLATE}
    assert any(len(c.correct) > 1 for c in deck.cards)  # multiple response
    assert any("```" in c.answer or "```" in c.prompt for c in deck.cards)


def test_code_is_highlighted_somewhere(aws: list[Deck]) -> None:
    fenced = [c for d in aws for c in d.cards if "```python" in c.answer + c.prompt]
    assert len(fenced) >= 3


# The formulas a learner needs (issue 16.7), by the TeX command or text that shows each.
NEEDED_FORMULAS = {
    "log loss": "\\log p_i",
    "softmax": "\\operatorname{softmax}",
    "precision": "\\frac{TP}{TP + FP}",
    "recall": "\\frac{TP}{TP + FN}",
    "F1": "F_1",
    "L1 penalty": "\\sum_j |w_j|",
    "L2 penalty": "\\sum_j w_j^2",
    "gradient step": "\\nabla_w L",
    "TF-IDF": "\\mathrm{tfidf}",
    "standardisation": "\\frac{x - \\mu}{\\sigma}",
}


def test_every_formula_in_the_decks_renders(decks: list[Deck]) -> None:
    from flashcards.core.math_render import NotDrawn, formula, points_to_px
    from flashcards.core.math_tex import math_spans
    from flashcards.core.render_theme import BODY_SIZE_PT

    found: list[str] = []
    for deck in decks:
        for note in deck.notes:
            for card in note.cards:
                texts = [card.title, card.prompt, card.answer, *(c.text for c in card.choices)]
                for text in texts:
                    for span in math_spans(text):
                        px = points_to_px(BODY_SIZE_PT)
                        drawn = formula(span.tex, display=span.display, px=px)
                        assert not isinstance(drawn, NotDrawn), (deck.file, card.title, drawn)
                        found.append(span.tex)
    missing = [name for name, tex in NEEDED_FORMULAS.items() if not any(tex in f for f in found)]
    assert missing == []


# -- Fair questions and atomic fronts (issue 16.1, 16.2) -----------------------------------
#
# The files themselves must be fair, since exports to Anki keep file order. The helpers take
# any notes, so one file or one helper's share can be checked on its own; the tests hold the
# proportions over every bundled file.


def right_options(note: Note) -> tuple[int, ...]:
    return tuple(i for i, choice in enumerate(note.choices) if choice.correct)


def single_answer(notes: Iterable[Note]) -> list[Note]:
    return [n for n in notes if n.choices and len(right_options(n)) == 1]


def choose_two(notes: Iterable[Note]) -> list[Note]:
    return [n for n in notes if n.choices and len(right_options(n)) > 1]


def position_shares(notes: Iterable[Note]) -> dict[str, float]:
    """Share of single-answer questions whose right option sits at A, B, C, D."""
    questions = single_answer(notes)
    at = Counter(right_options(n)[0] for n in questions)
    return {"ABCD"[p]: round(at[p] / len(questions), 3) for p in range(4)}


def right_is_longest(note: Note) -> bool:
    """The right option is at least as long as every other (a tie counts as longest)."""
    (right,) = right_options(note)
    return len(note.choices[right].text) >= max(len(c.text) for c in note.choices)


def longest_share(notes: Iterable[Note]) -> float:
    questions = single_answer(notes)
    return sum(right_is_longest(n) for n in questions) / len(questions)


def heading_only(notes: Iterable[Note]) -> list[Note]:
    """Notes whose front is their heading alone: no `?` prompt, no options, no cloze."""
    return [n for n in notes if not n.prompt.strip() and not n.choices and not n.cloze_numbers]


def test_the_right_answer_sits_at_every_position_20_to_30_percent(decks: list[Deck]) -> None:
    shares = position_shares(n for d in decks for n in d.notes)
    assert all(0.20 <= share <= 0.30 for share in shares.values()), shares


def test_the_right_option_is_rarely_the_longest(decks: list[Deck]) -> None:
    notes = [n for d in decks for n in d.notes]
    longest = [f"{n.file}: {n.title}" for n in single_answer(notes) if right_is_longest(n)]
    assert longest_share(notes) <= 0.35, longest


def test_choose_two_answers_vary_their_pair_of_positions(decks: list[Deck]) -> None:
    pairs = Counter(right_options(n) for d in decks for n in choose_two(d.notes))
    total = sum(pairs.values())
    assert total >= 10
    assert max(pairs.values()) / total <= 0.25, pairs  # not A+B nearly every time
    assert len(pairs) >= 6, pairs
    assert {p for pair in pairs for p in pair} == {0, 1, 2, 3, 4}, pairs


def test_few_fronts_are_only_a_heading(decks: list[Deck]) -> None:
    notes = [n for d in decks for n in d.notes]
    lone = heading_only(notes)
    assert len(lone) / len(notes) <= 0.05, [f"{n.file}: {n.title}" for n in lone]


def test_the_proportion_helpers_see_what_a_file_holds() -> None:
    # Two questions at B and C, one longest-right, one choose-two A+E, one heading-only note.
    text = """---
title: Tiny
---
## Plain heading
Only an answer.

## Q one
Which?
- [ ] a
- [x] the right one
- [ ] c
- [ ] d
?
Because.

## Q two
Which?
- [ ] a long wrong one
- [ ] b
- [x] c
- [ ] d
?
Because.

## Q three
Which two?
- [x] a
- [ ] b
- [ ] c
- [ ] d
- [x] e
?
Because.
"""
    notes = list(parse_deck(text, path="tiny.md").deck.notes)
    assert position_shares(notes) == {"A": 0.0, "B": 0.5, "C": 0.5, "D": 0.0}
    assert longest_share(notes) == 0.5
    assert [right_options(n) for n in choose_two(notes)] == [(0, 4)]
    assert [n.title for n in heading_only(notes)] == ["Plain heading"]


# -- The gap decks (issue 16.4) and the MLA-C01 exam (issue 16.6) ---------------------------

MLA = DECKS / "aws-mla-c01"
GAP_DECKS = (
    "aws-ml-specialty/data-engineering-training-batch-storage.md",
    "aws-ml-specialty/eda-statistics-clustering.md",
    "aws-ml-specialty/eda-speech-audio.md",
    "aws-ml-specialty/modeling-foundation-models.md",
    "aws-ml-specialty/ml-operations-quotas-auditing.md",
    "aws-ml-specialty/ml-operations-resilience.md",
)
# What the review found missing, each by a word of a card title that teaches it.
GAP_TOPICS = (
    "AWS Batch",
    "Spot",
    "EBS",
    "EFS",
    "FSx for Lustre",
    "hierarchical clustering",
    "Silhouette",
    "p-value",
    "hypothesis test",
    "MFCC",
    "speech and audio datasets",
    "Amazon Bedrock",
    "JumpStart",
    "Fine-tuning",
    "Retrieval-augmented generation",
    "Multi-AZ",
    "Multi-Region",
    "Machine Image",
    "Golden images",
    "Auto Scaling groups",
    "CloudTrail",
    "Amazon Q",
    "Service quotas",
)
MLA_DOMAINS = {
    "Data Preparation for ML": 0.28,
    "ML Model Development": 0.26,
    "Deployment and Orchestration of ML Workflows": 0.22,
    "ML Solution Monitoring, Maintenance, and Security": 0.24,
}
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def new_decks(decks: list[Deck]) -> dict[str, list[Deck]]:
    return {
        "gap decks": [d for d in decks if d.file in GAP_DECKS],
        "MLA-C01 decks": [d for d in decks if d.file.startswith("aws-mla-c01/")],
    }


def test_gap_decks_teach_each_missing_topic_with_questions(decks: list[Deck]) -> None:
    gap = new_decks(decks)["gap decks"]
    assert sorted(d.file for d in gap) == sorted(GAP_DECKS)
    titles = [n.title.casefold() for d in gap for n in d.notes if not n.choices]
    missing = [t for t in GAP_TOPICS if not any(t.casefold() in title for title in titles)]
    assert missing == []
    for deck in gap:
        assert len([n for n in deck.notes if n.choices]) >= 5, deck.file
        assert "<!-- source: https://" in (DECKS / deck.file).read_text(encoding="utf-8")


def test_new_questions_are_fair_from_the_start(decks: list[Deck]) -> None:
    for name, group in new_decks(decks).items():
        notes = [n for d in group for n in d.notes]
        shares = position_shares(notes)
        assert all(0.20 <= share <= 0.30 for share in shares.values()), (name, shares)
        assert longest_share(notes) <= 0.35, name
        pairs = Counter(right_options(n) for n in choose_two(notes))
        assert len(pairs) >= 5 and max(pairs.values()) <= 2, (name, pairs)
        for note in (n for n in notes if n.choices):
            assert len(note.choices) >= 4, (name, note.title)
            assert len(note.answer.split()) >= 15, (name, note.title)


def test_mla_c01_profile() -> None:
    exam = load_exam(MLA / "exam.toml")
    assert (exam.code, exam.questions, exam.minutes) == ("MLA-C01", 65, 130)
    assert (exam.score_min, exam.score_max, exam.score_pass) == (100, 1000, 720)
    assert {d.name: d.weight for d in exam.domains} == MLA_DOMAINS
    assert exam.retired is None
    # Every MLA-C01 domain also takes MLS-C01 cards by a search.
    assert all(d.query and "aws-ml-specialty/" in d.query for d in exam.domains)


def test_every_mla_c01_deck_belongs_to_one_of_its_domains(decks: list[Deck]) -> None:
    mla = new_decks(decks)["MLA-C01 decks"]
    assert len(mla) >= 8
    assert {d.domain for d in mla} == set(MLA_DOMAINS)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    """A collection over a copy of the bundled decks."""
    data = tmp_path_factory.mktemp("bundled")
    shutil.copytree(DECKS, data / "decks")
    col = Collection.open(data, seed=False, now=NOW)
    yield col
    col.close()


def mla_questions(library: Collection) -> dict[str, list[CardId]]:
    """Each MLA-C01 domain's multiple-choice cards; a card in two domains counts for the
    first only, as a practice exam asks it once."""
    exams = Exams(library)
    cards = exams.domain_cards("MLA-C01", now=NOW)
    kinds = {v.id: v.card.kind for v in library.cards([i for ids in cards.values() for i in ids])}
    seen: set[CardId] = set()
    questions: dict[str, list[CardId]] = {}
    for domain, ids in cards.items():
        questions[domain] = [i for i in ids if kinds[i] is CardKind.CHOICE and i not in seen]
        seen.update(ids)
    return questions


def test_both_exam_profiles_load_in_one_library(library: Collection) -> None:
    refs = {r.profile.code: r for r in Exams(library).profiles()}
    assert set(refs) == {"MLS-C01", "MLA-C01"}
    mls = refs["MLS-C01"].profile
    assert mls.retired == date(2026, 3, 31) and "MLA-C01" in (mls.successors or "")
    assert refs["MLA-C01"].key == "aws-mla-c01"
    # The MLS-C01 profile keeps to its own folder: no MLA-C01 deck counts for it.
    mls_cards = Exams(library).domain_cards("MLS-C01", now=NOW)
    files = {v.card.file for v in library.cards([i for ids in mls_cards.values() for i in ids])}
    assert files and all(f.startswith("aws-ml-specialty/") for f in files)


def test_mla_c01_holds_two_practice_exams_of_questions_by_domain(library: Collection) -> None:
    exam = load_exam(MLA / "exam.toml")
    allocation = allocate_questions([d.weight for d in exam.domains], exam.questions)
    questions = mla_questions(library)
    for domain, count in zip(exam.domains, allocation, strict=True):
        assert len(questions[domain.name]) >= 2 * count, (domain.name, count)
    assert sum(2 * n for n in allocation) == 130


def test_two_mla_c01_practice_exams_share_no_question(library: Collection) -> None:
    exams = PracticeExams(library)
    first = exams.start("MLA-C01", now=NOW, seed=1, predict=False)
    exams.submit(first.id, now=NOW)
    second = exams.start("MLA-C01", now=NOW, seed=2, predict=False)
    exams.discard(second.id)
    exam = load_exam(MLA / "exam.toml")
    allocation = allocate_questions([d.weight for d in exam.domains], exam.questions)
    expected = {d.name: n for d, n in zip(exam.domains, allocation, strict=True)}
    for sitting in (first, second):
        assert Counter(q.domain for q in sitting.questions) == expected
    assert not {q.card_id for q in first.questions} & {q.card_id for q in second.questions}


def test_every_mla_c01_card_is_linked_and_a_third_of_links_cross_domains(
    decks: list[Deck], library: Collection
) -> None:
    domain_of: dict[str, str] = {}
    for domain, ids in Exams(library).domain_cards("MLA-C01", now=NOW).items():
        for card_id in ids:
            domain_of.setdefault(str(card_id).split(":")[0], domain)
    resolved, _ = resolve_links(decks)
    links = [(s, t) for (s, _), t in resolved.items() if s in domain_of and t in domain_of]
    touched = {s for s, _ in links} | {t for _, t in links}
    assert [n for n in domain_of if n not in touched] == []
    cross = [1 for s, t in links if domain_of[s] != domain_of[t]]
    assert len(cross) / len(links) >= 0.30
