#### module level: read before the assignment
print(x)  # expect: E0601
x = 1

#### a call before the def at module level
f()  # expect: E0601
def f():
    pass

#### a class base defined later
class A(B):  # expect: E0601
    pass
class B:
    pass

#### function level: read before the assignment
def f():
    print(v)  # expect: E0601
    v = 1

#### a local hides the module name
x = 0
def f():
    print(x)  # expect: E0601
    x = 1

#### x = x + 1 on an unbound local
def f():
    x = x + 1  # expect: E0601

#### augmented assignment of an unbound local that shadows a module name
count = 0
def f():
    count += 1  # expect: E0601

#### comprehensions run in place
def f():
    ys = [y for _ in range(3)]  # expect: E0601
    y = 1

#### lambdas run later
f = lambda: y
y = 1

#### bare annotation then read
x: int
print(x)  # expect: E0601

#### a name bound in an if without else
import random
if random.random():
    x = 1
print(x)  # expect: E0606

#### both branches bind
c = 1
if c:
    x = 1
else:
    x = 2
print(x)

#### the other branch leaves
def f(c):
    if c:
        x = 1
    else:
        return 0
    return x

#### elif chain without else
c = d = 1
if c:
    x = 1
elif d:
    x = 2
print(x)  # expect: E0606

#### the other branch prints
c = 1
if c:
    x = 1
else:
    print("no")
print(x)  # expect: E0606

#### def under if is certain
c = 1
if c:
    def g():
        return 1
print(g())

#### a module name bound under the main guard and read in a function
def main():
    return args  # expect: E0606
if __name__ == "__main__":
    args = 1
    main()

#### the same test guards the read
verbose = True
if verbose:
    start = 1
if verbose:
    print(start)

#### a binding in the try body holds after the try
try:
    x = int("1")
except ValueError:
    pass
print(x)

#### a try-body binding read in its handler
try:
    x = int("1")
except ValueError:
    print(x)  # expect: E0606

#### a handler-only binding read after the try
try:
    pass
except ValueError:
    v = 1
print(v)  # expect: E0606

#### a handler binding holds when the try body returns
def f(cache, key):
    try:
        return cache[key]
    except KeyError:
        value = 1
    return value

#### loop bindings count after the loop
for i in range(3):
    x = i
print(x, i)

#### in a function, a read inside a for loop that binds the name later
def f(items):
    for item in items:
        if item:
            print(prev)
        prev = item

#### at module level the same loop is flagged
items = []
for item in items:
    print(prev)  # expect: E0601
    prev = item

#### while loops get no exemption
def f():
    while True:
        print(x)  # expect: E0601
        x = 1

#### default values run where the def stands
def f(a=later):  # expect: E0601
    return a
later = 1

#### a name read after rebinding following del
def f():
    x = 1
    del x
    x = 2
    return x

#### an augmented assignment inside an if is not its own binding
def f(s):
    if s:
        n += 1  # expect: E0601

#### a binding under a nested if does not hold after the loop
def f(n):
    primes = []
    for i in range(2, n):
        for j in range(2, i):
            if i % j == 0:
                is_prime = False
        if is_prime:  # expect: E0606
            primes.append(i)
    return primes
