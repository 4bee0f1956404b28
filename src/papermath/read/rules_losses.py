r"""Notation rule ``code-functions``: the calls of a formula written as code (read by
:mod:`papermath.parse.code`), with NumPy's (and Keras' ``keras.ops``) documented meaning,
for one example (its values a vector: the classes, or the entries of its prediction):

- ``log(x)``, ``exp(x)``, ``sqrt(x)``, ``abs(x)``, ``tanh(x)``, ``sigmoid(x)``, ... ->
  the elementwise function; ``square(x)`` -> ``x^2``, entry by entry;
- ``maximum(a, b)``, ``minimum(a, b)`` (also ``max``/``min`` with two arguments) -> the
  larger (smaller) of two values, entry by entry (``np.maximum``);
- ``sum(x)``, ``mean(x)``, ``max(x)`` (and ``maximum(x)`` with one argument, as Keras'
  CategoricalHinge docstring writes its ``max(..., axis=-1)``) -> a reduction over the
  entries of the vector x: ``\sum_i x_i``, ``\frac{1}{n} \sum_i x_i`` (n the number of
  entries), ``\max_i x_i``; ``axis=-1`` (the last axis) is the vector's only axis. x must
  be a vector: over a matrix, which axis is not said, and it is refused.

The names of Keras' loss functions' arguments say their roles (its documentation: "y_true:
Ground truth values", "y_pred: The predicted values"): in a formula written as code,
``y_true`` is the target and ``y_pred`` the prediction (an input).

Refused: a keyword other than ``axis=-1``, ``min(x)`` of one argument, and a function the
code calls that is not one of these (``categorical_crossentropy(y_true, y_pred)``: papermath
does not guess what a library function computes).

Examples (each a whole source):

    ```python
    loss = 100 * mean(abs((y_true - y_pred) / y_true))
    ```

    ```python
    loss = square(maximum(1 - y_true * y_pred, 0))
    ```
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from ..parse import ast, code_index, diagonal_words
from ..parse.code import CODE_COMMAND, CodeDefinition, latex
from ..parse.samples import PerSampleDefinition
from . import rules_last_axis, rules_value_powers
from . import terms as t
from .functions import lookup

if TYPE_CHECKING:
    from .reader import Reader

# reductions of one vector: the name in code -> the primitive of the IndexSum
REDUCTIONS = {"sum": "sum", "mean": "mean", "max": "max", "maximum": "max", "amax": "max"}
# two values, entry by entry: the name in code -> the known function
PAIRWISE = {"maximum": "max", "minimum": "min", "max": "max", "min": "min"}
# the roles the names of Keras' loss arguments say: key -> (kind, why)
ROLES = {
    "y_true": ("target", "the ground truth (the name of Keras' loss argument)"),
    "y_pred": ("input", "the prediction (the name of Keras' loss argument)"),
}
VECTORS_WHY = (
    "y_true and y_pred have one shape (Keras documents both as [batch_size, d0, .. dN] and "
    "reduces the last axis): for one example, vectors of one size"
)


def code_notes(reader: Reader, statements: list[ast.Statement]) -> None:
    """Say how each definition written as code was read, and the roles its names say; and
    how a loss written per sample was read (parse/samples.py)."""
    for s in statements:
        if isinstance(s, PerSampleDefinition):
            reader.note(s.lhs.span, s.reading, s.said)
    for s in statements:  # W_{ci} said diagonal: W \odot I (parse/diagonal_words.py)
        for node in ast.walk(s):
            if (said := diagonal_words.note(reader.source.text, node)) is not None:
                reader.note(node.left.span, "diagonal weight", said)  # type: ignore[attr-defined]
    code = [s for s in statements if isinstance(s, CodeDefinition)]
    if not code:
        return
    named = {k for s in code for n in ast.walk(s.rhs) if (k := _name_key(n)) in ROLES}
    if len(named) > 1:
        reader.out.role_vectors.append((tuple(sorted(named)), VECTORS_WHY))
    for s in code:
        reader.note(
            s.span,
            "read as code",
            f"written as code ({s.where}), read as plain-text math, never run: ** is a "
            "power, * and / are entry by entry (NumPy's), names with _ are subscripted "
            "(y_true is y_{true}), calls as NumPy's functions",
        )
        for node in ast.walk(s.rhs):  # W[c->i] said diagonal: W \odot I (parse/code_index.py)
            if (said := code_index.diagonal_note(reader.source.text, node)) is not None:
                reader.note(node.left.span, "diagonal weight", said)  # type: ignore[attr-defined]
    for s in code:
        for node in ast.walk(s.rhs):
            key = _name_key(node)
            if key in ROLES and key not in reader.out.directives:
                kind, why = ROLES[key]
                if kind == "input":
                    reader.out.role_inputs[key] = why
                else:
                    reader.out.directives[key] = kind
                    reader.out.role_notes[key] = f"{key} is {why}"


def _name_key(node: ast.Node) -> str | None:
    match node:
        case ast.Sub(base=ast.Letter(name=base), script=ast.Text(content=label)):
            return f"{base}_{label}"
    return None


# per reader: the LaTeX of each call read so far (by the id of its node), for the printing
_PRINTED: weakref.WeakKeyDictionary[Reader, dict[int, str]] = weakref.WeakKeyDictionary()


def printed(reader: Reader) -> dict[int, str]:
    """The LaTeX of each call of code read so far (by the id of its node), to add to."""
    return _PRINTED.setdefault(reader, {})


def code_call(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of a call written in code (see the module), or None for another call; its
    LaTeX (``\\frac{1}{n} \\sum_i [...]_i`` for ``mean(...)``) is what the equations pane and
    the printed gradients show (``ReadResult.written``)."""
    if not (isinstance(func, ast.Text) and func.command == CODE_COMMAND):
        return None
    printed = _PRINTED.setdefault(reader, {})
    term = _code_call(reader, node, func, args)
    values = [a for a in args if not isinstance(a, ast.ScriptEq)]
    shown = [latex(v, printed) for v in values]
    name = func.content
    if isinstance(term, t.Div) and isinstance(term.left, t.IndexSum):  # mean
        i, n = term.left.index, term.left.size
        total = f"\\sum_{{{i}}} \\left[{shown[0]}\\right]_{{{i}}}"
        reader.out.write(term.left, total)
        reader.out.write(term.right, str(n))
        tex = f"\\frac{{1}}{{{n}}} {total}"
    elif isinstance(term, t.IndexSum):
        op = "\\sum" if term.op == "sum" else f"\\{term.op}"
        tex = f"{op}_{{{term.index}}} \\left[{shown[0]}\\right]_{{{term.index}}}"
    elif isinstance(term, t.Power):
        tex = f"\\left({shown[0]}\\right)^{{2}}"
    elif isinstance(term, t.Apply) and term.fn == "abs":
        tex = f"\\left|{shown[0]}\\right|"
    elif isinstance(term, t.Apply) and term.fn == "sqrt":
        tex = f"\\sqrt{{{shown[0]}}}"
    elif isinstance(term, t.Apply) and term.fn == "power":
        tex = f"\\left({shown[0]}\\right)^{{{shown[1]}}}"
    elif isinstance(term, t.Apply) and term.fn in ("log", "exp", "tanh", "max", "min"):
        tex = f"\\{term.fn}\\left({', '.join(shown)}\\right)"
    elif name == "sigma":  # σ(...) in code (parse/code_unicode.py): as LaTeX writes it
        tex = f"\\sigma\\left({', '.join(shown)}\\right)"
    else:
        tex = f"\\operatorname{{{name}}}\\left({', '.join(shown)}\\right)"
    printed[id(node)] = tex
    reader.out.write(term, tex)
    return term


