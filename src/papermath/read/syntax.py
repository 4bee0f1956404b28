"""Helpers on syntax that the reader and its notation rules (read/rules_*.py) share: walking
the statements, the text of labels and sizes, which nodes name symbols, statistics."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..parse import ast
from ..source import Span
from .functions import lookup

# decorations that name a direction (a bidirectional network's two layers), allowed in labels
ARROWS = ("overrightarrow", "overleftarrow")

STATISTICS = {
    "E": "an expectation",
    "Var": "a variance",
    "Cov": "a covariance",
    "Pr": "a probability",
    "P": "a probability",
}


def statistic_of(node: ast.Node) -> str | None:
    """``\\mathbb{E}``, ``\\mathrm{E}``, ``\\operatorname{Var}``, ``\\mathrm{Pr}``: a statistic of a
    random variable, written before ``[x]`` or ``(x)``."""
    match node:
        case ast.Font(font="mathbb" | "mathrm" | "mathbf", body=ast.Letter(name=name)):
            return name if name in ("E", "P") else None
        case ast.Text(content=content) if content.strip() in STATISTICS:
            return content.strip()
    return None


def size_text(node: ast.Node) -> str | None:
    """The upper limit of a sum as a size name: ``n``, ``T_x``, ``d_{model}``, ``5``."""
    match node:
        case ast.Letter(name=name):
            return name
        case ast.Number(text=text) if text.isdigit():
            return text
        case ast.Sub(base=ast.Letter(name=name), script=script):
            label = label_text(script)
            return f"{name}_{label}" if label else None
        case ast.Font(body=body) | ast.Brace(items=(body,)):
            return size_text(body)
    return None


def iter_nodes(statements: list[ast.Statement]) -> list[ast.Node]:
    """Every node of the statements, each statement's first (:func:`ast.walk`)."""
    return [n for s in statements for n in ast.walk(s)]


def label_text(node: ast.Node) -> str | None:
    """The text of a label: ``xi``, ``out``, ``2``, ``\\text{out}``; None if not a label."""
    match node:
        case ast.Number(text=text):
            return text if text.isdigit() else None  # x_1 is a label, x_{0.5} is not
        case ast.Letter(name=name) | ast.FunctionName(name=name):
            return name
        case ast.Text(content=content) if content.replace(" ", "").isalnum():
            return content.replace(" ", "")
        case ast.Font(body=body) | ast.Brace(items=(body,)):
            return label_text(body)
        case ast.Decorated(decor=decor, body=body) if decor in ARROWS:
            # W_{x\overrightarrow{h}} (Graves): from x to the forward layer h->, as its key
            inner = label_text(body)
            return f"{inner}_{decor}" if inner is not None else None
        case ast.Juxt(left=left, right=ast.Sub(base=ast.Letter(name=last), script=script)):
            # W_{proj\_size} (Paddle): an underscore between two words of a label is one
            # label, proj_size (two words of two letters or more; h_{t_1} is not one)
            a, b = label_text(left), label_text(script)
            if a and b and len(b) > 1 and (a + last + b).isalpha():
                return f"{a}{last}_{b}"
            return None
        case ast.Juxt(left=left, right=right):
            a, b = label_text(left), label_text(right)
            return a + b if a is not None and b is not None else None
        case ast.ScriptList(items=items):
            got = [label_text(i) for i in items]
            return "_".join(g for g in got if g) if all(g is not None for g in got) else None
    return None


def is_symbolish(node: ast.Node) -> bool:
    match node:
        case ast.Letter() | ast.Decorated() | ast.Prime():
            return True
        case ast.Overset(body=body):
            return is_symbolish(body)
        case ast.Font(font=font):
            return font != "mathbb"
        case ast.Text(content=content):
            return content.replace("_", "").isalnum() and lookup(content) is None
        case ast.Sub(base=base) | ast.Sup(base=base):
            return is_symbolish(base)
    return False


def split_axes(node: ast.Node) -> list[ast.Node]:
    """The axes of ``R^{...}``: separated by ``\\times``, ``,``, ``*`` or a letter ``x``."""
    match node:
        case ast.ScriptList(items=items):
            return [a for i in items for a in split_axes(i)]
        case ast.BinOp(op="times", left=ast.BinOp(op="cdot") as a, right=b):
            return [a, *split_axes(b)]  # k \cdot D_h \times D: \times splits, \cdot multiplies
        case ast.BinOp(op="times" | "*" | "ast" | "cdot", left=a, right=b):
            return split_axes(a) + split_axes(b)
        case ast.Juxt(left=ast.BinOp(op="times" | "*" | "ast") as times, right=c):
            # D \times 3 D_h: the product 3 D_h is the last axis (the grammar binds \times
            # tighter than juxtaposition)
            last = ast.Juxt(Span(times.right.span.start, c.span.end), times.right, c)
            return [*split_axes(times)[:-1], last]
        case ast.Juxt(left=a, right=ast.Letter(name="x")):
            return split_axes(a)
        case ast.Juxt(left=ast.Juxt(left=a, right=ast.Letter(name="x")), right=b):
            return split_axes(a) + split_axes(b)
        case ast.Juxt(left=a, right=b) if _has_x(a):
            return [*split_axes(a), b]
    return [node]


def _has_x(node: ast.Node) -> bool:
    return isinstance(node, ast.Juxt) and (
        (isinstance(node.right, ast.Letter) and node.right.name == "x") or _has_x(node.left)
    )


@dataclass(frozen=True)
class Hood:
    """A neighbourhood as written: whose (``of``), along which edge type (``relation``, a
    letter bound by a sum over the types), in which direction (in: the sources of the edges
    into ``of``; out: the targets of the edges from it)."""

    of: str
    relation: str | None = None
    direction: str = "in"


DIRECTIONS = {"in": "in", "out": "out", "incoming": "in", "outgoing": "out"}


def neighbourhood_of(node: ast.Node) -> Hood | None:
    """``\\mathcal{N}(v)``, ``N(v)``, ``\\mathcal{N}_v``; with an edge type
    ``\\mathcal{N}_r(v)``, ``\\mathcal{N}^r(v)``, ``\\mathcal{N}_v^r``; with a direction
    ``\\mathcal{N}^{out}_r(v)``, ``\\mathcal{N}_{\\text{in}}(v)``. None for anything else."""
    args: tuple[ast.Node, ...] | None = None
    if isinstance(node, ast.Call):
        args = node.args
        node = node.func
    subs: list[ast.Node] = []
    sups: list[ast.Node] = []
    while isinstance(node, ast.Sub | ast.Sup):
        (subs if isinstance(node, ast.Sub) else sups).append(node.script)
        node = node.base
    head = node.body if isinstance(node, ast.Font) else node
    if not (isinstance(head, ast.Letter) and head.name == "N"):
        return None
    direction = "in"
    letters_sub: list[str] = []
    letters_sup: list[str] = []
    for scripts, letters in ((subs, letters_sub), (sups, letters_sup)):
        for script in scripts:
            word = script_word(script)
            if word in DIRECTIONS:
                direction = DIRECTIONS[word]
            elif isinstance(script, ast.Letter):
                letters.append(script.name)
            else:
                return None
    if args is not None:  # N_r(v), N^r(v): the argument is the node, a script the type
        if len(args) != 1 or not isinstance(args[0], ast.Letter):
            return None
        typed = letters_sub + letters_sup
        if len(typed) > 1:
            return None
        return Hood(args[0].name, typed[0] if typed else None, direction)
    if len(letters_sub) != 1 or len(letters_sup) > 1:  # N_v, N_v^r: the subscript is the node
        return None
    return Hood(letters_sub[0], letters_sup[0] if letters_sup else None, direction)


def script_word(node: ast.Node) -> str | None:
    """``\\text{out}``, ``\\mathrm{in}``, ``out`` (letters side by side) -> the word."""
    match node:
        case ast.Text(content=content):
            return content.strip()
        case ast.Font(body=body):
            return script_word(body)
        case ast.Letter(name=name) if len(name) > 1:
            return name
    letters = juxt_letters(node)
    return "".join(letters) if letters else None


