#### builtins and module names are defined
import os
from collections import OrderedDict as OD
print(len(os.sep), OD, __name__, __file__, __doc__, __builtins__, exit, help)

#### an unknown name
print(missing)  # expect: E0602

#### every occurrence is reported
print(q)  # expect: E0602
print(q)  # expect: E0602

#### names pylint does not define at module level
print(__dict__)  # expect: E0602
print(__annotations__)  # expect: E0602

#### function bodies see module names bound later
def f():
    return later
later = 1

#### locals of another function are invisible
def f():
    secret = 1
def g():
    return secret  # expect: E0602

#### class bodies are invisible from methods
class A:
    size = 3
    def m(self):
        return size  # expect: E0602

#### class bodies are invisible from comprehension bodies but not the first iterable
class A:
    xs = [1, 2]
    ys = [i for i in xs]
    zs = [xs for _ in range(3)]  # expect: E0602

#### comprehension variables do not leak
ys = [i for i in range(3)]
print(i)  # expect: E0602

#### walrus targets leak out of comprehensions
ys = [(z := i) for i in range(3)]
print(z)

#### lambda parameters and closures
k = 2
f = lambda x, y=k: x + y + k
g = lambda: x  # expect: E0602

#### global declarations redirect to the module
def f():
    global counter
    counter = 1
def g():
    return counter

#### a global that nothing binds
def f():
    global nothing
    return nothing  # expect: E0602

#### nonlocal finds the enclosing function
def outer():
    count = 0
    def inner():
        nonlocal count
        count += 1
        return count
    return inner

#### star imports make unknown names acceptable
from os.path import *
print(join, anything)

#### __class__ inside methods only
class A:
    def m(self):
        return __class__
print(__class__)  # expect: E0602

#### __module__ and __qualname__ in class bodies only
class A:
    where = __module__ + __qualname__
    def m(self):
        return __module__  # expect: E0602

#### import binds the first component only
import os.path
print(os, path)  # expect: E0602

#### deleting an undefined name
del nowhere  # expect: E0602

#### a name read after del
def f():
    x = 1
    del x
    return x  # expect: E0602

#### an except-as name is unbound after its handler
try:
    pass
except ValueError as err:
    print(err)
print(err)  # expect: E0606

#### an augmented assignment of a name bound nowhere
def f():
    count += 1  # expect: E0601

#### annotations are checked where they are evaluated
def f(a: Missing) -> int:  # expect: E0602
    return a

#### string annotations are not checked
def f(a: "Missing") -> "Other":
    return a

#### local variable annotations are not evaluated, but their names must exist
def f():
    x: Missing = 1  # expect: E0602
    y: Later = 2
    return x, y
class Later:
    pass

#### match capture patterns bind
def f(command):
    match command:
        case [verb, *rest]:
            return verb, rest
        case {"key": value, **others}:
            return value, others
        case Point(x=px) as whole:  # expect: E0602
            return px, whole

#### names in annotations of locals must exist
def f(number):
    Restrictions: 1 <= num <= 1000  # expect: E0602
    return number

#### a builtin where the original bound its own name
def pipeline(steps):
    for item in list[1:]:  # expect: E0602
        print(item)
#### original
def pipeline(steps):
    list = steps[:]
    for item in list[1:]:
        print(item)

#### behind a star import, a name the original bound itself
from os.path import *
def f(fd):
    return join(fd, nfd)  # expect: E0602
#### original
from os.path import *
def f(fd):
    nfd = fd + 1
    return join(fd, nfd)

#### a read that reaches an outer binding the original shadowed
from pdb import Pdb
import pdb
def main():
    pdb.run("x")  # expect: E0602
#### original
from pdb import Pdb
import pdb
def main():
    pdb = Pdb()
    pdb.run("x")

#### a global the original rebound inside the function is still the module's
def pager(text):
    pager(text)
#### original
def pager(text):
    global pager
    pager = get_pager()
    pager(text)

#### a class's own name rebound in its body is undefined there, as pylint sees it
class SecretBytes:
    from pydantic import BaseModel, SecretBytes
    print(SecretBytes(b'password'))  # expect: E0602
    A = [SecretBytes for _ in range(2)]  # expect: E0602

#### whatever binds it, but def and class
class A:
    for A in range(3):
        pass
    x = A  # expect: E0602
    if A:  # expect: E0602
        pass
    y: A = 2  # expect: E0602

#### not in the headers of defs and classes in the body, nor in methods
class A:
    A = 1
    @A
    def f(self, a=A) -> A:
        return A
    g = lambda: A

#### a def or class of that name is fine
class A:
    def A(self):
        pass
    x = A

class B:
    class B:
        pass
    x = B

#### another class's name is fine
class Foo:
    from os import SecretBytes
    x = SecretBytes
