#### a repr without return
class Point:
    def __repr__(self):  # expect: E0306
        text = "Point()"

#### iter, len and str without return
class Bag:
    def __iter__(self):  # expect: E0301
        items = []
    def __len__(self):  # expect: E0303
        return
    def __str__(self):  # expect: E0307
        print("bag")

#### proper returns, generators, abstract bodies
class Fine:
    def __iter__(self):
        yield 1
    def __len__(self):
        return 3
    def __repr__(self):
        raise NotImplementedError
    def __str__(self):
        pass
    def __hash__(self):
        ...

#### __iter__ returning self needs __next__
class Stream:
    def __iter__(self):  # expect: E0301
        return self

#### with __next__ it is an iterator
class Stream:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration
