r"""Notation rules that take a symbol's kind or an activation from the source's own words,
where the letter's default would contradict them.

Rule ``prose-learnable``: the prose calls a symbol learnable. What people write: "$M_{ij}$
is a learnable transformation matrix for edge features" (design notes of a GCN), "where
$W$ and $b$ are trainable parameters", "the learned weight matrix $\Theta$". How papermath
reads it: the symbols of the inline math that is the subject of "is/are/denotes (a, the)
... learnable/learned/trainable" (or that follows "learnable weight/matrix/parameter ...")
are learned parameters, whatever their indices would say (M_{ij}, indexed by an edge, is
data by default); a symbol an equation defines, or a directive names, is never read so.
The readings quote the words.

Rule ``prose-hyperparameters``: the prose says symbols stand for the arguments of the
function (optax: "Let :math:`\alpha_t` represent the learning rate and :math:`\beta_1,
\beta_2`, :math:`\varepsilon`, :math:`\bar{\varepsilon}` represent the arguments ``b1``,
``b2``, ``eps`` and ``eps_root`` respectively") or calls them hyperparameters ("$\lambda$ is
a hyperparameter"): numbers given, constants, never learned parameters (a weight letter
W, b is never read so).

Rule ``graph-data-words``: the prose names a matrix the graph's Laplacian or adjacency
matrix. What people write: PyG's ChebConv, "and :math:`\mathbf{\hat{L}}` denotes the scaled
and normalized Laplacian :math:`\frac{2\mathbf{L}}{\lambda_{\max}} - \mathbf{I}`". How
papermath reads it: a capital letter written in the inline math of the sentence that says
"Laplacian" or "adjacency" (L, A, S; not a weight letter W, U, V, \Theta, not the identity)
and defined by no equation is graph data, an input, as the adjacency matrix whose degrees
are taken is (read/rules_graph.py), never a learned parameter.

Rule ``prose-activation-choice``: the prose says a function letter is an activation
function and names which one in the same sentence, or says it is that function. What people
write: "$\sigma$ is a non-linear activation function (ReLU in our implementation)", "where
$\sigma$ is the ReLU function". How papermath reads it:
\sigma (or \phi, \sigma_y) is that function (relu), as `% \sigma: relu` would say; where
the sentence offers several ("such as ReLU or tanh", "e.g. ReLU") nothing is chosen and
the default stands (\sigma the sigmoid, \phi an activation the source does not name).

Rule ``prose-nonlinearity``: a one-letter function the prose calls an element-wise
non-linearity or an activation function (allennlp's Highway: "where :math:`A` is a linear
transformation, :math:`f` is an element-wise non-linearity"). How papermath reads it: the
unnamed activation of read/rules_roles.py (shapes, explain, diagrams; code asks which one,
`% f: relu`), never a learnable function, which a letter called with one argument is
otherwise.

Rule ``probability-given``: "0 with probability $p$" (d2l's dropout, ``\begin{cases} 0 &
\textrm{ with probability } p \\ \frac{h}{1-p} & \textrm{ otherwise} \end{cases}``): the
symbol written right after the word "probability" is a probability the source gives (a
constant, as a dropout rate is), never a learned parameter.

Rule ``bias-beside-weights``: a function written with its weights among its arguments,
``f(x_i, W, b) = W x_i + b`` (CS231n's score function). A bare ``b`` may be data elsewhere
(``d(a, b)``, a distance), but beside a weight argument (W, \theta) it is that weight's bias:
a learned parameter as W is, not an input as the other arguments (x_i) are.

Examples that read::

    $$y_i = W x_i + \sum_{j \in \mathcal{N}(i)} M_{ij} e_{ij}$$
    where $M_{ij}$ is a learnable transformation matrix, $x_i \in \mathbb{R}^{n}$

    Let :math:`\beta` represent the argument ``b``: $$m_t = \beta m_{t-1} + (1 - \beta) g_t$$

    $$h = f(W x)$$
    where $f$ is an element-wise non-linearity, $x \in \mathbb{R}^{n}$

    $$\hat{y} = \mathrm{softmax}(f(x, W, b))$$ with $$f(x, W, b) = W x + b$$, $x \in \mathbb{R}^{d}$

    $$Z = \hat{L} X \Theta$$
    where $\hat{L} = 2 L / \lambda - I$ is the scaled Laplacian, $X \in \mathbb{R}^{N \times F}$

    $$h = \sigma(W x)$$
    where $\sigma$ is a non-linear activation function (ReLU in our implementation),
    $x \in \mathbb{R}^{n}$
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .functions import UNNAMED, lookup

if TYPE_CHECKING:
    from .reader import Reader

# inline math as sources write it: $...$, :math:`...`, \(...\), ``...``
_MATH = r"(?:\$\$[^$]+\$\$|\$[^$]+\$|:math:`[^`]+`|\\\((?:(?!\\\)).)*?\\\)|``[^`]+``)"
_LIST = rf"{_MATH}(?:\s*(?:,\s*and|,|and)\s*{_MATH})*"
_LEARN = r"(?:learnable|learned|learnt|trainable)"
_NOUNS = (
    r"(?:weights?|matri(?:x|ces)|parameters?|vectors?|bias(?:es)?|scalars?|transformations?|"
    r"projections?|kernels?|filters?|linear|affine|map(?:s|ping)?)"
)
_SUBJECT = re.compile(
    rf"({_LIST})\s+(is|are|denotes?|represents?)\s+(?:(?:a|an|the)\s+)?"
    rf"((?:[A-Za-z-]+\s+){{0,2}}?){_LEARN}\b",
    re.IGNORECASE,
)
_OBJECT = re.compile(rf"\b{_LEARN}\s+(?:{_NOUNS}\s+){{1,3}}({_LIST})", re.IGNORECASE)
# "$\beta_1, \beta_2$ ... represent the arguments b1, b2", "$\lambda$ is a hyperparameter"
_GIVEN = re.compile(
    rf"({_LIST})\s*,?\s+(?:represents?|are|is|denotes?)\s+(?:(?:a|an|the)\s+)?"
    r"(?:arguments?|hyper-?parameters?)\b",
    re.IGNORECASE,
)
_GRAPH = re.compile(r"\b(Laplacian|adjacency)\b", re.IGNORECASE)
# a sentence ends at ". ", a blank line, or a bullet
_BOUNDARY = re.compile(r"\.\s|\n\s*\n|\n\s*[-*]\s")
_MATH_RE = re.compile(_MATH, re.DOTALL)
# letters that are learned parameters by default: the prose's word changes nothing
_WEIGHTS = frozenset({"W", "U", "V", "w", "b", "theta", "Theta"})
# capital letters that name weights (or the identity), never graph data
_NOT_DATA = frozenset({"W", "U", "V", "Theta", "I", "B"})

_FUNCTION_LETTER = r"(\\(?:sigma|phi|varphi)(?:\s*_\s*(?:\{\s*[A-Za-z]+\s*\}|[A-Za-z]))?)"
_ACTIVATION = re.compile(
    rf"(?:\$|:math:`|\\\()\s*{_FUNCTION_LETTER}\s*(?:\$|`|\\\))\s+(?:is|denotes|represents)\s+"
    r"(?:(?:a|an|the)\s+)?(?:[A-Za-z-]+\s+){0,3}?activation(?:\s+function)?\b([^.\n]*)",
    re.IGNORECASE,
)
# "$\sigma$ is the ReLU function", ":math:`\phi` denotes the hyperbolic tangent"
_NAMED = re.compile(
    rf"(?:\$|:math:`|\\\()\s*{_FUNCTION_LETTER}\s*(?:\$|`|\\\))\s+(?:is|denotes|represents)\s+"
    r"(?:(?:a|an|the)\s+)?(?:element-?wise\s+)?"
    r"(ReLU|sigmoid|logistic|tanh|hyperbolic tangent|softplus|ELU|GELU|softmax)\b([^.\n]*)",
    re.IGNORECASE,
)
_NAMES = re.compile(
    r"\b(ReLU|sigmoid|logistic|tanh|hyperbolic tangent|softplus|ELU|GELU|softmax)\b",
    re.IGNORECASE,
)
_OFFERS = re.compile(r"\b(?:such as|e\.g\.|for example|for instance|like|or)\b", re.IGNORECASE)


def _occurrences(reader: Reader) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    for eq in reader.out.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym):
                out.append((x.key, x.span))
    out += [(d.key, d.span) for d in reader.out.declarations]
    return out


def _bare(written: str) -> str:
    """``\\mathbf{M}_{ij}`` as ``M``: the letter, without its font, scripts and spaces."""
    text = re.sub(r"\\(?:math[a-z]+|boldsymbol|bm|operatorname)\s*\{([^{}]*)\}", r"\1", written)
    text = re.sub(r"[_^](?:\{[^{}]*\}|\\?[A-Za-z0-9])", "", text)
    return re.sub(r"[\\{}\s]", "", text)


def _keys_within(reader: Reader, start: int, end: int) -> list[str]:
    """The symbols written in the inline math between ``start`` and ``end``: an occurrence
    inside it, or the same writing as an occurrence in the equations (``$M_{ij}$``)."""
    text = reader.source.text
    # the inline maths of the whole text, in order (a window could start inside a $$ ... $$;
    # a display's symbols are the equations', not the words')
    ranges = [
        m.span()
        for m in _MATH_RE.finditer(text)
        if start <= m.start() and m.end() <= end and not m.group(0).startswith("$$")
    ]
    occurrences = _occurrences(reader)
    keys = [
        key
        for key, span in occurrences
        if any(a <= span.start and span.end <= b for a, b in ranges)
    ]
    for a, b in ranges:
        inner = re.sub(r"^(?:\$|:math:`|\\\(|``)|(?:\$|`|\\\)|``)$", "", text[a:b])
        for piece in inner.split(","):  # :math:`\beta_1, \beta_2`: two symbols
            written = re.sub(r"\s", "", piece)
            for key, span in occurrences:
                snippet = re.sub(r"\s", "", text[span.start : span.end])
                if written == snippet or _bare(written) == _bare(snippet) == key.split("_")[0]:
                    keys.append(key)
    return list(dict.fromkeys(keys))


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max((m.end() for m in _BOUNDARY.finditer(text, 0, at)), default=0)
    after = _BOUNDARY.search(text, at)
    return start, after.start() if after else len(text)


def _free(reader: Reader, key: str) -> bool:
    return (
        key not in reader.defined_keys
        and key not in reader.out.directives
        and key not in reader.out.learned
        and key not in reader.out.indices
    )


def _subjects(text: str, start: int, end: int, last: bool) -> tuple[int, int]:
    """The part of a list of inline maths that names the symbols: the last one (``last``),
    or the symbols written last, back to a math that is no symbol (``$n = \\dim(x)$``)."""
    maths = [m for m in _MATH_RE.finditer(text) if start <= m.start() and m.end() <= end]
    keep = maths[-1:] if last else []
    if not last:
        for m in reversed(maths):
            if re.search(r"[=+<>|]|\\(?:sum|frac|in)\b", m.group(0)):
                break
            keep.insert(0, m)
    if not keep:
        return end, end
    return keep[0].start(), keep[-1].end()


def learnable_words(reader: Reader) -> None:
    """Rule ``prose-learnable``: symbols the prose calls learnable are parameters."""
    text = reader.source.text
    found: list[tuple[int, int, str]] = []
    for m in _SUBJECT.finditer(text):
        if re.search(r"\bnot\b", m.group(3) or "", re.IGNORECASE):
            continue
        one = m.group(2).lower() in ("is", "denotes", "represents")  # one subject: the last
        a, b = _subjects(text, m.start(1), m.end(1), last=one)
        found.append((a, b, text[a : m.end()]))
    for m in _OBJECT.finditer(text):
        a, b = _subjects(text, m.start(1), m.end(1), last=False)
        found.append((a, b, text[m.start() : b]))
    for start, end, said in found:
        words = " ".join(said.split())
        for key in _keys_within(reader, start, end):
            if not _free(reader, key) or key.split("_")[0] in _WEIGHTS:
                continue  # W, b: parameters by their letter already (and said so per step)
            reader.out.directives[key] = "parameter"
            reader.out.role_notes[key] = (
                f"the prose calls {key} learnable (\u201c{_quoted(words, 80)}\u201d): a learned "
                f"parameter (another reading: `% papermath: {key} is input`)"
            )


def argument_constants(reader: Reader) -> None:
    """Rule ``prose-hyperparameters``: symbols the prose says stand for the arguments (or
    hyperparameters) of the function or optimizer are numbers given, constants."""
    text = reader.source.text
    for m in _GIVEN.finditer(text):
        a, b = _subjects(text, m.start(1), m.end(1), last=False)
        words = " ".join(text[a : m.end()].split())
        for key in _keys_within(reader, a, b):
            if not _free(reader, key) or key.split("_")[0] in _NOT_DATA | {"w", "b", "x", "X"}:
                continue
            reader.out.directives[key] = "constant"
            reader.out.role_notes[key] = (
                f"the prose says {key} stands for an argument given to the function, not a "
                f"value learned (\u201c{_quoted(words, 100)}\u201d): a constant (another reading: "
                f"`% papermath: {key} is parameter`)"
            )


def graph_data_words(reader: Reader) -> None:
    """Rule ``graph-data-words``: the matrix the prose calls the Laplacian or adjacency is data."""
    text = reader.source.text
    for m in _GRAPH.finditer(text):
        start, end = _sentence(text, m.start())
        for key in _keys_within(reader, start, end):
            base = key.split("_")[0]
            if (
                not _free(reader, key)
                or key in reader.out.role_inputs
                or key in reader.out.degrees
                or base in _NOT_DATA
                or not (len(base) == 1 and base.isupper())
            ):
                continue
            sentence = " ".join(text[start:end].split())
            reader.out.role_inputs[key] = (
                f"graph data: the sentence that names the graph's {m.group(1).lower()} "
                f"writes it (\u201c{_quoted(sentence)}\u201d) and no equation defines it, "
                f"not a learned parameter (another reading: `% papermath: {key} is parameter`)"
            )


def _quoted(sentence: str, limit: int = 120) -> str:
    """A sentence of the source for a reading, its inline math as ``$...$`` (RST's
    ``:math:`...```, MathJax's ``\\(...\\)``), cut at ``limit`` characters where no math is left
    open (an odd ``$`` would show raw LaTeX)."""
    text = re.sub(r":math:`([^`]*)`", r"$\1$", sentence).replace("\\(", "$").replace("\\)", "$")
    if len(text) > limit:
        text = text[:limit]
        if text.count("$") % 2:
            text = text[: text.rindex("$")]
        text = text.rstrip() + " ..."
    return text


def said_activations(reader: Reader) -> None:
    """Rule ``prose-activation-choice``: "$\\sigma$ is an activation function (ReLU ...)"."""
    found = [(m, m.group(2)) for m in _ACTIVATION.finditer(reader.source.text)]
    found += [(m, m.group(2) + m.group(3)) for m in _NAMED.finditer(reader.source.text)]
    for m, rest in found:
        key = re.sub(r"[\\{}\s]", "", m.group(1))
        names = {n.lower() for n in _NAMES.findall(rest)}
        if len(names) != 1 or _OFFERS.search(rest) or key in reader.out.activations:
            continue
        name = next(iter(names))
        known = lookup({"logistic": "sigmoid", "hyperbolic tangent": "tanh"}.get(name, name))
        if known is None:
            continue
        reader.out.activations[key] = known.name
        words = " ".join(m.group(0).split())
        reader.note(
            Span(m.start(1), m.end(1)),
            f"{known.name} (the prose says which activation)",
            f"the source says which function {key} is (\u201c{_quoted(words, 80)}\u201d): "
            f"{known.name}, not the default of the letter",
        )


_NONLINEAR = (
    r"(?:(?:\$|:math:`|\\\()\s*{letter}\s*(?:\(\s*(?:\\cdot|\.)?\s*\)\s*)?(?:\$|`|\\\))"
    # bare in a page with no math delimiters (AI-for-Beginners: "where f is a step activation
    # function"; parse/prose_sizes.py reads the line)
    r"|(?:(?<=where\s)|(?<=here\s)|(?<=here,\s)|(?<=\n))(?<![\w\\$`*]){letter}(?![\w$`*]))\s+"
    r"(?:is|denotes|represents)\s+(?:(?:a|an|the)\s+)?(?:element-?wise\s+|point-?wise\s+)?"
    r"(?:non-?linearity|non-?linear\s+function|non-?linear\s+activation(?:\s+function)?|"
    r"(?:step\s+)?activation\s+function)\b"
)


def said_nonlinearity(reader: Reader, node: ast.Node) -> str | None:
    """Rule ``prose-nonlinearity``: ``f`` the prose calls "an element-wise non-linearity"."""
    if not isinstance(node, ast.Letter) or not re.fullmatch(r"[A-Za-z]", node.name):
        return None
    m = re.search(_NONLINEAR.format(letter=re.escape(node.name)), reader.source.text, re.I)
    if m is None:
        return None
    if node.name in reader.out.activations:
        return reader.out.activations[node.name]
    words = " ".join(m.group(0).split())
    if not any(r.span == node.span for r in reader.out.readings):
        reader.note(
            node.span,
            "activation (unnamed), as the prose says",
            f"the source says \u201c{_quoted(words)}\u201d: an elementwise nonlinearity it does "
            f"not name, not a learnable function (`% {node.name}: relu` says which, or tanh, "
            "sigmoid, identity)",
        )
    return UNNAMED


def bias_beside_weights(key: str, formals: tuple[str, ...] | list[str]) -> bool:
    """Rule ``bias-beside-weights``: ``b`` in ``f(x, W, b)``, an argument beside a weight."""
    from .rules_functions import is_weight_name

    return key == "b" and any(is_weight_name(f) for f in formals if f != key)


def arguments_said(formals: tuple[str, ...], is_weight: Callable[[str], bool]) -> str:
    """``x as inputs; W, b its weights (learned parameters)`` for a function's arguments."""
    weights = [f for f in formals if is_weight(f) or bias_beside_weights(f, formals)]
    inputs = [f for f in formals if f not in weights]
    said = f"{', '.join(inputs)} as inputs" if inputs else "no inputs"
    if weights:
        said += f"; {', '.join(weights)} its weights (learned parameters)"
    return said


_PROBABILITY = re.compile(
    r"\bprobability\s*\}?\s*(?:\$|:math:`|\\\()?\s*(\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)"
)


def probability_constants(reader: Reader) -> None:
    """Rule ``probability-given``: the symbol after the word "probability" is a constant."""
    text = reader.source.text
    for m in _PROBABILITY.finditer(text):
        written = _bare(m.group(1))
        for key, span in _occurrences(reader):
            snippet = text[span.start : span.end]
            if _bare(snippet) != written or key.split("_")[0] != written.split("_")[0]:
                continue
            if not _free(reader, key) or key.split("_")[0] in _NOT_DATA | {"w", "b"}:
                continue
            reader.out.directives[key] = "constant"
            reader.out.role_notes[key] = (
                f"{key} is written after the word probability (\u201c"
                f"{' '.join(m.group(0).split())}\u201d): a probability the source gives, "
                f"a constant, not learned (another reading: `% papermath: {key} is parameter`)"
            )
