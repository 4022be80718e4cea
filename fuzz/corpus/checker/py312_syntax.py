type Alias[T] = list[T]


def first[T](items: list[T]) -> T:
    return items[0]


print(f"{'nested' + f"{1}"}")
