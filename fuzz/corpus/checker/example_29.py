def dfs(graph, start):
    seen = set()
    order = []
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        for neighbour in reversed(graph.get(node, [])):
            if neighbour not in seen:
                stack.append(neighbour)
    return order