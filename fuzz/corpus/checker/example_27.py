def rotate(items, k):
    if not items:
        return items
    k %= len(items)
    return items[-k:] + items[:-k]