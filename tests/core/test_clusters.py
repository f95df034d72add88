from __future__ import annotations

from flashcards.core.clusters import connected_groups, split_groups, weak_clusters


def test_connected_groups_biggest_first_in_node_order() -> None:
    groups = connected_groups(["a", "b", "c", "d", "e"], [("b", "a"), ("d", "e"), ("e", "c")])
    assert groups == [["c", "d", "e"], ["a", "b"]]


def test_weak_clusters_rank_by_mean_recall_and_list_domains() -> None:
    nodes = ["a", "b", "c", "d", "e", "f", "g"]
    edges = [("a", "b"), ("c", "d"), ("d", "e"), ("f", "g")]
    recall = {"a": 0.9, "b": 0.95, "c": 0.5, "d": 0.7, "e": None, "f": None, "g": None}
    domains = {"a": "Modeling", "b": "Modeling", "c": "Data", "d": "Modeling", "e": "Data"}
    found = weak_clusters(nodes, edges, recall=recall, domains=domains)
    assert [c.nodes for c in found] == [("c", "d", "e"), ("a", "b")]  # all-new group left out
    assert found[0].mean_recall == 0.6
    assert found[0].reviewed == 2
    assert found[0].domains == ("Data", "Modeling")
    everything = weak_clusters(nodes, edges, recall=recall, min_reviewed=0)
    assert everything[-1].nodes == ("f", "g") and everything[-1].mean_recall is None


def test_big_components_split_into_connected_communities() -> None:
    # Three cliques of 10 in a chain: one component, three communities.
    cliques = [[f"{g}{i}" for i in range(10)] for g in "xyz"]
    edges = [(a, b) for c in cliques for i, a in enumerate(c) for b in c[i + 1 :]]
    edges += [("x0", "y0"), ("y1", "z0")]
    nodes = [n for c in cliques for n in c]
    groups = split_groups(nodes, edges, max_size=15)
    assert sorted(sorted(g) for g in groups) == sorted(sorted(c) for c in cliques)
    assert split_groups(nodes, edges, max_size=100) == [nodes]
