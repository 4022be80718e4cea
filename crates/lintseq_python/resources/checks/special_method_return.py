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

#### a literal of the wrong type
class Wrong:
    def __repr__(self):  # expect: E0306
        return (
        )
    def __len__(self):  # expect: E0303
        return "3"
    def __bool__(self):  # expect: E0304
        return 1
    def __iter__(self):  # expect: E0301
        return []
    def __bytes__(self):  # expect: E0308
        return "b"
    def __getnewargs__(self):  # expect: E0312
        return [1]

#### literals of the right type, and values pylint cannot pin down
class Right:
    def __repr__(self):
        return "Right()"
    def __len__(self):
        return 3
    def __hash__(self):
        return True
    def __bool__(self):
        return not 1
    def __str__(self):
        if self:
            return 1
        return 2
    def __index__(self):
        return int(self)

#### returning what a method that returns nothing returns
class Range:
    def to_header(self):
        if self.length is None:  # expect: E1101
            length = "*"
    def __str__(self):  # expect: E0307
        return self.to_header()
    def __repr__(self):
        return self.describe()
    def describe(self):
        raise NotImplementedError
