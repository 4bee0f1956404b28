r"""Notation rule ``step-number-power``: a number to the power of the step number, as Adam's
bias correction writes it (Kingma & Ba 2015, Algorithm 1; optax's and d2l's Adam):
``\hat{m}_t \leftarrow m_t / (1 - \beta_1^t)``. A Greek letter with the step letter as a bare
superscript is, by convention, that letter to the power of the step number t.

papermath reads it so where the letter cannot be a value at step t: no equation defines it
(``\beta_1`` is a hyperparameter: it has no value per step), it is written nowhere with a
step (``\beta_{1,t}``, ``\beta^{(t)}``), and the source writes its steps as subscripts
(``m_{t-1}``), never as superscripts (``h^{(l)}``, ``W^l``: there ``\gamma^l`` may be gamma
at layer l). The steps of a recurrence are numbered from 1: the
initial state (``m_0``) is step 0, the first step computed is t = 1 (Adam's loop starts with
t <- t + 1; ``torch.optim.Adam`` raises beta to ``step``, 1 at the first step). The reading
says so. The generated code raises the value to the loop's step number (``step_pow``,
ops/arithmetic.py).

Read (beta_1 to the power t)::

    m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    \hat{m}_t = m_t / (1 - \beta_1^t)

Still refused: a letter the source defines at each step (``\alpha_t = \ldots``) written with a
bare step superscript (``\alpha^t``) is either its value at step t or a power of the step
number, and papermath does not guess which (write ``\alpha^{(t)}`` for the value at step t);
a letter written with the step as a left side (``\alpha^{l} = \ldots``) is the value at that
step (rules_step_powers.py).

Two neighbours of this notation are refused here, each with what to write: ADADELTA's
``E[g^2]_t`` (a running average named by its formula, a bracket at a step: name it with a
letter, ``G_t = \rho G_{t-1} + (1 - \rho) g_t^2``), and Andrew Ng's ``a^{[2](i)}`` (layer 2's
column for the example i, inside a cost summed over the examples: nothing ties it to the
matrix ``A^{[2]}``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..letters import GREEK_LOWER
from ..parse import ast
from ..source import Span
from .syntax import is_symbolish, symbols_in

if TYPE_CHECKING:
    from .reader import Reader, SymParts

WHAT = "step power"  # the post-operation's name on SymParts.post (reader.post_ops)


def power_of_step(reader: Reader, parts: SymParts, letter: str, span: Span, quiet: bool) -> bool:
    """Whether ``parts`` with the bare superscript ``letter`` (the step) is read as a power of
    the step number; then the power is added to ``parts.post`` and the reading noted."""
    if parts.key in reader.defined_keys:
        return False  # a value per step: \alpha^t might be alpha at step t
    if quiet:
        parts.post.append((WHAT, 0.0, span))
        return True
    if _written_at_a_step(reader, parts.key) or _steps_written_up(reader, letter):
        return False
    parts.post.append((WHAT, 0.0, span))
    written = reader.source.snippet(Span(parts.span.start, span.end))
    reader.note(
        Span(parts.span.start, span.end),
        f"{parts.key} to the power {letter}",
        f"{written} is {parts.key} to the power {letter}, the number of the step (1 at the "
        f"first step; the initial state is step 0): {parts.key} is one number for every step "
        "(no equation defines it and it is written at no step), so it has no value at step "
        f"{letter}",
    )
    return True


def _steps_written_up(reader: Reader, letter: str) -> bool:
    """Whether the source writes its steps as superscripts (``h^l``, ``W^{(l)}``,
    ``h^{(l+1)}``): then a bare ``\\gamma^l`` may be gamma at layer l as well, and only the
    letters' own values per step (a Latin letter, or a letter an equation defines) count."""
    for node in (n for s in reader.statements for n in ast.walk(s)):
        if not isinstance(node, ast.Sup):
            continue
        if not any(isinstance(x, ast.Letter) and x.name == letter for x in ast.walk(node.script)):
            continue
        parts = reader.symbol(node.base, quiet=True) if is_symbolish(node.base) else None
        if parts is None or parts.base not in GREEK_LOWER or parts.key in reader.defined_keys:
            return True
    return False


def _written_at_a_step(reader: Reader, key: str) -> bool:
    """Whether the source writes ``key`` at a step anywhere (``\\beta_t``, ``\\beta^{(t)}``)."""
    for node in (n for s in reader.statements for n in symbols_in(s)):
        parts = reader.symbol(node, quiet=True)
        if parts is not None and parts.key == key and parts.step is not None:
            return True
    return False


def bracket_at_a_step(reader: Reader, node: ast.Sub) -> ReadingError:
    """The refusal of ``E[g^2]_t`` (ADADELTA, optax): a bracket written at a step, the name
    of a running average made of its formula; papermath reads E[x] only as a mean over an
    axis the equation fixes (read/rules_stats.py), and a name is one letter."""
    written = reader.source.snippet(node.span)
    return reader.error(
        f"{written}: a bracket written at a step (ADADELTA's E[g^2]_t, the running average of "
        "g^2 named by its formula) is not read: papermath reads E[x] as a mean over an axis "
        "and a value's name as a letter",
        node.span,
        hint="name the running average with a letter and write its update, as G_t = \\rho "
        "G_{t-1} + (1 - \\rho) g_t^2",
    )


def layer_and_example(reader: Reader, parts: SymParts, script: ast.Call) -> ReadingError:
    """The refusal of ``a^{[2](i)}`` (Andrew Ng's course notes): layer 2's value for the
    example i, a column of ``A^{[2]}`` whose columns are the examples, written one example at
    a time inside a sum over them. papermath reads ``[l]`` as a layer label and ``(i)`` as a
    step or a label, never both on one symbol, and no rule ties the column to the matrix."""
    written = reader.source.snippet(script.span)
    return reader.error(
        f"{parts.base}^{{{written}}}: a layer label and an example (i) on one symbol (the "
        f"column i of the layer's matrix, one example of the batch) is not read yet: nothing "
        "ties it to the matrix it is a column of",
        script.span,
        hint="leave the cost out to read the forward pass (the equations before it read); a "
        "cost written per example over a matrix's columns has no notation papermath reads yet",
    )
