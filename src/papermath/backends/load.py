"""Load generated source as a module object, after checking it.

Only source that papermath generated is loaded: every name in it was allocated by
:class:`~papermath.backends.emit.Names` (checked identifiers) and the user's text appears
only in comments (line breaks and control characters removed) or ``repr()`` literals. Before
it runs, :func:`~papermath.backends.verify.verify` parses it and checks it against what the
generators emit (docs/security.md); a module that fails is never executed.
"""

from __future__ import annotations

import types

from .verify import verify


def load_module(source: str, name: str) -> types.ModuleType:
    verify(source, name)
    module = types.ModuleType(name)
    module.__dict__["__source__"] = source
    code = compile(source, f"<{name}>", "exec")
    exec(code, module.__dict__)
    return module
