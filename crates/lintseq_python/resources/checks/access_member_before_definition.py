#### a read before the only assigning method's first store
class A:
    def decode(self, data):
        data = self.buffer + data  # expect: E0203
        self.buffer = data[1:]

#### a read on the line of the store is not before it
class A:
    def __init__(self):
        self.count = self.count + 1

#### a read after the first store
class A:
    def __init__(self):
        self.count = 0
        self.count = self.count + 1

#### stores in several methods are not judged
class A:
    def reset(self):
        self.count = 0
    def bump(self):
        print(self.count)
        self.count = 1

#### class-level defaults count
class A:
    count = 0
    def bump(self):
        print(self.count)
        self.count = 1
