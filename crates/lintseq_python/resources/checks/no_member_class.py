#### class attributes through cls
class Registry:
    entries = {}
    @classmethod
    def add(cls, key):
        cls.cache = key
        return cls.entries, cls.cache, cls.__name__
    @classmethod
    def get(cls, key):
        return cls.missing  # expect: E1101

#### instance attributes are not class attributes
class A:
    def __init__(self):
        self.x = 1
    @classmethod
    def c(cls):
        return cls.x  # expect: E1101

#### attributes through the class name
class Color:
    RED = 1
    def method(self):
        return 2
print(Color.RED, Color.method, Color.BLUE)  # expect: E1101

#### an unknown base may supply anything the original did not define
import enum
class Color(enum.Enum):
    RED = 1
print(Color.RED, Color.GREEN)