def _code_call(
    reader: Reader, node: ast.Call, func: ast.Text, args: tuple[ast.Node, ...]
) -> t.Term:
    name = func.content
    keywords = [a for a in args if isinstance(a, ast.ScriptEq)]
    values = tuple(a for a in args if not isinstance(a, ast.ScriptEq))
    if len(values) == 1 and name in REDUCTIONS:
        for kw in keywords:
            _axis_last(reader, kw)
        if keywords and (per_row := rules_last_axis.rows(reader, node, values[0], name)):
            return per_row  # mean(X, axis=-1), X a declared matrix: each row's mean
        return _reduction(reader, node, func, values[0], REDUCTIONS[name], bool(keywords))
    if keywords:
        raise reader.error(
            f"{name}(...) with a keyword argument is not read",
            keywords[0].span,
            hint="papermath reads axis=-1 in sum, mean and max of a vector",
        )
    if len(values) == 2 and name in PAIRWISE:
        fn = PAIRWISE[name]
        reader.note(
            func.span,
            f"elementwise {fn}imum",
            f"{name}(a, b) in code: the {'larger' if fn == 'max' else 'smaller'} of a and b, "
            f"entry by entry (np.{name})",
        )
        return t.Apply(node.span, fn, tuple(reader.term(v) for v in values))
    if len(values) == 2 and name == "power":  # a ** q (parse/code.py): by a value
        return rules_value_powers.code_power(reader, node.span, values[0], values[1])
    if len(values) == 1 and name == "square":
        reader.note(func.span, "square", "square(x) in code: x^2, entry by entry (np.square)")
        return t.Power(node.span, reader.term(values[0]), 2.0)
    known = lookup(name)
    if len(values) == 1 and known is not None and known.arity == 1 and name == name.lower():
        return reader.apply(known.name, values, node.span, func.span)
    raise reader.error(
        f"the function {name}(...) written in code is not one papermath reads",
        func.span,
        hint="papermath reads sum, mean, max, maximum, minimum, square, abs, sqrt, log, exp "
        "and the activations in code; write what the function computes",
    )


