#### a classmethod without its decorator
class A:
    def make(cls):  # expect: E0213
        return cls()

#### no arguments at all
class A:
    def nothing():  # expect: E0211
        return 1

#### static and class methods, __new__ and metaclasses are exempt
class A:
    @staticmethod
    def s(x):
        return x
    @classmethod
    def c(cls):
        return cls
    def __new__(cls):
        return object.__new__(cls)
class Meta(type):
    def m(cls):
        return cls

#### with no parameters at all, only static methods are exempt (pylint checks E0211 first)
class B:
    @classmethod
    def c():  # expect: E0211
        return 1
    def __new__():  # expect: E0211
        return 1
    def kw(**kwargs):  # expect: E0213
        return kwargs
    @staticmethod
    def s():
        return 1
    def __init_subclass__():  # expect: E0211
        return 1
    def kwonly(*, a):  # expect: E0211
        return a
class Meta2(type):
    def m():  # expect: E0211
        return 1
