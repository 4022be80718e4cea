#### a function defined twice
def loads(text):
    return text
def loads(text):  # expect: E0102
    return text

#### branches of an if/else that lost their lines
import sys
def f():
    pass
def f():  # expect: E0102
    return sys

#### exclusive branches are fine
import sys
if sys.version_info >= (3, 8):
    def f():
        pass
elif sys.version_info >= (3, 6):
    def f():
        pass
else:
    def f():
        pass

#### a try body and its handler, two handlers, the else and a handler
try:
    from json import loads
except ImportError:
    def loads(text):
        return text
try:
    pass
except ValueError:
    def g():
        pass
except TypeError:
    def g():
        pass
try:
    import h
except ImportError:
    pass
else:
    def h():  # expect: E0102
        pass

#### a try body and its else, finally, or a loop's else are not exclusive
try:
    def a():
        pass
finally:
    def a():  # expect: E0102
        pass
while True:
    def c():
        pass
else:
    def c():  # expect: E0102
        pass

#### compared with the first binding only
import sys
if sys.platform:
    def f():
        pass
else:
    def f():
        pass
def f():  # expect: E0102
    pass

#### imports, assignments, loop variables, parameters and globals count
import os
def os():  # expect: E0102
    pass
x = 1
def x():  # expect: E0102
    pass
for h in range(2):
    pass
def h():  # expect: E0102
    pass
def g(q, *args):
    def q():  # expect: E0102
        pass
    def args():  # expect: E0102
        pass
    return q, args
def m():
    global zz
    zz = 1
def zz():  # expect: E0102
    pass

#### a plain annotated assignment does not count, nor does del
y: int = 3
def y():
    pass
def e():
    pass
del e
def e():  # expect: E0102
    pass

#### methods and classes
class K:
    def m(self):
        pass
    def m(self):  # expect: E0102
        pass
    __module__ = "k"
    def __module__(self):
        pass
class K:  # expect: E0102
    pass

#### property setters, deleters and overloads are exempt
from typing import overload
import typing
class P:
    @property
    def p(self):
        return 1
    @p.setter
    def p(self, value):
        pass
    @p.deleter
    def p(self):
        pass
@overload
def o(a: int) -> int: ...
@typing.overload
def o(a: str) -> str: ...
def o(a):
    return a

#### singledispatch registrations are exempt
from functools import singledispatch
@singledispatch
def show(value):
    return value
@show.register(int)
def show_int(value):
    return value
@show.register
def show_int(value: str):
    return value

#### if not f and if f is None are exempt, other conditions are not
def d():
    pass
if not d:
    def d():
        pass
if d is None:
    def d():
        pass
if d:
    def d():  # expect: E0102
        pass

#### dummy names are exempt
def _helper():
    pass
def _helper():
    pass
def dummy_thing():
    pass
def dummy_thing():
    pass
def _both_():  # a trailing underscore is not a dummy name
    pass
def _both_():  # expect: E0102
    pass

#### match cases and with blocks are not exclusive
match 1:
    case 1:
        def mm():
            pass
    case _:
        def mm():  # expect: E0102
            pass

#### a walrus binds in the frame, a comprehension variable does not
[w for w in range(3)]
def w():
    pass
(ww := 3)
def ww():  # expect: E0102
    pass

#### the redefinition is reported on its def line, not its decorator's
import functools
def cached():
    pass
@functools.lru_cache
def cached():  # expect: E0102
    pass
