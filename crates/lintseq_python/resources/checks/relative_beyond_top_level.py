# imports: reference (run against resources/imports/environment.txt)
#### relative imports in a top-level module
from .mod import y  # expect: E0402
from .mod.sub import y  # expect: E0402
from .. import z  # expect: E0402
from ..pkg import z  # expect: E0402
from ... import z  # expect: E0402
from ..pk import z  # expect: E0402

#### a module file nearby is not an entry of that name
from .nearby import n  # expect: E0402

#### an entry of the temporary directory makes the import absolute
from .pk import inner
from .pk.inner import w
from .pk.nope import w  # expect: E0401 E0611
from .pk import *
from .plainfile import q  # expect: E0401
from .tmpnamespace import x

#### only handlers of ImportError itself exempt it
try:
    from .a import x
except ImportError:
    pass
try:
    from .b import x  # expect: E0402
except ModuleNotFoundError:
    pass

#### a fallback block does not exempt it
try:
    from .a import x  # expect: E0402
except ValueError:
    import json

#### guards
import sys
from typing import TYPE_CHECKING
from contextlib import suppress
if sys.version_info[:2] >= (3, 8):
    from .a import x
if TYPE_CHECKING:
    from .b import x
with suppress(ValueError, ImportError):
    from .c import x
try:
    pass
except ImportError:
    pass
finally:
    from .d import x

#### in any scope
def f():
    from .rel import x  # expect: E0402
