"""New ids come from urandom drawn in blocks (issue 18): every character equally likely,
no id repeated across threads or in a forked child."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest

from flashcards.core.ids import ALPHABET, new_id


def test_every_character_is_equally_likely() -> None:
    counts = Counter("".join(new_id(set()) for _ in range(6000)))
    assert set(counts) == set(ALPHABET)
    expected = 36_000 / 36
    # Chi-square with 35 degrees of freedom: above 80 has odds below 1 in 10,000.
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in ALPHABET)
    assert chi2 < 80
    # Digits are as likely as letters (a bias from bytes 252-255 would favour a-d).
    assert abs(sum(counts[c] for c in "abcd") / 4 - expected) < 0.15 * expected


def test_threads_draw_different_ids() -> None:
    out: list[list[str]] = [[] for _ in range(4)]

    def draw(k: int) -> None:
        out[k] = [new_id(set()) for _ in range(2000)]

    threads = [threading.Thread(target=draw, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for ids in out for i in ids]
    assert len(set(every)) > len(every) - 5  # 36^6 ids: a repeat or two at most


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_draws_other_ids_than_its_parent() -> None:
    new_id(set())  # the parent holds unused random characters now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        os.write(write, ",".join(new_id(set()) for _ in range(20)).encode())
        os._exit(0)
    os.close(write)
    parent = [new_id(set()) for _ in range(20)]
    with os.fdopen(read, "rb") as pipe:
        child = pipe.read().decode().split(",")
    os.waitpid(pid, 0)
    assert len(child) == 20 and not set(child) & set(parent)
