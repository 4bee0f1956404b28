"""Load generated source as a module object.

Only source that papermath generated is loaded: every name in it was allocated by
:class:`~papermath.backends.emit.Names` (checked identifiers) and the user's text appears
only in comments and docstrings, with line breaks removed. Nothing a user types runs.
"""

from __future__ import annotations

import types


def load_module(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__["__source__"] = source
    code = compile(source, f"<{name}>", "exec")
    exec(code, module.__dict__)
    return module
