#### a parameter line of __exit__ deleted
class Lock:
    def __exit__(  # expect: E0302
        self,
        exc_type,
        exc_value,
    ):
        pass

#### too many and too few
class A:
    def __enter__(self, x):  # expect: E0302
        return self
    def __getitem__(self):  # expect: E0302
        return 1
    def __setitem__(self, key):  # expect: E0302
        pass
    async def __aexit__(self, a):  # expect: E0302
        pass
    def __len__(self):
        return 0

#### defaults and *args make up for missing parameters
class A:
    def __getitem__(self, key, default=None):
        return key
    def __setitem__(self, key, value=None, extra=None):
        pass
    def __getattr__(self, name, *rest):
        return name
    def __eq__(*args):  # expect: E0213
        return True
    def __ne__(self, *args):
        return False

#### ranges: __round__ takes 0 or 1, __pow__ 1 or 2
class N:
    def __round__(self, a, b):  # expect: E0302
        return 1
    def __pow__(self):  # expect: E0302
        return 1
    def __rpow__(self, other):
        return 1

#### static methods count every parameter, class methods do not
class A:
    @staticmethod
    def __len__(x):  # expect: E0302
        return 0
    @classmethod
    def __iter__(cls, x):  # expect: E0302
        return iter([])

#### positional-only parameters are not counted, as in pylint
class A:
    def __lt__(self, /, other):  # expect: E0302
        return True
    def __le__(self, other, /, more):  # expect: E0302
        return True

#### keyword-only parameters, __init__ and __call__, plain functions are not checked
class A:
    def __ge__(self, other, *, flag=False):
        return flag
    def __init__(self, a, b, c):
        pass
    def __call__(self):
        pass
def __exit__(self):
    pass

#### methods under if, try and with count
import sys
class A:
    if sys.version_info >= (3, 9):
        def __exit__(self, exc_type):  # expect: E0302
            pass
