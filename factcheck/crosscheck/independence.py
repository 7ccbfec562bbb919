"""How many independent origins a set of sources represents. Pure: no Django import.

Two sources are not independent if they come from the same outlet or are copies
of one story (same origin cluster); dependence is transitive, so the answer is
the number of connected groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable


def independent_origins(sources: Iterable[tuple[Hashable, Hashable]]) -> int:
    """``sources``: (outlet, origin cluster) per source; a None cluster is a cluster of its own."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    groups = set()
    for index, (outlet, cluster) in enumerate(sources):
        outlet_node = ("outlet", outlet)
        cluster_node = ("cluster", cluster if cluster is not None else ("alone", index))
        parent[find(outlet_node)] = find(cluster_node)
        groups.add(outlet_node)
    return len({find(node) for node in groups})
