"""Bridges: the cards that tie domains together."""

from __future__ import annotations

from flashcards.core.bridges import bridges


def test_cards_linked_across_domains_strongest_ties_first() -> None:
    nodes = ["hub", "two", "one", "inside", "loose", "other"]
    domains = {
        "hub": "Modeling",
        "two": "Data",
        "one": "Data",
        "inside": "Data",
        "loose": None,
        "other": "Operations",
    }
    edges = [
        ("hub", "two"),  # Modeling - Data
        ("hub", "other"),  # Modeling - Operations
        ("one", "hub"),  # Data - Modeling
        ("inside", "one"),  # inside Data: not a bridge
        ("loose", "hub"),  # no domain: not across
        ("two", "hub"),  # the same pair again, the other way: counts as a link
    ]
    recall = {"hub": 0.95, "two": None, "one": 0.4, "other": 0.9}
    found = bridges(nodes, edges, domains=domains, recall=recall)
    assert [b.node for b in found] == ["hub", "two", "one", "other"]
    hub = found[0]
    assert hub.domain == "Modeling" and hub.reaches == ("Data", "Operations") and hub.links == 4
    assert found[1].links == 2 and found[1].recall is None  # new: unknown
    assert found[2].recall == 0.4 and found[2].reaches == ("Modeling",)
    assert bridges(nodes, [("inside", "one")], domains=domains, recall=recall) == []