def _axis_last(reader: Reader, kw: ast.ScriptEq) -> None:
    """``axis=-1``: the last axis (a vector's only one); anything else is refused."""
    key = kw.left.content if isinstance(kw.left, ast.Text) else ""
    last = (
        isinstance(kw.right, ast.Neg)
        and isinstance(kw.right.body, ast.Number)
        and kw.right.body.text == "1"
    )
    if key != "axis" or not last:
        raise reader.error(
            f"the keyword {reader.source.snippet(kw.span)} is not read",
            kw.span,
            hint="papermath reads axis=-1 (the last axis: the entries of a vector)",
        )


def _reduction(
    reader: Reader, node: ast.Call, func: ast.Node, arg: ast.Node, op: str, axis: bool
) -> t.Term:
    letter = _free_letter(reader)
    body = reader.term(arg)
    entries = t.Elem(arg.span, body, letter)
    over = "the last axis (axis=-1), the entries of" if axis else "the entries of"
    shown = " ".join(reader.source.snippet(arg.span).split())
    if op == "mean":
        size = _free_size(reader)
        reader.note(
            node.span,
            "mean over the entries",
            f"mean(x) in code: the mean over {over} the vector {shown}, "
            f"(1/{size}) \\sum_{letter} x_{letter} with {size} its number of entries (np.mean "
            "of one example's values); a matrix here is refused (which axis?)",
        )
        total = t.IndexSum(node.span, letter, size, entries, "sum")
        return t.Div(node.span, total, t.SizeValue(node.span, size))
    word = {"sum": "sum", "max": "largest entry"}[op]
    reader.note(
        node.span,
        f"{word} over the entries",
        f"{reader.source.snippet(func.span)}(x) of one value in code: the {word} over {over} "
        f"the vector {shown} (\\{op}_{letter} x_{letter}); a matrix here is refused (which "
        "axis?)",
    )
    return t.IndexSum(node.span, letter, None, entries, op)


def _free_letter(reader: Reader) -> str:
    used = set(reader.out.indices) | {x for x in _letters(reader)}
    return next((c for c in "ijklm" if c not in used), "i")


def _free_size(reader: Reader) -> str:
    used = reader.size_names | set(_letters(reader))
    return next((c for c in ("n", "N", "K", "M") if c not in used), "n")


def _letters(reader: Reader) -> set[str]:
    out: set[str] = set()
    for s in reader.statements:
        for n in ast.walk(s):
            if isinstance(n, ast.Letter):
                out.add(n.name)
            elif isinstance(n, ast.Text):
                out.add(n.content)
    return out


__all__ = ["code_call", "code_notes"]
