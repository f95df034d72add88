"""Suggested links: pairs of notes that share distinctive terms but are not linked.

TF-IDF vectors over each note's text (title counted twice: it names the concept), cosine
similarity between every pair, pairs above a threshold kept. Pure numpy (scikit-learn
is not a dependency); the vocabulary is capped so memory stays bounded on big libraries.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

K = TypeVar("K", bound=str)

DEFAULT_THRESHOLD = 0.35
MAX_VOCABULARY = 8000

_WORD = re.compile(r"[a-z][a-z0-9]+(?:[-_][a-z0-9]+)*")
_MARKUP = re.compile(r"\{\{c\d+::|\{\{|\}\}|\[\[|\]\]|\{#[^}]*\}|`+|https?://\S+")
# Words that carry no topic in card text (English function words, card-writing words).
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can cannot could did do does doing down during
    each few for from further had has have having he her here hers him his how i if in into
    is it its itself just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours use used uses using one two three
    see also answer question card cards true false each per like via get gets make makes
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Suggestion(Generic[K]):
    """Two notes whose texts are similar; `terms` are the shared words that weigh most."""

    a: K
    b: K
    score: float
    terms: tuple[str, ...] = ()


def tokens(text: str) -> list[str]:
    """Lower-case words of a note, markup and stop words removed."""
    cleaned = _MARKUP.sub(" ", text.lower())
    return [w for w in _WORD.findall(cleaned) if w not in STOPWORDS and len(w) > 2]


def suggest_links(
    texts: Mapping[K, str],
    *,
    linked: Iterable[tuple[K, K]] = (),
    threshold: float = DEFAULT_THRESHOLD,
    per_note: int = 3,
    limit: int = 500,
) -> list[Suggestion[K]]:
    """Unlinked pairs with TF-IDF cosine ≥ `threshold`, best first.

    Each note contributes at most `per_note` suggestions (its strongest), so one generic
    note cannot flood the map; `limit` caps the total.
    """
    keys = list(texts)
    if len(keys) < 2:
        return []
    docs = [Counter(tokens(texts[k])) for k in keys]
    matrix, vocab = _tfidf(docs)
    if matrix.shape[1] == 0:
        return []
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, 0.0)
    index = {k: i for i, k in enumerate(keys)}
    for a, b in linked:
        if a in index and b in index:
            sims[index[a], index[b]] = sims[index[b], index[a]] = 0.0
    sims = np.triu(sims)  # each pair once
    rows, cols = np.nonzero(sims >= threshold)
    scores = sims[rows, cols]
    order = np.argsort(-scores, kind="stable")
    used: Counter[int] = Counter()
    out: list[Suggestion[K]] = []
    for i in order:
        r, c = int(rows[i]), int(cols[i])
        if used[r] >= per_note or used[c] >= per_note:
            continue
        used[r] += 1
        used[c] += 1
        shared = matrix[r] * matrix[c]
        top = [vocab[t] for t in np.argsort(-shared)[:3] if shared[t] > 0]
        out.append(Suggestion(keys[r], keys[c], round(float(scores[i]), 4), tuple(top)))
        if len(out) >= limit:
            break
    return out


def _tfidf(docs: list[Counter[str]]) -> tuple[np.ndarray, list[str]]:
    """L2-normalised TF-IDF rows (float32) and the vocabulary (column order)."""
    n = len(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    # Terms in one note link nothing; terms in most notes distinguish nothing.
    ceiling = max(2, int(n * 0.5))
    candidates = [t for t, d in df.items() if 2 <= d <= ceiling]
    candidates.sort(key=lambda t: (-df[t], t))
    vocab = sorted(candidates[:MAX_VOCABULARY])
    column = {t: j for j, t in enumerate(vocab)}
    matrix = np.zeros((n, len(vocab)), dtype=np.float32)
    idf = {t: math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab}
    for i, doc in enumerate(docs):
        for term, count in doc.items():
            j = column.get(term)
            if j is not None:
                matrix[i, j] = (1.0 + math.log(count)) * idf[term]
    norms = np.linalg.norm(matrix, axis=1)
    matrix /= np.maximum(norms, 1e-9)[:, None]
    return matrix, vocab
