# imports: reference (run against resources/imports/environment.txt)
#### from . import in a top-level module
from . import x  # expect: E0611
from . import a, b  # expect: E0611 E0611
from . import *
from . import (  # expect: E0611
    c,
)

#### the one name astroid's empty module has
from . import whatever

#### names of a namespace package are its submodules
from nspkg import a
from nspkg import nope  # expect: E0611
from nspkg import a, b, nope, deeper  # expect: E0611
from nspkg.deeper import leaf, nope  # expect: E0611
from nspkg import __path__, __name__
from .pk import z  # expect: E0611
from .pk import inner

#### names of regular modules are not checked
from os import nope
from regpkg import nope
from plainmod import X, nope

#### only fallback blocks, TYPE_CHECKING and version guards exempt it
try:
    from . import a
except ImportError:
    pass
try:
    x = 1
except ValueError:
    from . import b  # expect: E0611
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from . import c
import sys
if sys.version_info >= (3, 8):
    from . import d
from contextlib import suppress
with suppress(ImportError):
    from . import e  # expect: E0611

#### in any scope
class C:
    def m(self):
        from . import y  # expect: E0611
