# imports: reference (run against resources/imports/environment.txt)
#### absolute imports of the standard library and of missing modules
import os
import os.path
import os.nope  # expect: E0401
import not_installed  # expect: E0401
import not_installed.sub  # expect: E0401
import json.decoder
import json.nope  # expect: E0401
import json, not_installed, os.nope  # expect: E0401 E0401
import not_installed as alias  # expect: E0401
import json.decoder as decoder_alias
from os import path
from json import decoder
from not_installed import x  # expect: E0401
from not_installed.sub import x  # expect: E0401
from json.nope import x  # expect: E0401
import xml.dom.minidom
import mödule  # expect: E0401

#### astroid's special cases
from __future__ import annotations
import __future__
import __main__
import _io
import sys.os
import sys.nope  # expect: E0401

#### multi-line imports are reported on their first line
from os import (
    path,
    sep,
)
from not_installed import (  # expect: E0401
    a,
    b,
)

#### packages, modules and namespace packages of the environment
import regpkg
import regpkg.sub
import regpkg.nope  # expect: E0401
import regpkg.subpkg.leaf
import regpkg.data
import regpkg.data.inner
import regpkg.data.nope  # expect: E0401
import nspkg
import nspkg.a
import nspkg.b
import nspkg.nope  # expect: E0401 E0611
import nspkg.deeper.leaf
import plainmod
import plainmod.nope  # expect: E0401
import pyipkg
import pyipkg.mod

#### modules astroid cannot build
import compiledonly  # expect: E0401
import stubbed
import onlystub  # expect: E0401
import cpkg  # expect: E0401
import cpkg.real
import extpkg  # expect: E0401
import extpkg.child  # expect: E0401
import extpkg.json

#### the first directory on the path that has the package wins
import pkgutilns.a
import pkgutilns.b
import plainpkg.a
import plainpkg.b  # expect: E0401
import shadowed
import shadowed.inside  # expect: E0401
import latepkg

#### the temporary directory is first on the path
import pk
import pk.inner
import pk.nope  # expect: E0401 E0611
import tmpnamespace.x
import nearby
import plainfile  # expect: E0401

#### six.moves resolves through astroid's brain
import six.moves
import six.moves.urllib
import six.moves.urllib.parse
import six.moves.configparser
import six.moves.winreg  # expect: E0401
import six.moves.nope  # expect: E0401
import six.moves.filter
from six.moves import urllib
from six.moves.urllib.parse import urlparse
import six.movesnope  # expect: E0401

#### try except ImportError and its spellings
try:
    import nope1
except ImportError:
    pass
try:
    import nope2
except ModuleNotFoundError:
    pass
try:
    import nope3
except (ValueError, ImportError):
    pass
try:
    import nope4
except ImportError or ValueError:
    pass
try:
    import nope5
except ImportError as error:
    raise

#### handlers that do not name ImportError
try:
    import nope1  # expect: E0401
except Exception:
    pass
try:
    import nope2  # expect: E0401
except:
    pass
try:
    import nope3  # expect: E0401
except ValueError:
    pass
import builtins
try:
    import nope4  # expect: E0401
except builtins.ImportError:
    pass

#### fallback blocks
try:
    import nope1
except ValueError:
    import nope2
try:
    pass
except ValueError:
    import nope3  # expect: E0401
try:
    import json
except ValueError:
    import nope4

#### else and finally count as the try body
try:
    pass
except ValueError:
    pass
else:
    import nope1  # expect: E0401
try:
    pass
finally:
    import nope2  # expect: E0401
try:
    pass
except ImportError:
    pass
finally:
    import nope3

#### only the nearest try counts
try:
    try:
        pass
    except ValueError:
        import nope1  # expect: E0401
except ImportError:
    pass
try:
    if True:
        import nope2
except ImportError:
    pass
try:
    def f():
        import nope3
except ImportError:
    pass

#### try star bodies do not guard, their handlers are fallback blocks
try:
    import nope1  # expect: E0401
except* ImportError:
    pass
try:
    pass
except* ValueError:
    import nope2  # expect: E0401
try:
    import json
except* ValueError:
    import nope3

#### version guards
import sys
if sys.version_info >= (3, 8):
    import nope1
else:
    import nope2
if sys.version_info[0] == 3:
    import nope3
if (3, 8) <= sys.version_info:
    import nope4  # expect: E0401
if sys.version_info >= (3, 8) and True:
    import nope5  # expect: E0401
if sys.version_info >= (3, 8):
    if True:
        import nope6  # expect: E0401
if True:
    pass
elif sys.version_info >= (3, 8):
    import nope7
else:
    import nope8
if six.PY2:  # expect: E0602
    import nope9
if six.PY3:  # expect: E0602
    import nope10

#### TYPE_CHECKING from typing
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import nope1
else:
    import nope2
if not TYPE_CHECKING:
    import nope3  # expect: E0401
if True:
    pass
elif TYPE_CHECKING:
    import nope4
def f():
    if TYPE_CHECKING:
        if True:
            import nope5
    import nope6  # expect: E0401

#### typing.TYPE_CHECKING
import typing
import typing as t
if typing.TYPE_CHECKING:
    import nope1
if t.TYPE_CHECKING:
    import nope2
if other.TYPE_CHECKING:  # expect: E0602
    import nope3  # expect: E0401

#### typing among other modules of one import
import contextlib, typing as tp
if tp.TYPE_CHECKING:
    import nope1
with contextlib.suppress(ImportError):
    import nope2

#### TYPE_CHECKING bound to False
TYPE_CHECKING = False
if TYPE_CHECKING:
    import nope1

#### TYPE_CHECKING bound to True, elsewhere, or not at all
TYPE_CHECKING = True
if TYPE_CHECKING:
    import nope1  # expect: E0401

#### TYPE_CHECKING from another module
from not_installed import TYPE_CHECKING  # expect: E0401
if TYPE_CHECKING:
    import nope1  # expect: E0401

#### TYPE_CHECKING unbound
if TYPE_CHECKING:  # expect: E0602
    import nope1  # expect: E0401

#### contextlib.suppress
import contextlib
from contextlib import suppress
with suppress(ImportError):
    import nope1
with contextlib.suppress(ImportError):
    import nope2
with suppress(ModuleNotFoundError):
    import nope3  # expect: E0401
with suppress((ValueError, ImportError)):
    import nope4
with open("f"), suppress(ImportError):
    import nope5

#### suppress must be contextlib's
with suppress(ImportError):  # expect: E0602
    import nope1  # expect: E0401

#### imports in any scope
def f():
    import nope1  # expect: E0401
class C:
    import nope2  # expect: E0401
for i in range(3):
    import nope3  # expect: E0401
while False:
    import nope4  # expect: E0401
with open("f") as handle:
    import nope5  # expect: E0401
match 1:
    case 1:
        import nope6  # expect: E0401
