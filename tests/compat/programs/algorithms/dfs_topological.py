graph = {
    "shirt": ["tie", "belt"],
    "tie": ["jacket"],
    "pants": ["shoes", "belt"],
    "belt": ["jacket"],
    "socks": ["shoes"],
    "shoes": [],
    "jacket": [],
    "watch": [],
}


def topo_sort(g):
    visited, order = set(), []

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for nxt in g[node]:
            visit(nxt)
        order.append(node)

    for node in g:
        visit(node)
    return order[::-1]


order = topo_sort(graph)
print(order)
pos = {n: i for i, n in enumerate(order)}
print(all(pos[a] < pos[b] for a in graph for b in graph[a]))
