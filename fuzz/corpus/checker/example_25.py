def broken(x)
    return x + 1