def juxt_letters(node: ast.Node) -> list[str]:
    """``ij`` (two letters side by side, as in W_{ij}) -> ["i", "j"]; else []."""
    match node:
        case ast.Juxt(left=left, right=ast.Letter(name=name)):
            inner = juxt_letters(left) if not isinstance(left, ast.Letter) else [left.name]
            return [*inner, name] if inner else []
    return []


def symbols_in(node: ast.Node) -> list[ast.Node]:
    """The outermost nodes that name symbols (``\\hat{A}``, not its letter A): a symbol's
    own parts are not visited."""
    out: list[ast.Node] = []

    def visit(x: object) -> None:
        if isinstance(x, ast.Node):
            if is_symbolish(x):
                out.append(x)
                return
            for name in x.__dataclass_fields__:
                visit(getattr(x, name))
        elif isinstance(x, tuple):
            for item in x:
                visit(item)

    visit(node)
    return out


def is_reals(node: ast.Node) -> bool:
    """``\\mathbb{R}``, ``\\mathbb R^{...}``, ``R^{a, b}``."""
    base = node.base if isinstance(node, ast.Sup) else node
    match base:
        case ast.Font(font="mathbb" | "mathbf", body=ast.Letter(name="R")):
            return True
        case ast.Letter(name="R"):
            return isinstance(node, ast.Sup)
    return False


def step_zero(node: ast.Node) -> ast.Node | None:
    """The symbol written at step number 0 (``h_0``, ``H^{0}``, ``h^{(0)}``), else None."""
    match node:
        case ast.Sub(base=ast.Sup(base=inner) as sup, script=index) if step_zero(sup) is inner:
            # h^{(0)}_i (Spektral's GatedGraphConv): the step written before the node index
            return ast.Sub(span=Span(inner.span.start, node.span.end), base=inner, script=index)
        case ast.Sub(base=base, script=script) | ast.Sup(base=base, script=script):
            if isinstance(script, ast.Paren):
                script = script.body
            if isinstance(script, ast.Number) and script.text == "0" and is_symbolish(base):
                return base
    return None


def is_zero(node: ast.Node) -> bool:
    """``0``, ``0.0``, ``\\mathbf{0}``, ``(0)``: the number zero as written."""
    match node:
        case ast.Number(text=text):
            return bool(re.fullmatch(r"0(\.0*)?", text))
        case ast.Font(body=body) | ast.Decorated(body=body) | ast.Paren(body=body):
            return is_zero(body)
        case ast.Brace(items=(body,)):
            return is_zero(body)
    return False


def offsets_in(script: ast.Node) -> list[tuple[str, Span]]:
    items = script.items if isinstance(script, ast.ScriptList) else (script,)
    found = []
    for item in items:
        off = offset_of(item)
        if off is not None:
            found.append((off[0], item.span))
    return found


def offset_of(node: ast.Node) -> tuple[str, int] | None:
    """``t-1`` -> ("t", -1); ``t+1`` -> ("t", 1); ``(t-1)`` too (PyTorch's docs write h_{(t-1)})."""
    if isinstance(node, ast.Paren):
        node = node.body
    if (
        isinstance(node, ast.BinOp)
        and node.op in ("+", "-")
        and isinstance(node.left, ast.Letter)
        and isinstance(node.right, ast.Number)
        and node.right.text.isdigit()
    ):
        k = int(node.right.text)
        return node.left.name, (-k if node.op == "-" else k)
    return None


def placed(node: object, span: Span) -> object:
    """``node`` (an AST, a tuple of them, or a leaf) with every span set to ``span``: a
    template's nodes placed at the name that stands for them in the source."""
    if isinstance(node, ast.Node):
        changes = {
            f.name: placed(getattr(node, f.name), span)
            for f in dataclasses.fields(node)
            if f.name != "span"
        }
        return dataclasses.replace(node, span=span, **changes)
    if isinstance(node, tuple):
        return tuple(placed(x, span) for x in node)
    return node
