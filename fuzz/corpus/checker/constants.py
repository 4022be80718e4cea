NAMES = [
    "alpha",
    "beta",
]
TABLE = (
    (1, 2),
    (3, 4),
)
lower = [
    1,
]
__all__ = ["NAMES", "TABLE"]
from os.path import *
print(join(NAMES[0], TABLE[0]))
