counter = 0


def bump():
    global counter
    counter += 1

    def inner():
        nonlocal_value = counter
        def deeper():
            nonlocal nonlocal_value
            nonlocal_value += 1
            return nonlocal_value
        return deeper()

    return inner()


squares = [x * x for x in range(10) if x % 2]
pairs = {k: v for k, v in zip("abc", range(3))}
gen = (y for row in [[1, 2], [3]] for y in row)
key = lambda item, default=None: item or default
if (n := len(squares)) > 3:
    print(n, pairs, list(gen), key(0))
