#### iterating over None
def f():
    result = None
    for item in result:  # expect: E1133
        print(item)

#### a later assignment makes it iterable
def f(g):
    result = None
    result = g()
    for item in result:
        print(item)

#### a conditional assignment of something unknown keeps it quiet
def f(c, g):
    result = None
    if c:
        result = g()
    return [x for x in result]

#### membership, subscripts, unpacking
def f():
    seen = None
    total = 0
    items = set()
    if 1 in seen:  # expect: E1135
        return total[0]  # expect: E1136
    first, second = seen  # expect: E0633
    items[0] = 1  # expect: E1137
    return items[0], first, second  # expect: E1136

#### raising, calling and entering None
def f():
    error = None
    callback = None
    lock = None
    with lock:  # expect: E1129
        callback()  # expect: E1102
    raise error  # expect: E0702

#### lists and dicts support item assignment
def f():
    xs = []
    d = {}
    xs[0] = 1
    d["k"] = 2
    del d["k"]
    return xs, d
