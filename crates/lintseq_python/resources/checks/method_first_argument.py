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
