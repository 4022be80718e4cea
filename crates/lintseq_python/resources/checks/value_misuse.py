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

#### yield from a None value or a function that returns nothing
def helper(items):
    found = [x for x in items]
def walk(items):
    nothing = None
    yield from nothing  # expect: E1133
    yield from helper(items)  # expect: E1133

#### unpacking an attribute that only ever holds None
class Context:
    def __init__(self):
        self._exc_info = None
    def __exit__(self, type_, value, traceback):
        exc_type, exc_value, exc_tb = self._exc_info  # expect: E0633
        return exc_type, exc_value, exc_tb

#### a class-level annotation gives the attribute no value
class Reraise:
    __slots__ = ("_exc_info",)
    _exc_info: tuple

    def __exit__(self, type_, value, traceback):
        if type_ is None:
            exc_type, exc_value, exc_tb = self._exc_info  # expect: E0633
            self._exc_info = None
        else:
            self._exc_info = None

#### instance stores hide class-level values and methods of that name
class Kept:
    _exc_info = (None, None, None)

    def handler(self):
        pass

    def __exit__(self, type_, value, traceback):
        exc_type, exc_value, exc_tb = self._exc_info  # expect: E0633
        self._exc_info = None
        self.handler = None
        self.handler()  # expect: E1102

#### without instance stores, class-level values are not judged
class Quiet:
    _exc_info = None

    def __exit__(self, type_, value, traceback):
        exc_type, exc_value, exc_tb = self._exc_info

#### calling an instance of a class without __call__
class Ref:
    def __init__(self, target):
        self.target = target
    def __reduce__(self):
        return Ref, (self(),)  # expect: E1102
class Callable:
    def __call__(self):
        return 1
    def twice(self):
        return self() + self()

#### calling a property whose getter returns nothing
class File:
    @property
    def close(self, delete=False):
        self.handle = None
    @property
    def opener(self):
        return open(self.handle)
    def __exit__(self, exc_type, exc_value, traceback):
        self.opener()
        self.close(delete=exc_type is not None)  # expect: E1102
