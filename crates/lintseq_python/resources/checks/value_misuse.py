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

#### iterating over the result of a function that returns nothing
def items():
    data = [1, 2]
def f():
    for item in items():  # expect: E1133
        print(item)
    first, second = items()  # expect: E0633 E1111
    return items()[0]  # expect: E1136

#### unpacking into a call iterates
def options():
    pairs = []
def f(call):
    return call(*options())  # expect: E1133

#### attributes that only ever hold None
class Decoder:
    def __init__(self):
        self.decoder = None
        self.handler = None
    def reset(self, h):
        self.handler = h
    def decode(self, data):
        self.handler(data)
        return self.decoder(data)  # expect: E1102
