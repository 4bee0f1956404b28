r"""Notation rule ``entry-of-a-value``: ``h(u,v)_i = u_i*v_i``, the entry i of a function's
value written from the entries i of its arguments (StellarGraph's link operators).

What people write (StellarGraph's ``LinkEmbedding`` docstring)::

    h(u,v)_i = u_i*v_i          (hadamard)
    l_1(u,v)_i = |u_i-v_i|      (L1 operator)
    l_2(u,v)_i = (u_i-v_i)^2    (L2 operator)

How papermath reads it: the left side names the entry i of the value ``h(u,v)``, and the body
takes the entry i of each argument (u_i, v_i) and nothing else: i is an entry index, the
formula says what happens to each entry, and the function is entrywise. Read as the definition
``h(u,v) = u \odot v`` (``|u - v|`` the absolute value entry by entry, ``(u - v)^2`` the square
entry by entry): u and v vectors of one size, the function's value a vector of that size. The
readings quote what decided it.

Only where every symbol of the body is an argument with the subscript i (no argument used
whole, no other symbol carrying i, no other symbol at all: a weight ``w_i`` or a scalar would
need its own reading), numbers aside, and the body is built from ``+``, ``-``, products
(``*``, ``\cdot``, side by side), ``|...|``, parentheses and a power by a number, each of
which on entries is the same operation entry by entry. Otherwise the doubt stands
(parse/doubts.py: u_i carries the i of h(u,v)_i, and nothing says what i is).

Examples that read::

    h(u,v)_i = u_i*v_i

    l_1(u,v)_i = |u_i-v_i|
"""

from __future__ import annotations

import dataclasses
import re

from . import ast

_PRODUCTS = ("*", "cdot", "ast")
# functions that act on a number, so on a vector entry by entry
_ENTRYWISE = ("exp", "log", "ln", "tanh")
_SUMS = ("+", "-")


@dataclasses.dataclass(frozen=True)
class EntryDefinition(ast.Definition):
    """``h(u,v)_i = u_i*v_i`` read as ``h(u,v) = u \\odot v``, with the reason (``said``)."""

    said: str = ""
    reading: str = "entry of a function's value"


