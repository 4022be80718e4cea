#### a method deleted, called on an instance made in place
class Headers:
    def __init__(self, raw):
        self.raw = raw
def items(raw):
    return Headers(raw).multi_items()  # expect: E1101

#### defined members, attributes set in methods, and object's members are fine
class Headers:
    def __init__(self, raw):
        self.raw = raw
    def multi_items(self):
        return list(self.raw)
def items(raw):
    return Headers(raw).multi_items(), Headers(raw).raw, Headers(raw).__class__

#### unknown bases only lose what the original class defined
import typing
class Mapping(typing.Mapping):
    def __init__(self, data):
        self.data = data
def use(data):
    Mapping(data).keys()
    return Mapping(data).multi_items()  # expect: E1101
#### original
import typing
class Mapping(typing.Mapping):
    def __init__(self, data):
        self.data = data
    def multi_items(self):
        return list(self.data)
def use(data):
    Mapping(data).keys()
    return Mapping(data).multi_items()
