#### return at module level
return 1  # expect: E0104

#### return in a class body
class A:
    return 1  # expect: E0104

#### return inside an if at module level
x = 1
if x:
    return 1  # expect: E0104

#### yield at module level
yield 1  # expect: E0105

#### yield in a function and a lambda is fine
def gen():
    yield 1
    yield from range(3)
f = lambda: (yield)

#### await outside async
def f(g):
    await g()  # expect: E1142

#### await inside async
async def f(g, h, y):
    await g()
    return [await h(x) for x in y]

#### break outside a loop
break  # expect: E0103

#### continue in a loop's else
for x in range(3):
    pass
else:
    continue  # expect: E0103

#### break in a function nested in a loop
for x in range(3):
    def f():
        break  # expect: E0103

#### break and continue inside loops
for x in range(3):
    if x:
        break
    while x:
        continue

#### duplicate argument names
def f(a, b, a):  # expect: E0108
    return a

#### duplicate keyword-only name
def f(a, *, a):  # expect: E0108
    return a

#### nonlocal without a binding
def outer():
    def inner():
        nonlocal count  # expect: E0117
        count = 1

#### nonlocal of a module name
count = 0
def f():
    nonlocal count  # expect: E0117
    count = 1

#### nonlocal at module level
nonlocal x  # expect: E0117