def _squeeze(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def _entrywise(node: ast.Node, args: set[str], i: str) -> bool:
    """Whether ``node`` is built only from entries ``a_i`` of the arguments, numbers and
    operations that act entry by entry (and sums over all the entries of the arguments,
    one number: the softmax's ``\\sum_{l=1}^{k} \\exp(z_l)``)."""
    match node:
        case ast.Number():
            return True
        case ast.Sub(base=ast.Letter(name=name), script=ast.Letter(name=script)):
            return name in args and script == i
        case ast.Paren(body=body) | ast.Abs(body=body) | ast.Neg(body=body):
            return _entrywise(body, args, i)
        case ast.BinOp(op=op, left=left, right=right) if op in _PRODUCTS + _SUMS:
            return _entrywise(left, args, i) and _entrywise(right, args, i)
        case ast.Juxt(left=left, right=right):
            return _entrywise(left, args, i) and _entrywise(right, args, i)
        case ast.Sup(base=base, script=ast.Number()):
            return _entrywise(base, args, i)
        case ast.Frac(num=num, den=den):
            return _entrywise(num, args, i) and _entrywise(den, args, i)
        case ast.ApplyPrefix(func=ast.FunctionName(name=name), arg=arg) if name in _ENTRYWISE:
            return _entrywise(arg, args, i)
        case ast.Sup(base=ast.Letter(name="e"), script=script):  # e^{z_i}
            return _entrywise(script, args, i)
        case ast.BigOp(op="sum", sub=sub, body=body):
            # \sum_{l=1}^{k} \exp(z_l): every entry of the arguments summed, one number
            over = _over(sub)
            return (
                over is not None
                and over != i
                and over not in args
                and _entrywise(body, args, over)
                and _has_entry(body)
            )
    return False


def _over(sub: ast.Node | None) -> str | None:
    """l of ``\\sum_l`` or ``\\sum_{l=1}``; None otherwise."""
    match sub:
        case ast.Letter(name=name):
            return name
        case ast.ScriptEq(left=ast.Letter(name=name), right=ast.Number(text="1")):
            return name
    return None


def _has_entry(node: object) -> bool:
    """Whether an entry ``a_i`` stands in ``node`` outside a sum over the entries."""
    if isinstance(node, ast.BigOp):
        return False
    if isinstance(node, ast.Sub):
        return True
    if isinstance(node, ast.Node):
        return any(_has_entry(getattr(node, f.name)) for f in dataclasses.fields(node))
    if isinstance(node, tuple | list):
        return any(_has_entry(item) for item in node)
    return False


def _whole(node: ast.Node) -> ast.Node:
    """``node`` with each entry ``a_i`` written as the whole ``a``, and each product of two
    entries as ``\\odot`` (a product of two numbers, entry by entry)."""
    match node:
        case ast.Sub(base=base):
            return base
        case ast.BinOp(op=op, left=left, right=right) if op in _PRODUCTS:
            new = dataclasses.replace(node, left=_whole(left), right=_whole(right))
            if _has_entry(left) and _has_entry(right):
                return dataclasses.replace(new, op="odot")
            return new
        case ast.Juxt(left=left, right=right) if _has_entry(left) and _has_entry(right):
            return ast.BinOp(node.span, "odot", _whole(left), _whole(right), right.span)
        case ast.Juxt(left=left, right=right):
            return dataclasses.replace(node, left=_whole(left), right=_whole(right))
        case ast.BinOp(left=left, right=right):
            return dataclasses.replace(node, left=_whole(left), right=_whole(right))
        case ast.Paren(body=body) | ast.Abs(body=body) | ast.Neg(body=body):
            return dataclasses.replace(node, body=_whole(body))
        case ast.Sup(base=ast.Letter(name="e"), script=script) if _has_entry(script):
            return dataclasses.replace(node, script=_whole(script))  # e^{z_i}: e^{z}
        case ast.Sup(base=base):
            return dataclasses.replace(node, base=_whole(base))
        case ast.Frac(num=num, den=den):
            return dataclasses.replace(node, num=_whole(num), den=_whole(den))
        case ast.ApplyPrefix(arg=arg):
            return dataclasses.replace(node, arg=_whole(arg))
    return node


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each ``f(u,v)_i = (entries i of u, v)`` read as ``f(u,v) = ...``
    entry by entry (module docstring); the others as they were."""
    out: list[ast.Statement] = []
    for s in statements:
        if type(s) is ast.Definition and (new := _entry_definition(text, s)) is not None:
            out.append(new)
        else:
            out.append(s)
    return out


def _entry_definition(text: str, s: ast.Definition) -> EntryDefinition | None:
    lhs = s.lhs
    if not (
        isinstance(lhs, ast.Sub)
        and isinstance(lhs.script, ast.Letter)
        and isinstance(lhs.base, ast.Call)
        and lhs.base.args
        and all(isinstance(a, ast.Letter) for a in lhs.base.args)
    ):
        return None
    call = lhs.base
    args = {a.name for a in call.args if isinstance(a, ast.Letter)}
    i = lhs.script.name
    if len(args) != len(call.args) or i in args or s.claims or s.decl is not None:
        return None
    if not (_entrywise(s.rhs, args, i) and _has_entry(s.rhs)):
        return None
    shown = _squeeze(text, lhs)
    said = (
        f"{shown} is the entry {i} of {_squeeze(text, call)}, and the body takes the entry "
        f"{i} of each argument ({', '.join(f'{a}_{i}' for a in sorted(args))}) and nothing "
        f"else: {i} is an entry index and the formula acts entry by entry; read as "
        f"{_squeeze(text, call)} = the same formula on the whole vectors (a product of two "
        "entries is the elementwise product)"
    )
    return EntryDefinition(s.span, call, _whole(s.rhs), s.decl, s.claims, s.update, said=said)
