"""How many independent origins a set of sources represents. Pure: no Django import.

Two sources are not independent if they come from the same outlet or are copies
of one story (same origin cluster); dependence is transitive, so the answer is
the number of connected groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable


def origin_groups(sources: Iterable[tuple[Hashable, Hashable]]) -> list[int]:
    """For each (outlet, origin cluster) in ``sources``, the number of its independent
    group (0, 1, … in order of first appearance); a None cluster is a cluster of its own."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    outlet_nodes = []
    for index, (outlet, cluster) in enumerate(sources):
        outlet_node = ("outlet", outlet)
        cluster_node = ("cluster", cluster if cluster is not None else ("alone", index))
        parent[find(outlet_node)] = find(cluster_node)
        outlet_nodes.append(outlet_node)
    numbering: dict[object, int] = {}
    return [numbering.setdefault(find(node), len(numbering)) for node in outlet_nodes]


def independent_origins(sources: Iterable[tuple[Hashable, Hashable]]) -> int:
    """``sources``: (outlet, origin cluster) per source; a None cluster is a cluster of its own."""
    return len(set(origin_groups(sources)))
