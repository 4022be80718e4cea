#### the dataclass decorator deleted
from __future__ import annotations
from dataclasses import field
class State:
    dynamic: list = field(default_factory=list)  # expect: E3701
    rules: list = field(default_factory=list)  # expect: E3701

#### inside a dataclass, as the value of an annotated assignment
from dataclasses import dataclass, field
import dataclasses
@dataclass
class State:
    rules: list = field(default_factory=list)
@dataclasses.dataclass(frozen=True)
class Frozen:
    rules: list = dataclasses.field(default_factory=list)

#### inside a dataclass, but not as an annotated value
from dataclasses import dataclass, field
@dataclass
class State:
    rules = field(default_factory=list)  # expect: E3701
    def reset(self):
        return field()  # expect: E3701

#### at module level, in functions, and as an argument
import dataclasses as dc
from dataclasses import field, make_dataclass
x = dc.field()  # expect: E3701
def f():
    return field()  # expect: E3701
print(field())  # expect: E3701
Point = make_dataclass("Point", [("x", int, field(default=0))])

#### a field that is not dataclasses'
from attr import field
class A:
    x = field()
def field2():
    return 1
class B:
    y: int = field2()
