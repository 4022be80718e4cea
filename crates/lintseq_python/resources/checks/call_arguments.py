#### a call that fits
def area(width, height=1, *, unit="m"):
    return width * height
area(3)
area(3, 4, unit="cm")
area(width=3, height=4)

#### a missing argument
def area(width, height):
    return width * height
area(  # expect: E1120
    3,
)

#### too many arguments
def one(a):
    return a
one(1, 2)  # expect: E1121

#### keyword trouble
def f(a, b=2, *, c):
    return a + b + c
f(1, c=3, d=4)  # expect: E1123
f(1, a=2, c=3)  # expect: E1124
f(1)  # expect: E1125

#### star arguments make counts unknowable
def f(a, b):
    return a + b
args = (1, 2)
kwargs = {}
f(*args)
f(1, **kwargs)

#### methods through self and constructors
class Box:
    def __init__(self, size):
        self.size = size
    def grow(self, by):
        return Box(self.size + by)
    def shrink(self):
        return self.grow()  # expect: E1120
Box()  # expect: E1120
Box(1, 2)  # expect: E1121

#### decorated functions and builtins are not checked
import functools
@functools.lru_cache
def cached(a, b):
    return a + b
cached(1)
len()

#### a callee we cannot see keeps the arguments of the original
import codecs
info = codecs.CodecInfo(  # expect: E1120
    encode=None,
)
#### original
import codecs
info = codecs.CodecInfo(
    encode=None,
    decode=None,
)

#### an unseen callee may be called with the original's arguments or more
import codecs
info = codecs.CodecInfo(
    encode=None,
    decode=None,
)
#### original
import codecs
info = codecs.CodecInfo(
    encode=None,
    decode=None,
)

#### stacked decorators act as the outermost
class Finder:
    @staticmethod
    @classmethod
    def search(cls, name):
        return name
    @classmethod
    def find(cls, name):
        return cls.search(name)  # expect: E1120
