#### a continuation line that lost the operand before its operator
def describe():
    return (
        + "second part"  # expect: E1130
    )

#### literals, constructor calls and names
def f(y, c):
    b = -[1, 2]  # expect: E1130
    d = ~1.5  # expect: E1130
    e = -None  # expect: E1130
    g = +(1, 2)  # expect: E1130
    h = -{}  # expect: E1130
    k = +list(y)  # expect: E1130
    m = -str(y)  # expect: E1130
    u = -b"x"  # expect: E1130
    v = -...  # expect: E1130
    s = "abc"
    p = -s  # expect: E1130
    x = None
    if c:
        x = 5
    o = -x  # expect: E1130
    w = -(1 if c else "a")  # expect: E1130
    return b, d, e, g, h, k, m, u, v, p, o, w

#### numbers, booleans and what pylint cannot infer are fine
def f(y, c):
    i = ~True
    j = -1.5
    n = -f"{y}"
    q = -len(y)
    r = -sorted(y)
    t = -y
    z = not "a"
    return i, j, n, q, r, t, z

#### the one value a method of this program returns
class MultiDict:
    def __init__(self, items):
        self._list = list(items)
    def multi_items(self):
        return list(self._list)
    def merged(self, other):
        return (
            + MultiDict(other).multi_items()  # expect: E1130
        )
    def negated(self):
        return -self.multi_items()  # expect: E1130
