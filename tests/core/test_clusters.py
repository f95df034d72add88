from __future__ import annotations

import pytest

from flashcards.core.clusters import connected_groups, split_groups, weak_clusters


def test_connected_groups_biggest_first_in_node_order() -> None:
    groups = connected_groups(["a", "b", "c", "d", "e"], [("b", "a"), ("d", "e"), ("e", "c")])
    assert groups == [["c", "d", "e"], ["a", "b"]]


def test_weak_clusters_rank_by_what_is_known_and_list_domains() -> None:
    nodes = ["a", "b", "c", "d", "e", "f", "g"]
    edges = [("a", "b"), ("c", "d"), ("d", "e"), ("f", "g")]
    recall = {"a": 0.9, "b": 0.95, "c": 0.5, "d": 0.7, "e": None, "f": None, "g": None}
    domains = {"a": "Modeling", "b": "Modeling", "c": "Data", "d": "Modeling", "e": "Data"}
    found = weak_clusters(nodes, edges, recall=recall, domains=domains)
    assert [c.nodes for c in found] == [("c", "d", "e"), ("a", "b")]  # all-new group left out
    assert found[0].mean_recall == 0.6
    assert found[0].reviewed == 2 and found[0].new == 1
    assert found[0].known == pytest.approx(1.2 / 3)  # the new card counts as unknown
    assert found[0].forgotten == pytest.approx(2 / 3 - 1.2 / 3)
    assert found[0].domains == ("Data", "Modeling")
    everything = weak_clusters(nodes, edges, recall=recall, min_reviewed=0)
    assert everything[0].nodes == ("f", "g") and everything[0].mean_recall is None
    assert everything[0].known == 0.0


def test_new_cards_count_as_unknown_not_strong() -> None:
    """Day one: a group of ten with one card answered a minute ago (recall 100 %) is
    barely known, and ranks below a smaller group reviewed and half forgotten."""
    big = [f"b{i}" for i in range(10)]
    small = ["s0", "s1", "s2"]
    edges = [(big[i], big[i + 1]) for i in range(9)] + [("s0", "s1"), ("s1", "s2")]
    recall: dict[str, float | None] = dict.fromkeys(big)
    recall["b0"] = 1.0
    recall.update({"s0": 0.5, "s1": 0.5, "s2": 0.5})
    found = weak_clusters(big + small, edges, recall=recall)
    assert [c.nodes[0] for c in found] == ["b0", "s0"]
    assert found[0].mean_recall == 1.0 and found[0].known == pytest.approx(0.1)
    assert found[1].known == pytest.approx(0.5)


def test_clusters_are_named_by_their_central_cards_and_a_shared_tag() -> None:
    # A star around "Precision" with "Recall" as the second hub; most carry "metrics".
    nodes = ["p", "r", "f", "a", "x"]
    edges = [("p", "r"), ("p", "f"), ("p", "a"), ("r", "f"), ("x", "r")]
    titles = {"p": "Precision", "r": "Recall", "f": "F1 score", "a": "Accuracy", "x": "PR curve"}
    tags = {"p": ["metrics"], "r": ["metrics", "hard"], "f": ["metrics"], "a": [], "x": ["metrics"]}
    recall = dict.fromkeys(nodes, 0.7)
    (cluster,) = weak_clusters(nodes, edges, recall=recall, titles=titles, tags=tags)
    assert cluster.hubs == ("p", "r")
    assert cluster.tag == "metrics"
    assert cluster.name == "Precision · Recall (#metrics)"
    # Without a tag most of them share, the titles alone name it.
    (plain,) = weak_clusters(nodes, edges, recall=recall, titles=titles, tags={"p": ["hard"]})
    assert plain.name == "Precision · Recall" and plain.tag is None


def test_big_components_split_into_connected_communities() -> None:
    # Three cliques of 10 in a chain: one component, three communities.
    cliques = [[f"{g}{i}" for i in range(10)] for g in "xyz"]
    edges = [(a, b) for c in cliques for i, a in enumerate(c) for b in c[i + 1 :]]
    edges += [("x0", "y0"), ("y1", "z0")]
    nodes = [n for c in cliques for n in c]
    groups = split_groups(nodes, edges, max_size=15)
    assert sorted(sorted(g) for g in groups) == sorted(sorted(c) for c in cliques)
    assert split_groups(nodes, edges, max_size=100) == [nodes]
