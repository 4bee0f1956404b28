r"""Gradient equations a source writes (a derivation), read as claims and checked.

Course notes write the backward pass next to the forward one:

.. code-block:: latex

    \pderiv{\mathcal L}{y_{out}} &\in \mathbb R^{N\times 1} \\
    \pderiv{\mathcal L}{z} &= \pderiv{\mathcal L}{y_{out}} \pderiv{y_{out}}{z} \\
    &= \pderiv{\mathcal L}{y_{out}} \cdot w

A row whose left side is a derivative of the loss, :math:`\partial \mathcal{L} / \partial z`,
does not define a value of the model: it *claims* what the gradient is. :func:`split` takes
those rows out of the source before the model is read (blanked in place, so every other
line and column stays where it was); :func:`check` then judges each claimed right side
against papermath's own gradient at random values:

- its shape, from sizes given distinct numbers (so a shape is read back as size names),
  against the gradient's shape, in the layout the claims use (a declared
  :math:`\partial \mathcal{L}/\partial y_{out} \in \mathbb{R}^{N \times 1}` next to a
  :math:`1 \times N` value says the claims write gradients transposed: samples as rows);
- its value, computed from the model's values and the gradients it names, against the
  gradient torch autograd computes through the generated module.

A side that names a Jacobian (:math:`\partial y_{out} / \partial z`) or anything else this
evaluator does not compute is *not comparable*, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ParseError
from .parse.macros import argument
from .source import Span

if TYPE_CHECKING:
    from .system import System

ENVIRONMENTS = ("align", "align*", "aligned", "equation", "equation*", "gather", "gather*")
TIMES = " \\times "  # between sizes in a verdict's math
PARTIAL = re.compile(r"\\frac\s*\{\s*\\partial\s*")
REALS = re.compile(r"\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^")


@dataclass(frozen=True)
class Claim:
    """One claimed side: d(of)/d(wrt) = side (``side`` None: only its shape is declared)."""

    of: str  # the numerator as written (\mathcal L)
    wrt: str  # the denominator as written (y_{out})
    side: str | None  # a right side, as written
    declared: tuple[str, ...] | None  # the sizes of `\in R^{...}` on its row
    span: Span  # the row, in the source


@dataclass(frozen=True)
class ClaimCheck:
    claim: Claim
    line: int
    verdict: str  # "right", "wrong", "not comparable"
    detail: str


def _derivative(text: str) -> tuple[str, str, int] | None:
    """``\\frac{\\partial A}{\\partial B}`` at the start of ``text``: (A, B, its length)."""
    m = PARTIAL.match(text)
    if m is None:
        return None
    try:
        top, j = argument(text, text.index("{"))
        while j < len(text) and text[j] in " \t":
            j += 1
        if j >= len(text) or text[j] != "{":
            return None
        bottom, k = argument(text, j)
    except ParseError:
        return None
    top = top.strip()
    bottom = bottom.strip()
    if not top.startswith("\\partial") or not bottom.startswith("\\partial"):
        return None
    return top[len("\\partial") :].strip(), bottom[len("\\partial") :].strip(), k


def _declared(text: str) -> tuple[str | None, tuple[str, ...] | None]:
    """A side and the sizes of an ``\\in \\mathbb R^{..}`` that ends it."""
    m = REALS.search(text)
    if m is None:
        return text.strip() or None, None
    rest = text[m.end() :].strip()
    if rest.startswith("{"):
        try:
            body, _ = argument(rest, 0)
        except ParseError:
            return text.strip() or None, None
    else:
        body = rest[:1]
    parts = re.split(r"\\times|,|(?<=[0-9A-Za-z}])\s*x\s*(?=[0-9A-Za-z\\])", body)
    sizes = tuple(p.strip().replace(" ", "") for p in parts if p.strip())
    return text[: m.start()].strip() or None, sizes


def _rows(text: str) -> list[tuple[int, int]]:
    """Spans of the rows of display math: the rows of each environment (split at ``\\\\``),
    and each line outside environments."""
    out: list[tuple[int, int]] = []
    envs = "|".join(re.escape(e) for e in ENVIRONMENTS)
    pattern = re.compile(rf"\\begin\{{({envs})\}}(.*?)\\end\{{\1\}}", re.S)
    covered: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        body_start = m.start(2)
        start = body_start
        for sep in re.finditer(r"\\\\", m.group(2)):
            out.append((start, body_start + sep.start()))
            start = body_start + sep.end()
        out.append((start, m.end(2)))
        covered.append((m.start(), m.end()))
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if not any(a <= pos < b for a, b in covered):
            out.append((pos, end))
        pos = end + 1
    return sorted(out)


def split(text: str) -> tuple[str, list[Claim]]:
    """``text`` with every claimed gradient row blanked (lengths and lines kept), and the
    claims. A row ``&= ...`` right after a claim continues it (a chain: each side is a
    claim about the same gradient)."""
    if "\\partial" not in text:
        return text, []
    claims: list[Claim] = []
    blank: list[tuple[int, int]] = []
    last: tuple[str, str] | None = None
    for start, end in _rows(text):
        row = text[start:end]
        body = row.replace("&", " ").strip()
        body = re.sub(r"^\$+|\$+$", "", body).strip()
        lead = row.index(body[:1]) if body else 0
        found = _derivative(body)
        if found is not None:
            of, wrt, k = found
            rest = body[k:].strip()
            if rest.startswith(("=", ":=")) or REALS.match(rest):
                side, declared = _declared(
                    rest.lstrip(":").lstrip("=") if rest[0] in ":=" else rest
                )
                if REALS.match(rest):
                    side = None
                claims.append(Claim(of, wrt, side, declared, Span(start + lead, end)))
                blank.append((start, end))
                last = (of, wrt)
                continue
        if last is not None and body.startswith("="):
            side, declared = _declared(body[1:])
            claims.append(Claim(last[0], last[1], side, declared, Span(start + lead, end)))
            blank.append((start, end))
            continue
        if body:
            last = None
    if not claims:
        return text, []
    chars = list(text)
    for a, b in blank:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
        # the row separator after a blanked row goes too (an empty row is no equation)
        j = b
        while j < len(chars) and chars[j] in " \t":
            j += 1
        if text.startswith("\\\\", j):
            chars[j] = chars[j + 1] = " "
    out = "".join(chars)
    # an environment left with no rows is blanked whole
    envs = "|".join(re.escape(e) for e in ENVIRONMENTS)
    for m in re.finditer(rf"\\begin\{{({envs})\}}(.*?)\\end\{{\1\}}", out, re.S):
        if not m.group(2).replace("&", "").strip():
            out = (
                out[: m.start()]
                + "".join("\n" if c == "\n" else " " for c in out[m.start() : m.end()])
                + out[m.end() :]
            )
    for m in re.finditer(r"\$\$(\s*)\$\$", out):
        out = out[: m.start()] + "  " + m.group(1) + "  " + out[m.end() :]
    return out, claims


# ---- checking ------------------------------------------------------------------------------
class NotComparable(Exception):
    pass


def _norm(latex: str) -> str:
    """A symbol as written, compared loosely: ``\\mathcal L`` = ``\\mathcal{L}``."""
    text = re.sub(r"(\\[A-Za-z]+)\s+([A-Za-z0-9])", r"\1{\2}", latex)  # \mathcal L
    text = re.sub(r"\s+", "", text)
    return re.sub(r"_\{([A-Za-z0-9])\}", r"_\1", text)


def check(system: System, dims: dict[str, int] | None = None, seed: int = 0) -> list[ClaimCheck]:
    """Each claim of ``system`` (read by :func:`split`) judged: right, wrong or not
    comparable, with a sentence that says why (shapes first, then values)."""
    claims = system.claims
    if not claims:
        return []
    try:
        import torch
    except ImportError:
        return [
            ClaimCheck(c, system.source.line_col(c.span.start)[0], "not comparable",
                       "checking a derivation needs torch (pip install 'papermath[torch]')")
            for c in claims
        ]  # fmt: skip
    import numpy as np

    from .ir.program import GRAPH_KEYS
    from .report.symbols import symbol

    program = system.program(dims)
    if system.recurrence is not None or program.per_node:
        return [
            ClaimCheck(c, system.source.line_col(c.span.start)[0], "not comparable",
                       "gradient claims are checked for systems without steps or graphs")
            for c in claims
        ]  # fmt: skip
    # distinct numbers for the sizes, so that a shape can be read back as size names
    primes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41]
    free = sorted(n for n in system.size_names() if n not in (dims or {}))
    numbers = {**(dims or {}), **{n: primes[i % len(primes)] for i, n in enumerate(free)}}
    numbers = {k: v for k, v in numbers.items() if k not in system.solved}
    module = system.to_torch(numbers, dtype=torch.float64, fast=False, steps=False)
    gen = torch.Generator().manual_seed(seed)
    from .backends.data import random_inputs

    rng = np.random.default_rng(seed)
    inputs, _ = random_inputs(system.program(numbers), rng, "sample-first")
    leaves = {
        k: torch.tensor(np.asarray(v, dtype=float), requires_grad=k not in GRAPH_KEYS)
        for k, v in inputs.items()
    }
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64))
    outputs = module(**leaves)
    for v in outputs.values():
        if v.requires_grad:
            v.retain_grad()
    loss_keys = [k for k in outputs if not system.shapes.get(k)]
    values: dict[str, Any] = {**dict(module.named_parameters()), **leaves, **outputs}
    names = {_norm(symbol(key)): key for key in system.shapes}
    sizes_of = {v: k for k, v in numbers.items()}

    def shown(shape: tuple[int, ...]) -> str:
        if not shape:
            return "a scalar"
        return "$" + TIMES.join(sizes_of.get(n, str(n)) for n in shape) + "$"

    results = []
    grads: dict[str, Any] = {}
    orientation: dict[str, bool] = {}  # the claims write this gradient transposed
    for claim in claims:
        line = system.source.line_col(claim.span.start)[0]

        def verdict(kind: str, detail: str, claim: Claim = claim, line: int = line) -> None:
            results.append(ClaimCheck(claim, line, kind, detail))

        d = f"$\\partial {claim.of} / \\partial {claim.wrt}$"  # the claimed gradient, as math

        of, wrt = names.get(_norm(claim.of)), names.get(_norm(claim.wrt))
        if of is None or wrt is None or of not in loss_keys:
            verdict("not comparable", f"{d} is not the gradient of the "
                    "loss with respect to a symbol of these equations")  # fmt: skip
            continue
        if not grads:
            outputs[of].sum().backward()
            grads = {k: v.grad for k, v in values.items() if getattr(v, "grad", None) is not None}
        if wrt not in grads:
            verdict("not comparable", f"the loss does not depend on ${claim.wrt}$")
            continue
        truth = grads[wrt].detach().numpy()
        if claim.declared is not None:
            want = tuple(int(s) if s.isdigit() else numbers.get(s, -1) for s in claim.declared)
            flipped = truth.ndim == 2 and want == truth.shape[::-1]
            same = want == truth.shape or (len(want) == 2 and want[1] == 1 and truth.ndim == 1)
            if flipped and not same:
                orientation[wrt] = True  # the claims write gradients transposed
            elif same and not flipped:
                orientation[wrt] = False
            elif same:  # square: either layout
                pass
            else:
                verdict("wrong", f"{d} is {shown(truth.shape)} (the "
                        f"shape of ${claim.wrt}$) or its transpose, not "
                        f"${TIMES.join(claim.declared)}$")  # fmt: skip
                continue
        if claim.side is None:
            verdict("right", f"{d} is ${TIMES.join(claim.declared or ())}$")
            continue
        flip = orientation.get(wrt, any(orientation.values()))
        expected = truth.T if flip and truth.ndim == 2 else truth
        try:
            got = _evaluate(claim.side, values, grads, names, orientation, flip)
        except NotComparable as why:
            verdict("not comparable", str(why))
            continue
        except _Mismatch as m:
            verdict("wrong", f"no matrix product fits: {shown(m.a)} times {shown(m.b)}")
            continue
        if got.shape != expected.shape:
            verdict("wrong", f"the right side is {shown(got.shape)}, but "
                    f"{d} is {shown(expected.shape)}")  # fmt: skip
            continue
        err = float(np.abs(got - expected).max()) / max(float(np.abs(expected).max()), 1e-12)
        if err > 1e-9:
            verdict("wrong", f"its value differs from the gradient by {err:.1e} (relative), "
                    "at random values; the shapes agree")  # fmt: skip
        else:
            verdict("right", f"equal to the gradient at random values ({shown(got.shape)})")
    return results


def _evaluate(
    side: str,
    values: dict[str, Any],
    grads: dict[str, Any],
    names: dict[str, str],
    orientation: dict[str, bool],
    flip: bool,
) -> Any:
    """The value of a claimed side: ``\\cdot`` and juxtaposition are matrix products,
    ``\\odot`` elementwise, ``^T`` a transpose; gradients as the claims lay them out."""
    import numpy as np

    tokens = re.findall(
        r"\\frac\s*\{\s*\\partial[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*\\partial[^{}]*"
        r"(?:\{[^{}]*\}[^{}]*)*\}|\\cdot|\\odot|\^\s*\{?\s*(?:T|\\top)\s*\}?|\\left\(|\\right\)"
        r"|[()+\-]|\\[A-Za-z]+(?:\s*\{[^{}]*\})?(?:_\{[^{}]*\}|_[A-Za-z0-9])?"
        r"|[A-Za-z](?:_\{[^{}]*\}|_[A-Za-z0-9])?|\d+(?:\.\d+)?|\S",
        side,
    )
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return str(tokens[pos - 1])

    def atom() -> Any:
        tok = take()
        if tok in ("(", "\\left("):
            v = expr()
            if take() not in (")", "\\right)"):
                raise NotComparable("unbalanced parentheses")
            return v
        if tok.startswith("\\frac"):
            found = _derivative(tok)
            if found is None:
                raise NotComparable(f"cannot read ${tok}$")
            top, bottom, _ = found
            of, wrt = names.get(_norm(top)), names.get(_norm(bottom))
            if of is None or wrt is None:
                raise NotComparable(f"${tok}$ names no symbol of these equations")
            if wrt not in grads or of not in values or np.ndim(values[of].detach()) != 0:
                raise NotComparable(f"${tok}$ is a Jacobian (the derivative of a value that is "
                                    "not the loss): its product is not computed here")  # fmt: skip
            g = grads[wrt].detach().numpy()
            return g.T if orientation.get(wrt, flip) and g.ndim == 2 else g
        if re.fullmatch(r"\d+(?:\.\d+)?", tok):
            return float(tok)
        key = names.get(_norm(tok))
        if key is None or key not in values:
            raise NotComparable(f"cannot compute ${tok}$")
        return np.asarray(values[key].detach().numpy())

    def postfix() -> Any:
        v = atom()
        while peek() is not None and re.fullmatch(r"\^\s*\{?\s*(?:T|\\top)\s*\}?", peek() or ""):
            take()
            v = v.T
        return v

    def product() -> Any:
        v = postfix()
        while peek() is not None and peek() not in ("+", "-", ")", "\\right)"):
            op = peek()
            if op in ("\\cdot", "\\odot"):
                take()
            right = postfix()
            if op == "\\odot" or np.ndim(v) == 0 or np.ndim(right) == 0:
                v = v * right
            else:
                if np.shape(v)[-1] != np.shape(right)[0]:
                    raise _Mismatch(np.shape(v), np.shape(right))
                v = v @ right
        return v

    def expr() -> Any:
        sign = 1.0
        if peek() == "-":
            take()
            sign = -1.0
        v = sign * product()
        while peek() in ("+", "-"):
            op = take()
            right = product()
            v = v + right if op == "+" else v - right
        return v

    value = expr()
    if pos != len(tokens):
        raise NotComparable(f"cannot read ${' '.join(tokens[pos:])}$")
    return np.asarray(value)


class _Mismatch(Exception):
    def __init__(self, a: tuple[int, ...], b: tuple[int, ...]) -> None:
        self.a, self.b = a, b


def plain(detail: str) -> str:
    """A verdict's words for a terminal: its math ($...$) as the source's text, the
    derivative as d(of)/d(wrt), sizes with x."""
    detail = re.sub(r"\$\\partial (.+?) / \\partial (.+?)\$", r"d\1/d\2", detail)
    return detail.replace(TIMES, " x ").replace("$", "")


def render(checks: list[ClaimCheck]) -> str:
    if not checks:
        return ""
    lines = ["the derivation's claims (gradient equations the source writes):"]
    for c in checks:
        side = c.claim.side or ("\\in R^{" + " x ".join(c.claim.declared or ()) + "}")
        lines.append(f"  line {c.line}: d{c.claim.of}/d{c.claim.wrt} = {side}")
        lines.append(f"    {c.verdict}: {plain(c.detail)}")
    return "\n".join(lines)
