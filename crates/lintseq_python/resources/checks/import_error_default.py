#### a docstring's example became code: its import is unknown
from json import dumps


class Model:

    from pydantic import BaseModel  # expect: E0401
    import numpy as np, json  # expect: E0401
    import json, numpy  # expect: E0401
    from pydantic.types import Secret  # expect: E0401
    from __future__ import annotations
    import __main__
    import os.path, xml.dom.minidom, _io
    from . import sibling
    from .. import parent
    from .package import thing
#### original
from json import dumps


class Model:
    """Usage:

    from pydantic import BaseModel
    import numpy as np, json
    import json, numpy
    from pydantic.types import Secret
    from __future__ import annotations
    import __main__
    import os.path, xml.dom.minidom, _io
    from . import sibling
    from .. import parent
    from .package import thing
    """

#### what the original imports resolves, in any spelling it uses
import requests.adapters
from requests import Session, sessions
import requests.sessions
from requests.adapters import HTTPAdapter
import requests
from requests.nope import x  # expect: E0401
import urllib3  # expect: E0401
#### original
import requests.adapters
from requests import Session, sessions
from requests.adapters import HTTPAdapter

#### a package is known by the modules the original names, not their parents
import pydantic.types
from pydantic import BaseModel  # expect: E0401
#### original
import pydantic.types
"""from pydantic import BaseModel"""

#### guarded imports of unknown modules are exempt, as pylint exempts them when they fail
import typing

try:
    import simplejson as json
except ImportError:
    json = None

if typing.TYPE_CHECKING:
    from pydantic import BaseModel

try:
    import ujson
except ModuleNotFoundError:
    import simplejson

import simplejson  # expect: E0401
#### original
import typing

"""
try:
    import simplejson as json
except ImportError:
    json = None

if typing.TYPE_CHECKING:
    from pydantic import BaseModel

try:
    import ujson
except ModuleNotFoundError:
    import simplejson

import simplejson
"""

#### a program is its own original: its imports are known
import numpy as np
from pydantic import BaseModel
import a.b.c
from .. import x
