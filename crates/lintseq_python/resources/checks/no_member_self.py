#### attributes set in any method
class A:
    limit = 3
    def __init__(self):
        self.count = 0
    def setup(self):
        self.ready = True
    def m(self):
        return self.count, self.ready, self.limit, self.m, self.__class__

#### a read nobody defines
class A:
    def m(self):
        return self.total  # expect: E1101

#### an augmented assignment as the only binding
class A:
    def bump(self):
        self.total += 1  # expect: E1101

#### inherited from a base in the program
class Base:
    def __init__(self):
        self.name = "x"
class A(Base):
    def m(self):
        return self.name, self.other  # expect: E1101

#### a subclass's attributes do not count for the base
class Base:
    def m(self):
        return self.x  # expect: E1101
class A(Base):
    def __init__(self):
        self.x = 1

#### nested functions and lambdas in methods
class A:
    def __init__(self):
        def inner():
            self.x = 1
        inner()
        self.f = lambda: self.y  # expect: E1101
    def m(self):
        return self.x

#### class methods define through cls
class A:
    @classmethod
    def make(cls):
        cls.registry = {}
        return cls.anything  # expect: E1101
    def m(self):
        return self.registry

#### static methods have no receiver
class A:
    @staticmethod
    def s(self):
        return self.missing

#### __getattr__ turns the check off
class A:
    def __getattr__(self, name):
        return 1
    def m(self):
        return self.anything

#### mixins are not checked
class LoggingMixin:
    def log(self):
        return self.logger

#### annotations and class-level names count
class A:
    x: int
    def m(self):
        self.y: int
        return self.x, self.y

#### an unknown base may supply anything
import threading
class Worker(threading.Thread):
    def m(self):
        return self.name

#### an unknown base does not supply what the original class defined
import threading
class Worker(threading.Thread):
    def m(self):
        return self.jobs  # expect: E1101
#### original
import threading
class Worker(threading.Thread):
    def __init__(self):
        self.jobs = []
    def m(self):
        return self.jobs

#### attributes of a plain method
class Finder:
    def lookup(self, key):
        return key
    def reset(self):
        self.lookup.cache_clear()  # expect: E1101
        return self.lookup.__name__
