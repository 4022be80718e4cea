import os
from collections import defaultdict


class Base:
    LIMIT = 10

    def __init__(self, name, *, size=3):
        self.name = name
        self.size = size
        self._cache = defaultdict(list)

    @property
    def label(self):
        return f"{self.name}:{self.size!r:>4}"

    def add(self, key, value):
        if len(self._cache[key]) >= self.LIMIT:
            raise ValueError("full")
        self._cache[key].append(value)
        return self


class Child(Base):
    def __init__(self, name):
        super().__init__(name, size=5)
        self.extra = os.sep

    def __len__(self):
        return sum(len(v) for v in self._cache.values())

    def __repr__(self):
        return "Child(%s, %d)" % (self.name, len(self))
