#### a docstring's example turned into code
def pairs():
    () (0, 1, 2) (3, 4, 5, 6)  # expect: E1102

#### literals of every kind
def f(y):
    [1]()  # expect: E1102
    {}()  # expect: E1102
    {1}()  # expect: E1102
    "abc"(1)  # expect: E1102
    b"x"()  # expect: E1102
    1()  # expect: E1102
    1.5()  # expect: E1102
    1j()  # expect: E1102
    None()  # expect: E1102
    True()  # expect: E1102
    ...()  # expect: E1102
    (y, 2)()  # expect: E1102
    return y

#### what pylint computes from literals
def f(y):
    (1 + 2)()  # expect: E1102
    (-1)()  # expect: E1102
    (not 1)()  # expect: E1102
    ("a" + "b")()  # expect: E1102
    ([1] + [2])()  # expect: E1102
    ("a" * 2)()  # expect: E1102
    (1 < 2)()  # expect: E1102
    (1 if y else 2)()  # expect: E1102
    (1 or 2)()  # expect: E1102
    (1, y)[0]()  # expect: E1102
    "abc"[0]()  # expect: E1102
    lambda: 1()  # expect: E1102
    return y

#### what pylint cannot infer is left alone
def f(y):
    [x for x in y]()
    (x for x in y)()
    {x: 1 for x in y}()
    f"{y}"()
    (*y,)()
    [*y]()
    {**y}()
    (1 if y else [])()
    (y and 1)()
    (not y)()
    (-y)()
    (1, y)[1]()
    (1 + "a")()
    (1 / 0)()
    (y := 3)()
    (lambda: 1)()
    return y

#### a parenthesized callee is reported where its parenthesis opens
def f():
    return (  # expect: E1102
        1
    )()
