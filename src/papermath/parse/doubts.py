r"""Notation that parses but that papermath cannot read soundly yet: a located refusal, before
the reader makes a guess of it.

Each rule below recognises a way of writing that real sources use (library docstrings, most
of all) and that the reader would otherwise read as something else, silently: the model it
builds compiles, but it is not the source's model. A rule refuses with a caret on the
construct and a hint that says how to write it so that it reads. Rules look at the parsed
statements and at the prose around them (a docstring's prose says what ``*`` is, or a
symbol's shape), never at what the reader decides.

- **a derivative** ``x'(t) = A x(t) + B u(t)`` (Lagrange's prime on a function of
  continuous time): differential equations are not read.
- **a primed next value** ``h' = \tanh(W_h h + W_i x)``: h' beside an h that has no equation
  is the next step of a recurrence (PyTorch's and Flax's cells) or a new variable (a graph
  layer's X' from its input X). Refused where h would otherwise be read as a learned
  parameter (a letter other than x or X, with no index): write the step, h_t from h_{t-1}.
- **``*`` that the prose calls convolution** ("where * denotes the convolution operator"):
  convolutions are not read; ``*`` would be read as a product.
- **the previous input** ``W_{hr} x_{t-1}`` in a system that also reads x_t: an input has
  no equation, so it has no value at an earlier step to carry (a typo of h_{t-1}, most often).
- **steps written in two frames**: ``h_{t+1} = o_t \odot \tanh(c_{t+1})`` beside
  ``i_t = \sigma(W h_t + ...)``: each equation at t+1 is read one step earlier, so an equation
  at t that reads h_t would read a different model (the gates carried as the state).
- **a function of a whole batch whose body uses one sample**: ``L(a, p, n) = \max\{d(a_i,
  p_i) - d(a_i, n_i) + m, 0\}`` (the triplet loss): a_i, never a.
- **a subscript shared by the left side and an input**, in a lone equation with no
  declaration: ``\mathbf{v}_j = f(\mathbf{s}_j)`` (j declared nowhere): an index (one capsule
  per j) or a label; as a label, s_j would be learned.
- **a width that changes with the layer**: ``W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}``
  beside ``H^{(l)} \in \mathbb{R}^{n \times d_l}``: one width per size would solve
  d_{l+1} = d_l.
- **shapes given in prose** that :mod:`papermath.parse.prose_shapes` does not read (a shape
  list of ``W`` beside an equation that writes ``W_i``, Paddle's ``形状为（hidden_size,
  input_size）`` beside ``:math:`W_{ih}```, "``\gamma`` is a learned per feature dimension
  parameter" of a ``\gamma_k``): the equations alone read otherwise; nor that \mu and
  \sigma "are the mean and standard deviation of x" over no axis the text names (they would
  be read as learned parameters); nor a size named in prose ("Number of dimensions in the
  hidden layer $d_{ff}$") that no declaration uses.

>>> from papermath.parse import parse
>>> try:
...     parse("h' = \\tanh(W_h h + W_i x)")
... except ParseError as err:
...     print(err.message[:31])
h' is defined from h, which has
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..letters import PARAMETER_LETTERS
from ..source import Span
from . import (
    ast,
    concat_prose,
    eigenvalues,
    family_words,
    layer_declared,
    member_formula,
    missing_script,
    prose_stats,
    shape_literals,
)

__all__ = ["check"]

STEP = "t"  # the time step letter these rules know (layers, l, are read per equation)


def check(text: str, statements: list[ast.Statement]) -> None:
    """Raise the first (in the text) of the rules' refusals, if any."""
    found: list[ParseError] = []
    definitions = [s for s in statements if isinstance(s, ast.Definition)]
    declared = {
        _squeeze(text, t.span)
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    for rule in (_primed_next, _previous_input, _two_frames, _parameter_rows):
        err = rule(text, definitions)
        if err is not None:
            found.append(err)
    for prose_rule in (
        _convolution_star,
        _prose_shape,
        _per_feature,
        _statistics,
        _prose_size,
        shape_literals.refusal,  # `(channels/groups,)`: parse/shape_literals.py
        eigenvalues.refusal,  # \lambda_{\max}(L): parse/eigenvalues.py
        concat_prose.refusal,  # "concatenating the four matrices W_* into W"
        missing_script.refusal,
    ):  # z{(i)} beside z^{(i)}: parse/missing_script.py
        err = prose_rule(text, statements)
        if err is not None:
            found.append(err)
    for err in (_shared_label(text, definitions, declared), _layer_sizes(text, statements)):
        if err is not None:
            found.append(err)
    if found:
        raise min(found, key=lambda e: e.span.start if e.span is not None else 0)


def _squeeze(text: str, span: Span) -> str:
    return re.sub(r"\s+", "", text[span.start : span.end])


def step_offset(script: ast.Node) -> int | None:
    """``t`` -> 0, ``t-1`` -> -1, ``t+1`` -> 1, ``(t-1)`` likewise; else None."""
    if isinstance(script, ast.Paren):
        script = script.body
    if isinstance(script, ast.Letter):
        return 0 if script.name == STEP else None
    if (
        isinstance(script, ast.BinOp)
        and script.op in ("+", "-")
        and isinstance(script.left, ast.Letter)
        and script.left.name == STEP
        and isinstance(script.right, ast.Number)
        and script.right.text.isdigit()
    ):
        k = int(script.right.text)
        return k if script.op == "+" else -k
    return None


@dataclasses.dataclass(frozen=True)
class Use:
    """A symbol written with a time step: ``h_{t-1}`` is ("h", -1)."""

    name: str
    step: int
    span: Span


def _at_step(text: str, node: ast.Node) -> Use | None:
    if isinstance(node, ast.Sub):
        step = step_offset(node.script)
        if step is not None:
            return Use(_squeeze(text, node.base.span), step, node.span)
    return None


def _uses(text: str, node: ast.Node) -> list[Use]:
    return [u for n in ast.walk(node) if (u := _at_step(text, n)) is not None]


def _names(text: str, node: ast.Node) -> set[str]:
    """The plain symbols (a letter, with a font or a label) written in ``node``."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Letter | ast.Font | ast.Decorated | ast.Sub | ast.Prime):
            out.add(_squeeze(text, n.span))
    return out


# ---- rules on the statements -----------------------------------------------------------------


_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|pmb|vec)\s*\{([^{}]*)\}")


def _unfonted(name: str) -> str:
    """``\\mathbf{h}`` -> ``h``: fonts do not change a symbol's name (docs/notation.md)."""
    return _FONTS.sub(r"\1", name)


def _primed_next(text: str, definitions: list[ast.Definition]) -> ParseError | None:
    defined = {_unfonted(_squeeze(text, d.lhs.span)) for d in definitions}
    used: set[str] = set()
    for d in definitions:
        used |= {_unfonted(n) for n in _names(text, d.rhs)}
    for d in definitions:
        lhs = d.lhs
        if isinstance(lhs, ast.Call) and isinstance(lhs.func, ast.Prime):
            name = _squeeze(text, lhs.func.base.span)
            if name in used:  # x'(t) = A x(t) + B u(t): Lagrange's derivative
                return ParseError(
                    f"{_squeeze(text, lhs.span)} beside {name}: the derivative of {name} in "
                    "continuous time (a differential equation) is not read",
                    span=lhs.span,
                    hint=f"write the discretised recurrence, as {name}_t = \\bar{{A}} "
                    f"{name}_{{t-1}} + \\bar{{B}} u_t",
                )
        if not isinstance(lhs, ast.Prime) or lhs.count != 1:
            continue
        base = lhs.base
        if not isinstance(base, ast.Letter | ast.Font):
            continue  # h_i' (a value per node), \tilde h': a new variable as far as we know
        name = _squeeze(text, base.span)
        letter = re.sub(r"\\[A-Za-z]+|[{}]", "", name)
        plain = _unfonted(name)
        if letter in ("x", "X") or plain not in used or plain in defined:
            continue  # X' = f(X): a layer's output from its input X (read as such)
        return ParseError(
            f"{name}' is defined from {name}, which has no equation: a prime beside the "
            f"unprimed name is the next value of a state (a recurrence, {name}' the step "
            f"after {name}) or a new variable; papermath does not guess which, and read as a "
            f"new variable {name} would be a learned parameter",
            span=lhs.span,
            hint=f"for a recurrence write the step: {name}_t for {name}' and {name}_{{t-1}} "
            f"for {name} (x_t for the input), as in h_t = \\tanh(W_h h_{{t-1}} + W_i x_t + b)",
        )
    return None


def _previous_input(text: str, definitions: list[ast.Definition]) -> ParseError | None:
    defined = {u.name for d in definitions if (u := _at_step(text, d.lhs)) is not None}
    defined |= {_squeeze(text, d.lhs.span) for d in definitions}
    uses = [u for d in definitions for u in _uses(text, d.rhs)]
    now = {u.name for u in uses if u.step == 0}
    states = {u.name for u in uses if u.step < 0 and u.name in defined}
    for u in uses:
        if u.step < 0 and u.name not in defined and u.name in now and states:
            state = sorted(states)[0]
            return ParseError(
                f"{text[u.span.start : u.span.end]} is the input {u.name} at an earlier step, "
                f"beside {u.name}_t: {u.name} has no equation, so there is no earlier value "
                f"of it to carry (the state of this system is {state})",
                span=u.span,
                hint=f"the previous state is {state}_{{t-1}}: write that if it is meant",
            )
    return None


def _two_frames(text: str, definitions: list[ast.Definition]) -> ParseError | None:
    ahead: dict[str, Use] = {}
    for d in definitions:
        lhs = _at_step(text, d.lhs)
        if lhs is not None and lhs.step > 0:
            ahead.setdefault(lhs.name, lhs)
    if not ahead:
        return None
    for d in definitions:
        lhs = _at_step(text, d.lhs)
        if lhs is None or lhs.step != 0:
            continue
        for u in _uses(text, d.rhs):
            if u.name in ahead and u.step == 0:
                first = ahead[u.name]
                return ParseError(
                    f"{text[u.span.start : u.span.end]} is read by an equation at step "
                    f"{STEP}, while {u.name} is defined at step {STEP}+{first.step} "
                    f"({text[first.span.start : first.span.end]} = ...): the equations are "
                    "written in two frames of steps, and papermath reads an equation at "
                    f"{STEP}+1 one step earlier, which would read another model",
                    span=u.span,
                    hint=f"write every equation at one step: {u.name}_{STEP} for "
                    f"{text[first.span.start : first.span.end]} and {u.name}_{{{STEP}-1}} for "
                    f"{text[u.span.start : u.span.end]} (the previous state)",
                )
    return None


def _parameter_rows(text: str, definitions: list[ast.Definition]) -> ParseError | None:
    """``L(a, p, n) = \\max\\{d(a_i, p_i) - d(a_i, n_i) + m, 0\\}`` (the triplet loss): the body
    uses a_i, never a: the i-th sample of a, a per-sample loss written as a function of the
    whole batch. Read as written, a_i would be a new input and a unused."""
    for d in definitions:
        if not isinstance(d.lhs, ast.Call):
            continue
        params = {_squeeze(text, a.span) for a in d.lhs.args if isinstance(a, ast.Letter)}
        bound = _bound(d.rhs)  # RMS(a) = \\sqrt{\\frac{1}{n} \\sum_i a_i^2}: i is summed over
        for n in ast.walk(d.rhs):
            if (
                isinstance(n, ast.Sub)
                and isinstance(n.base, ast.Letter)
                and n.base.name in params
                and n.base.name not in {_squeeze(text, u.span) for u in _plain_letters(d.rhs)}
                and isinstance(n.script, ast.Letter)
                and n.script.name not in bound
            ):
                name, i = n.base.name, n.script.name
                return ParseError(
                    f"{_squeeze(text, n.span)} in the body of {_squeeze(text, d.lhs.span)}: "
                    f"the body uses {name}_{i}, never {name} itself, so {name}_{i} is the entry "
                    f"(or sample) {i} of the argument {name}, a per-{i} formula written as a "
                    "function of the whole, which papermath does not read",
                    span=n.span,
                    hint=f"write the formula for one {i}: name the left side per {i} "
                    f"({_squeeze(text, d.lhs.func.span)}_{i} = ...) and declare "
                    f"{name}_{i} \\in \\mathbb{{R}}^{{D}}",
                )
    return None


# the letters the reader takes as learned parameters: papermath/letters.py


def _letter(node: ast.Node) -> str | None:
    """The letter of a symbol, through its fonts and decorations: ``\\mathbf{s}`` -> ``s``."""
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _shared_label(
    text: str, definitions: list[ast.Definition], declared: set[str]
) -> ParseError | None:
    """``\\mathbf{v}_j = \\frac{\\lVert \\mathbf{s}_j \\rVert^2}{...} ...`` (capsules): s_j carries
    the j of v_j. j is the index of a family (one capsule per j) or a label (as f in h_f);
    read as a label, s_j (no equation, not a parameter's letter) would be learned."""
    if len(definitions) != 1:
        # with other equations the reader has what it decides j by (x_i an entry of an x used
        # whole, h_i per node of \\mathcal{N}(i), k a step of x_{k-1})
        return None
    defined = {_squeeze(text, d.lhs.span) for d in definitions}
    for d in definitions:
        lhs = d.lhs
        if not (isinstance(lhs, ast.Sub) and isinstance(lhs.script, ast.Letter)):
            continue
        j = lhs.script.name
        if j == STEP or j in declared or j in _bound(d.rhs):
            continue
        if j in family_words.family_letters(text):
            continue  # "for each output capsule or class $k$": an index (family-index-words)
        if not declared and member_formula.member_letter(d) == j:
            continue  # v_j = f(s_j) and nothing else: j indexes a family (member-formula)
        if any(u.name == j for u in _plain_letters(d.rhs)):
            continue  # j used as a value: not a label
        for n in ast.walk(d.rhs):
            if not (isinstance(n, ast.Sub) and isinstance(n.script, ast.Letter)):
                continue
            letter = _letter(n.base)
            if n.script.name != j or letter is None or letter in PARAMETER_LETTERS:
                continue
            if declared and letter not in declared:
                continue  # declarations decide j, but for u_i beside a u declared whole
            if _squeeze(text, n.span) in defined or _squeeze(text, n.span) in declared:
                continue
            bound = _bound(d.rhs)
            if any(
                isinstance(m, ast.Sub)
                and isinstance(m.script, ast.Letter)
                and m.script.name in bound
                and _letter(m.base) == letter
                for m in ast.walk(d.rhs)
            ):
                continue  # e_k under \sum_k: e's entries, so e_j is entry j of e
            shown = _squeeze(text, n.span)
            return ParseError(
                f"{shown} carries the {j} of {_squeeze(text, lhs.span)}, and nothing says "
                f"what {j} is: the index of a family (one value per {j}) or a label; read as "
                f"a label, {shown} would be a learned parameter",
                span=n.span,
                hint=f"if {j} is an index, declare it: {j} \\in \\{{1, \\dots, J\\}}"
                + (
                    f"; {letter} is declared whole: for its entries write the formula for the "
                    f"vectors ({_squeeze(text, lhs.base.span)} = ... with {letter})"
                    if letter in declared
                    else ""
                ),
            )
    return None


def _bound(node: ast.Node) -> set[str]:
    """The index letters a sum or product under ``node`` binds (``\\sum_{i=1}^{n}``, ``\\sum_i``,
    ``\\sum_{j \\in N(i)}``)."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.BigOp) and n.sub is not None:
            sub = n.sub.left if isinstance(n.sub, ast.ScriptEq | ast.ScriptIn) else n.sub
            if isinstance(sub, ast.Letter):
                out.add(sub.name)
        if (  # \mathrm{mean}_{j \in N(i)}: an operator's subscript binds j too
            isinstance(n, ast.Sub)
            and isinstance(n.script, ast.ScriptIn)
            and isinstance(n.script.left, ast.Letter)
        ):
            out.add(n.script.left.name)
    return out


def _plain_letters(node: ast.Node) -> list[ast.Letter]:
    """The letters written as values under ``node``: not the base of a subscript, nor in a
    subscript or superscript (``j`` in ``s_j`` is neither)."""
    out: list[ast.Letter] = []

    def visit(n: object, base: bool = False) -> None:
        if isinstance(n, ast.Sub | ast.Sup):
            visit(n.base, base=True)
            return
        if isinstance(n, ast.Font | ast.Decorated | ast.Prime):
            visit(n.body if not isinstance(n, ast.Prime) else n.base, base)
            return
        if isinstance(n, ast.Letter):
            if not base:
                out.append(n)
            return
        if isinstance(n, ast.Node):
            for f in dataclasses.fields(n):
                visit(getattr(n, f.name))
        elif isinstance(n, tuple | list):
            for item in n:
                visit(item)

    visit(node)
    return out


def _offset(script: ast.Node) -> tuple[str, int] | None:
    """``l`` -> ("l", 0), ``l+1`` -> ("l", 1), ``k-1`` -> ("k", -1); else None."""
    if isinstance(script, ast.Letter):
        return script.name, 0
    if (
        isinstance(script, ast.BinOp)
        and script.op in ("+", "-")
        and isinstance(script.left, ast.Letter)
        and isinstance(script.right, ast.Number)
        and script.right.text.isdigit()
    ):
        k = int(script.right.text)
        return script.left.name, k if script.op == "+" else -k
    return None


def _layer_sizes(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """``H^{(l)} \\in \\mathbb{R}^{n \\times d_l}``, ``W^{(l)} \\in \\mathbb{R}^{d_l \\times
    d_{l+1}}``: a width that changes with the layer. Read with one width per size across the
    layers, d_{l+1} would be solved to d_l (a size the source does not force)."""
    steps = {
        n.script.body.name
        for n in ast.walk(statements)
        if isinstance(n, ast.Sup)
        and isinstance(n.script, ast.Paren)
        and isinstance(n.script.body, ast.Letter)
    }
    seen: dict[tuple[str, str], dict[int, ast.Sub]] = {}
    for st in statements:
        if not isinstance(st, ast.Declaration):
            continue
        at = layer_declared.declared_at(st)  # H^{(l)} in n x d_l: one width per layer
        for n in ast.walk(st.space):
            if isinstance(n, ast.Sub) and isinstance(n.base, ast.Letter):
                off = _offset(n.script)
                if off is not None and off[0] in steps and off[0] not in at:
                    seen.setdefault((n.base.name, off[0]), {}).setdefault(off[1], n)
    for (base, letter), by_offset in seen.items():
        if len(by_offset) > 1:
            shifted = next(n for k, n in sorted(by_offset.items()) if k != 0)
            return ParseError(
                f"{_squeeze(text, shifted.span)}: a size that changes with the layer {letter} "
                f"({', '.join(_squeeze(text, n.span) for _, n in sorted(by_offset.items()))}) "
                "is not read yet: papermath reads one width per size across the layers",
                span=shifted.span,
                hint=f"give each layer its own symbols and sizes ({base}_1, {base}_2, ...), "
                f"or one width {base} for every layer",
            )
    return None


# ---- rules on the prose ----------------------------------------------------------------------

_CONVOLUTION = re.compile(
    r"(?:(?<![\\\w])\*|\\ast|\\star|:math:`\s*\*\s*`|\$\s*\*\s*\$)\s*"
    r"(?:denotes|is|means|represents|stands\s+for)\s+(?:the\s+|a\s+)?"
    r"(?:[\w-]+\s+)?convolution",
    re.IGNORECASE,
)


def _convolution_star(text: str, statements: list[ast.Statement]) -> ParseError | None:
    said = _CONVOLUTION.search(text)
    if said is None:
        return None
    stars = [
        n for n in ast.walk(statements) if isinstance(n, ast.BinOp) and n.op in ("*", "ast", "star")
    ]
    if not stars:
        return None
    first = min(stars, key=lambda n: n.op_span.start)
    line = text.count("\n", 0, said.start()) + 1
    return ParseError(
        f"* is convolution here (the prose says so, line {line}): papermath does not read "
        "convolutions yet, and read as a product it would be another model",
        span=first.op_span,
        hint="a convolution has no notation papermath reads; write the layer without it "
        "(a product W x_t is a fully connected layer, another model)",
    )


_SHAPE_LIST = re.compile(
    r":math:`([^`]+)`\s+(?:has|have)\s+(?:the\s+)?shape\s+``(\[[^`\]]*\]|\([^`)]*\))``"
)
_SHAPE_CN = re.compile(r"形状为\s*([（(\[][^）)\]\n]*[）)\]])[^\n]*?:math:`([^`]+)`")


def _read(statements: list[ast.Statement], where: int) -> bool:
    """Has the prose at ``where`` been read as a declaration (parse.prose_shapes)?"""
    return any(
        isinstance(s, ast.Declaration) and s.span.start <= where < s.span.end for s in statements
    )


def _prose_shape(text: str, statements: list[ast.Statement]) -> ParseError | None:
    found = [(m.group(1), m.group(2), m.start(2)) for m in _SHAPE_LIST.finditer(text)]
    found += [(m.group(2), m.group(1), m.start(1)) for m in _SHAPE_CN.finditer(text)]
    found = [f for f in found if not _read(statements, f[2])]
    if not found:
        return None
    symbol, listed, where = min(found, key=lambda f: f[2])
    names = [n.strip() for n in re.split(r"[,，]", listed.strip("[]()（）")) if n.strip()]
    letter: dict[str, str] = {}  # a size named by a word gets a letter (the same word, the same)
    for n in names:
        letter.setdefault(n, n if re.fullmatch(r"[A-Za-z]", n) else "mnpqrs"[len(letter) % 6])
    times = " \\times ".join(letter[n] for n in names) if names else "n"
    said = ", ".join(f"{a} for {n}" for n, a in letter.items() if a != n)
    return ParseError(
        f"the prose gives the shape of {symbol} ({listed}), but papermath reads such words "
        "only as ':math:`W` has shape ``[a, b]``' of a symbol the equations write as named, "
        "and without them the equations do not fix its shape",
        span=Span(where, where + len(listed)),
        hint=f"declare it beside the equations: {symbol} \\in \\mathbb{{R}}^{{{times}}}"
        + (f" ({said})" if said else ""),
    )


_PER_FEATURE = re.compile(
    r":math:`([^`]+)`(?:\s*,?\s*(?:and\s+)?:math:`[^`]+`)*\s+(?:is|are)\s+"
    r"(?:an?\s+|the\s+)?(?:learned\s+|learnable\s+)?(per[- ](?:feature|channel)(?:\s+dimension)?)",
    re.IGNORECASE,
)


def _per_feature(text: str, statements: list[ast.Statement]) -> ParseError | None:
    m = next((m for m in _PER_FEATURE.finditer(text) if not _read(statements, m.start(2))), None)
    if m is None:
        return None
    symbol = m.group(1)
    return ParseError(
        f"the prose says {symbol} is {m.group(2)} (a vector of the features): papermath does "
        "not read that from prose, and without it the equations do not say its shape",
        span=Span(m.start(2), m.end(2)),
        hint=f"declare it beside the equations: {symbol} \\in \\mathbb{{R}}^{{C}} "
        "(C the number of features)",
    )


_STATISTICS = re.compile(
    r"(?::math:`|\$)([^`$]+)[`$](?:\s*,?\s*(?:and\s+)?(?::math:`|\$)[^`$]+[`$])*\s+(?:is|are)\s+"
    r"(?:respectively\s+)?(?:the\s+)?(mean|average|variance|standard\s+deviation)",
    re.IGNORECASE,
)


def _statistics(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """ "where :math:`\\mu` and :math:`\\sigma` are respectively the mean and standard deviation
    of ``x``" (Sonnet, Haiku): read from the equations alone, they would be learned."""
    m = _STATISTICS.search(text)
    if m is None or prose_stats.read(text):  # the layer named: read (parse/prose_stats.py)
        return None
    symbol = m.group(1).strip()
    defined = {_squeeze(text, s.lhs.span) for s in statements if isinstance(s, ast.Definition)}
    if re.sub(r"\s+", "", symbol) in defined:
        return None  # its equation is written: that is what is read
    return ParseError(
        f"the prose says {symbol} is the {m.group(2)} (of a value the equations use), but "
        "not over which axis: the features of one example (layer norm), the batch (batch "
        "norm), a group of features (group norm); papermath does not guess, and from the "
        f"equations alone {symbol} would be a learned parameter",
        span=Span(m.start(2), m.end(2)),
        hint="name the layer in the text (batch normalization: over the batch; layer "
        "normalization: over the features), or write the statistics in the equation, as "
        "\\frac{x - \\mathrm{E}[x]}"
        "{\\sqrt{\\mathrm{Var}[x]} + \\epsilon} with x \\in \\mathbb{R}^{C}, for the mean "
        "and standard deviation over x's C features (layer norm); group and instance "
        "normalization (over a group of channels and the positions, over one channel's "
        "positions) are not read yet",
    )


# "Number of dimensions in the hidden layer $d_{ff}$" (labml's FFN): a size said in prose
_PROSE_SIZE = re.compile(
    r"(number\s+of\s+(?:dimensions|features|units)|dimensions?|dimensionality|width)"
    r"\b[^$\n.]{0,60}?\$\s*(d_(?:\{[A-Za-z]+\}|[A-Za-z]+))\s*\$",
    re.IGNORECASE,
)


def _prose_size(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """A size named in prose ("the number of dimensions in the hidden layer $d_{ff}$") that
    no declaration or equation uses: what it is the size of is said in words only, and the
    equations alone leave it free (labml's FFN: the hidden and output widths untied from
    d_{ff} and d_{model})."""
    for m in _PROSE_SIZE.finditer(text):
        name = re.sub(r"\s+", "", m.group(2))
        used = any(
            name in _squeeze(text, st.span)
            for st in statements
            if isinstance(st, ast.Declaration | ast.Definition)
        )
        if used:
            continue
        return ParseError(
            f"the prose says {m.group(2)} is the {m.group(1).lower()} of a value: papermath "
            "does not read sizes from prose, and no declaration beside the equations uses "
            f"{m.group(2)}",
            span=Span(m.start(2), m.end(2)),
            hint=f"declare, beside the equations, the symbol of the equations that has that "
            f"size (b_1 \\in \\mathbb{{R}}^{{{m.group(2)}}} where b_1 is that layer's bias; a "
            "name the equations do not use says nothing of them)",
        )
    return None
