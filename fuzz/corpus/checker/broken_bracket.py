def f(a, b):
    values = [a, b,
    return values


x = (1 + 2
