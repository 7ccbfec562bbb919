"""How many independent origins a set of sources represents. Pure: no Django import.

Two sources are not independent if they come from the same outlet, are copies of
one story (same origin cluster), or vouch for what they say on the same named
source's authority (five outlets repeating the ministry are the ministry);
dependence is transitive, so the answer is the number of connected groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


class DisjointSets:
    """Connected groups of linked items (union-find with path halving): ``join(a, b)`` puts a's
    group into b's, ``find(x)`` names x's group by one of its items."""

    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}

    def find(self, node: Hashable) -> Hashable:
        parent = self._parent
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(self, a: Hashable, b: Hashable) -> None:
        self._parent[self.find(a)] = self.find(b)


def origin_groups(
    sources: Iterable[tuple[Hashable, Hashable]], *, vouched_by: Sequence[Hashable | None] = ()
) -> list[int]:
    """For each (outlet, origin cluster) in ``sources``, the number of its independent
    group (0, 1, … in order of first appearance); a None cluster is a cluster of its own.
    ``vouched_by``, when given, names for each source the one it speaks for (None: itself)."""
    groups = DisjointSets()
    outlet_nodes = []
    for index, (outlet, cluster) in enumerate(sources):
        outlet_node = ("outlet", outlet)
        cluster_node = ("cluster", cluster if cluster is not None else ("alone", index))
        groups.join(outlet_node, cluster_node)
        voucher = vouched_by[index] if index < len(vouched_by) else None
        if voucher is not None:
            groups.join(("voucher", voucher), cluster_node)
        outlet_nodes.append(outlet_node)
    numbering: dict[Hashable, int] = {}
    return [numbering.setdefault(groups.find(node), len(numbering)) for node in outlet_nodes]


def independent_origins(sources: Iterable[tuple[Hashable, Hashable]]) -> int:
    """``sources``: (outlet, origin cluster) per source; a None cluster is a cluster of its own."""
    return len(set(origin_groups(sources)))
