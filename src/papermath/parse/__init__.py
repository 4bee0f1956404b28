"""Parse LaTeX as people type it into statements (:mod:`papermath.parse.ast`).

>>> [type(s).__name__ for s in parse("f_t = \\\\sigma(W_f [h_{t-1}, x_t] + b_f)")]
['Definition']
"""

from __future__ import annotations

import re
import threading
from functools import cache, partial
from importlib import resources

import lark
from lark import Lark, Token

from ..errors import ParseError
from ..source import Source, Span
from . import (  # lin(x) refused; h_t = h_t W_{proj} (LSTMP)
    arrow_sums,  # \sum_{v_j \to v}: refused with the sum over the neighbours
    ast,
    block_slice,  # A_{v:}^\top [h_1^\top \dots h_{|V|}^\top]^\top: a sum over the nodes
    bracket_blocks,
    bracket_sizes,
    bracket_steps,
    capsule_layers,  # PrimaryCaps 8D ↓ DigitCaps 16D beside u_{j|i}: u_i, s_j widths
    capsule_widths,  # "8D的Capsule" of u_i: u_i \in R^8; "× 16D" untied: refused
    cell_calls,  # (h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1})): PyTorch's cell
    cell_layers,  # (h_t^1, c_t^1) = \text{LSTM}^1(x_t, ...): a stack of PyTorch's cells
    code_example,  # anchor = torch.randn(100, 128) passed as a: a \in R^{128} per sample
    code_sums,  # "a total of `n` elements ... divides by `n`": the sum's count
    coefficient_words,  # "the attention coefficients $e_{vu}$": one number per pair
    complementary_weights,  # L_k = T_k A + (1 - T_k) B: T_k one number, a target
    continuous_time,  # x'(t) = A x(t): a derivative in time, signals of t
    cut_end,  # .. math:: \begin{align*} ... and the text ends: closed there
    delta_names,  # \Delta w_t = ...: the change of w, one name
    diagonal_words,
    direction_labels,  # h^{b}_t = f(... h_{t-1}) beside h_t = [h^f_t; h^b_t]: refused
    display_close,  # $$ \begin{aligned} rows $$: the environment ends with its display
    doubts,
    entry_values,  # h(u,v)_i = u_i*v_i: entry by entry, h(u,v) = u \odot v
    entry_vectors,  # [w_1 \\ w_2 \\ \vdots \\ w_n]: the vector w of n entries
    family_words,  # "$T_k$ is $1$ if the class $k$ is present and $0$ otherwise": a target
    ffn_widths,  # "the hidden layer $d_{ff}$ ... token embedding $d_{model}$": widths
    flag_forms,  # u_t defined again "with momentum", \texttt{nesterov = True}: forms
    frames,
    gaussian_values,
    gradient_step,  # w \leftarrow w - \eta \partial L/\partial w: one step in place
    group_arrays,  # "`groups`-many arrays $x_i$", `(channels/groups,)`: i, gamma_i
    in_place,  # X' = ... then X' = X' / ||X'||: the second updates the first
    index_slices,  # A_{v:}: a slice in a subscript, refused at the colon
    italic_linear,  # lin_x^i(x_t), "linear transformations": \mathrm{lin}
    italic_links,  # upward x, "upward (~chainer.links.Linear)": a Linear layer
    italic_names,
    map_signature,  # f: R^D \rightarrow R^L, refused at the colon with a declaration
    minibatch_prose,  # `y`: a label 1D mini-batch tensor: a number per example, the target
    open_math,  # $$ ... and the text ends: refused at the $$
    operator_words,
    order_conditions,  # T^{(k \ge 2)}: the recursion's orders from 2 on
    output_display,  # "this layer computes $$...$$": the display is its output, named
    output_size,  # "n_units: output depth of the layer": the output's size
    param_semicolon,  # f(x; \theta): theta the parameters of f
    primes,
    projections,
    prose_denotes,  # $S$ denotes the ... $F$: S = F
    prose_sizes,  # "the input vector would be a vector of size N" (rule prose-sizes)
    residual_update,  # x = LayerNorm(x + FFN(x)): the block's output replaces its input
    role_words,  # "`p` is the predicted probability": a scalar; "the parameter q"
    samples,
    set_colon,  # \min\{n' : ...\}: a set by a condition, refused at the colon
    state_tuples,  # S_t \leftarrow (m_t, v_t): a name for values
    tuple_pairs,
    tuples,
    unexpected,
    variant_weights,  # "If a weight tensor on each edge is provided": the general variant
    variants,
)
from .layout import DISPLAY, Layout
from .normalize import Normalized, Region, normalize
from .transform import ToAst

__all__ = ["ast", "parse"]

# Friendly names for the grammar's terminals, for "expected ..." in messages.
TERMINAL_NAMES = {
    "_RPAR": ")",
    "_RBRACK": "]",
    "_RBRACE": "}",
    "_LPAR": "(",
    "_LBRACK": "[",
    "_LBRACE": "{",
    "_RSET": "\\}",
    "NORM_CLOSE": "\\|",
    "ABS_CLOSE": "|",
    "DEFOP": "=",
    "_IN": "\\in",
    "COMPARE": "a comparison",
    "_SIM": "\\sim",
    "LETTER": "a symbol",
    "GREEK": "a symbol",
    "NUMBER": "a number",
    "_NL": "a new line",
    "$END": "the end of the input",
    "_COMMA": ",",
    "_DOLLAR": "$",
    "_DDOLLAR": "$$",
    "_ENV_CLOSE": "\\end{...}",
    "_END_MATRIX": "\\end{bmatrix}",
    "MULOP": "an operator",
    "HADAMARD": "\\odot",
    "PLUS": "+",
    "MINUS": "-",
    "_SUB": "_",
    "_SUP": "^",
    "_SENTENCE_END": ".",
    "_LINEBREAK": "\\\\",
    "_AMP": "&",
    "FONT": "\\mathbf{...}",
    "TEXT_CMD": "\\text{...}",
    "TRANSPOSE": "\\top",
    "DECOR": "\\tilde{...}",
    "PRIME": "'",
    "DOTS": "\\dots",
    "FUNC_CMD": "\\tanh",
    "FUNCWORD": "tanh",
}
# A statement that stops early usually stops at one of these; said in words.
_EXPECTED_WORDS = {
    "DEFOP": "an equation needs `=` (or `:=`) or a declaration `\\in`",
}

_lock = threading.Lock()
# LaTeX outside code: a command, or math delimiters (a formula written only as code has none)
_LATEX = re.compile(r"\\[A-Za-z]|\$")
# an equation outside code (a declaration alone, x \in R^n, leaves the code to be read)
_DEFINES = re.compile(
    r"(?<![<>!=])=(?!=)|\\(?:coloneqq|triangleq|equiv|leftarrow|gets)(?![A-Za-z])"
)
# RST docstrings are read: what their prose says of a symbol that would change the reading
# (`*` is convolution, a shape ``[a, b]``, a per-feature parameter) is refused where it is
# said (doubts.py), as are the primed next states h' of their cells. False refuses them all.
READ_RST = True


@cache
def _parser() -> tuple[Lark, Layout]:
    layout = Layout()
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text()
    parser = Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=layout,
        start=["start_plain", "start_mixed"],
        propagate_positions=True,
        maybe_placeholders=False,
    )
    layout.known_commands = _commands_in(parser)
    return parser, layout


def _commands_in(parser: Lark) -> tuple[str, ...]:
    """Every command the grammar's terminals name (``\\(alpha|beta|...)``), for suggestions."""
    names: set[str] = set()
    for term in parser.terminals:
        for group in re.findall(r"\\\\\\?\(([A-Za-z|]+)\)", term.pattern.value):
            names.update(group.split("|"))
        names.update(re.findall(r"\\\\([A-Za-z]{2,})", term.pattern.value))
    return tuple(sorted(names))


def is_mixed(text: str) -> bool:
    """Prose with math delimiters, or math alone? Decided by the delimiters themselves."""
    return "$" in text or "\\[" in text or "\\(" in text


def parse(source: Source | str) -> list[ast.Statement]:
    """Parse a whole source into statements, including declarations found in ``%`` comments.

    The text is normalised first (:mod:`papermath.parse.normalize`: RST roles, colours,
    boxes, line breaks inside equations), keeping every character where it is, so spans
    point into the text as given. Each region (display math, prose with inline math) is
    parsed with the rest blanked; where several refuse, the error first in the text wins.
    """
    if isinstance(source, str):
        source = Source(source)
    closing = cut_end.closing(source.text) or display_close.closing(source.text)  # cut_end
    norm = normalize(source.text + closing)  # cut before \end, or an empty env at the end
    if norm.rst is not None and not READ_RST:
        start, end = norm.rst
        raise ParseError(
            "a reStructuredText docstring (:math: roles, .. math:: blocks): papermath finds "
            "its math but does not read docstrings yet: their prose says what each symbol is "
            "(the hidden state, a shape ``NH``), which the reader does not read, and read "
            "without it several cells come out wrong",
            span=Span(start, max(end, start + 1)),
            hint="copy the equations out as LaTeX, with declarations (x_t \\in \\mathbb{R}^d) "
            "and `% inputs: ...` lines for what the prose says",
        )
    written_as_code: list[ast.Statement] = []
    if norm.code and not (_DEFINES.search(norm.text) and _LATEX.search(norm.text)):
        from .code import read_code  # the equations written only as code (parse/code.py)

        written_as_code = read_code(source.text)
    from .prose import read_prose  # sizes said in words, examples in the prose (parse.prose)

    norm, said = read_prose(norm)
    norm = order_conditions.blanked(norm)  # T^{(k \ge 2)} = ... below T^{(0)}, T^{(1)}
    norm, param_sets = param_semicolon.blanked(norm)  # f(x; \theta): theta f's parameters
    norm, block_sums = block_slice.blanked(norm)  # A_{v:}^\top [h_1 \dots h_{|V|}]: a sum
    statements, errors = _parse_regions(norm.regions, list(said))
    if errors:
        first = min(errors, key=lambda e: e.span.start if e.span is not None else 0)
        for start, end in norm.said:
            if first.span is not None and start <= first.span.start <= end:
                if primes.says_next_state(source.text[start:end]):
                    # Flax's "where x is the input and h is the output of the previous time
                    # step": the words that make h' the next state (parse/primes.py), prose
                    retry, retry_errors = _parse_regions(norm.regions, list(said), (start, end))
                    stepped = primes.rewrite(source.text, sorted(retry, key=_start))
                    if not retry_errors and any(
                        isinstance(s, primes.SteppedDefinition) for s in stepped
                    ):
                        statements, errors = retry, []
                        break
                words = source.text[start:end]  # "n_units: output depth", "the parameter q"
                if (
                    output_size.says_size(words)
                    or role_words.says_role(words)
                    or code_sums.says_count(words)  # "a total of `n` elements"
                    or prose_sizes.says(words)  # "a vector of size N", "a weights vector w"
                ):
                    read = _read_lines(source.text, norm.said, norm.regions, said, written_as_code)
                    if read is not None:
                        statements, errors = read, []
                        break
                    unread = _unread_line(source.text, norm, said, (start, end))
                    if isinstance(unread, ParseError):
                        raise unread  # the prose read, the equations refused on their own
                    start, end = unread
                refused = prose_sizes.sum_refusal(source.text[start:end], start)
                if refused is not None:  # "the sum is taken on those points i that ..."
                    raise refused
                line = " ".join(source.text[start:end].split())
                raise ParseError(
                    'this line is prose that says what symbols are ("'
                    + line[:60]
                    + ('..."' if len(line) > 60 else '"')
                    + "): papermath does not read "
                    "prose, and reading the equations without what it says could misread them",
                    span=Span(
                        start + len(source.text[start:end]) - len(source.text[start:end].lstrip()),
                        end,
                    ),
                    hint="say it in the notation: a declaration (x \\in \\mathbb{R}^{d}), or "
                    "a line `% inputs: x`; or delete the line if it says nothing of shapes "
                    "or roles",
                )
        if errors:
            raise first
    statements.extend(param_sets)  # f(x; \theta) (parse/param_semicolon.py)
    statements.extend(entry_vectors.declarations(source.text, norm.text))  # [w_1 .. w_n]
    block_slice.rebuilt(statements, block_sums)  # the sum over the nodes, in its place
    statements.extend(said for _, said in block_sums)
    statements.extend(_prose_statements(norm.text))
    statements.extend(prose_denotes.definitions(norm))  # $S$ denotes ... $F$: S = F
    statements.extend(written_as_code)
    statements.extend(minibatch_prose.declarations(source.text, statements))  # "1D mini-batch"
    statements.extend(role_words.declarations(source.text, statements))  # "`p` is the probability"
    statements.extend(prose_sizes.entry_declarations(source.text, statements))  # "z_i ... class i"
    statements.extend(coefficient_words.declarations(source.text, statements))  # e_{vu}
    statements.extend(capsule_widths.declarations(source.text, statements))  # "8D的Capsule"
    statements.extend(capsule_layers.declarations(source.text, statements))  # "× 16D" listed
    statements.extend(family_words.indicators(source.text, statements))  # "$T_k$ is $1$ if"
    statements.extend(complementary_weights.declarations(source.text, statements))  # T, 1-T
    statements.extend(ffn_widths.declarations(source.text, statements))  # "hidden layer $d$"
    statements.extend(group_arrays.declarations(source.text, statements))  # "-many arrays"
    statements = group_arrays.per_group_output(source.text, statements)  # y_i: one a group
    statements.sort(key=lambda s: s.span.start)
    statements = bracket_steps.rewrite(source.text, statements)  # h[t] = g(W h[t-1]): h_t
    statements = diagonal_words.rewrite(source.text, statements)  # W_{ci} "diagonal"
    statements = variant_weights.rewrite(source.text, statements)  # "If a weight ...": e_{ji} h_j
    statements = variants.rewrite(source.text, statements)  # "With Tanh: h_t = ...": left out
    statements = flag_forms.join(source.text, statements)  # u again "with momentum": forms
    statements = italic_links.rewrite(source.text, statements)  # upward x: a Linear link
    statements = primes.rewrite(source.text, statements)  # h' "the next hidden state"
    statements = entry_values.rewrite(source.text, statements)  # h(u,v)_i = u_i*v_i
    statements = projections.rewrite(source.text, statements)  # h_t = h_t W: projected
    statements = in_place.rewrite(source.text, statements)  # X' = f(X) then X' = X'/||X'||
    statements = residual_update.rewrite(source.text, statements)  # x = LN(x + FFN(x))
    statements = gradient_step.rewrite(source.text, statements)  # w <- w - eta dL/dw
    statements = italic_linear.rewrite(source.text, statements)  # lin(x): "linear transf."
    italic_names.check(source.text, statements)  # lin_x^i(x_t) on a right side: refused
    statements = frames.rewrite(source.text, statements)  # h_{t+1} = f(h_t): one frame
    statements = samples.rewrite(source.text, statements)  # L(a, p, n) = ... a_i: per sample
    per_sample = [s for s in statements if isinstance(s, samples.PerSampleDefinition)]
    statements.extend(code_example.declarations(source.text, statements, per_sample))  # randn
    statements = continuous_time.rewrite(source.text, statements)  # x'(t) = A x(t) + B u(t)
    statements = delta_names.rewrite(source.text, statements)  # \Delta w_t = ...: one name
    direction_labels.check(source.text, statements)  # h^{b}_t = f(.. h_{t-1}): refused
    doubts.check(source.text, statements)
    capsule_widths.check(source.text, statements)  # "32 types × 8D capsules": untied widths
    operator_words.check(source.text, statements)  # [. \circ .] said a concatenation
    bracket_sizes.check(source.text, statements)  # W_1 ... a [100x3072] matrix
    bracket_steps.check(source.text, statements)  # h[t] = g(W h[t-1]): a step in brackets
    bracket_blocks.check(source.text, statements)  # W_h = [W_{hx} W_{hh}]: blocks?
    gaussian_values.check(source.text, statements)  # g + N(0, \sigma^2): a draw
    return statements


def _start(s: ast.Statement) -> int:
    return s.span.start


def _read_lines(
    text: str,
    lines: tuple[tuple[int, int], ...],
    regions: tuple[Region, ...],
    said: list[ast.Statement],
    code: list[ast.Statement],
) -> list[ast.Statement] | None:
    """The statements with every line of prose that names symbols and that the rules
    ``output-size-argument`` (parse/output_size.py) and ``named-parameter`` /
    ``argument-role`` (parse/role_words.py) read blanked and read; None where another such
    line still fails, or one of them says nothing after all."""
    readable = [
        (a, b)
        for a, b in lines
        if output_size.says_size(text[a:b])
        or role_words.says_role(text[a:b])
        or code_sums.says_count(text[a:b])
        or prose_sizes.says(text[a:b])
    ]
    retry, errors = _parse_regions(regions, list(said), readable)
    if errors:
        return None
    seen = retry + code
    out: list[ast.Statement] = list(retry)
    for a, b in readable:
        if prose_sizes.says(text[a:b]):  # rule prose-sizes: declarations, or ranks alone
            sized = prose_sizes.read_line(text, a, b, seen)
            if sized is not None:
                out += sized
                continue
        found = (
            output_size.declaration(text, a, b, seen)
            or role_words.role_line(text[a:b], a, seen)
            or code_sums.count_line(text[a:b], a, seen)  # "a total of `n` elements"
        )
        if found is None and not role_words.says_parameter(text[a:b]):
            return None
        out += [found] if found is not None else []
    return out


def _unread_line(
    text: str, norm: Normalized, said: list[ast.Statement], line: tuple[int, int]
) -> tuple[int, int] | ParseError:
    """The line of prose that keeps the readable ones from being read: where the first error
    lies once every line the prose rules read is blanked (``line`` itself where none); that
    error itself where it lies outside the prose (the equations refused on their own)."""
    readable = [
        (a, b)
        for a, b in norm.said
        if output_size.says_size(text[a:b])
        or role_words.says_role(text[a:b])
        or code_sums.says_count(text[a:b])
        or prose_sizes.says(text[a:b])
    ]
    _, errors = _parse_regions(norm.regions, list(said), readable)
    starts = [e.span.start for e in errors if e.span is not None]
    if not starts:
        return line
    first = min(starts)
    if not any(a <= first <= b for a, b in norm.said):
        return min(errors, key=lambda e: e.span.start if e.span is not None else 0)
    return next(((a, b) for a, b in norm.said if a <= first <= b and (a, b) not in readable), line)


def _parse_regions(
    regions: tuple[Region, ...] | list[Region],
    said: list[ast.Statement],
    prose: tuple[int, int] | list[tuple[int, int]] | None = None,
) -> tuple[list[ast.Statement], list[ParseError]]:
    """Parse each region (``prose``: a line read as prose, blanked first)."""
    statements: list[ast.Statement] = list(said)
    errors: list[ParseError] = []
    for region in regions:
        text = region.text
        for a, b in [prose] if isinstance(prose, tuple) else prose or []:  # lines read as prose
            text = text[:a] + "".join(c if c == "\n" else " " for c in text[a:b]) + text[b:]
        try:
            found, comments = _parse_text(
                text, mixed=region.mixed, soft_newlines=region.soft_newlines
            )
        except ParseError as exc:
            again = partial(_parse_text, mixed=region.mixed, soft_newlines=region.soft_newlines)
            try:  # a, b = x, y: one equation per pair (parse/tuple_pairs.py)
                found, comments = tuple_pairs.after(exc, text, again)
            except ParseError as refused:
                try:  # S_t \leftarrow (m_t, v_t): a name for values (parse/state_tuples.py)
                    try:  # (h_t, c_t) = \text{LSTM}(x_t, ...): the cell (parse/cell_calls.py)
                        found, comments = cell_layers.after(  # numbered layers
                            refused, text, again
                        ) or cell_calls.after(refused, text, again)
                    except ParseError:
                        found, comments = state_tuples.after(refused, text, again)
                except ParseError as still:
                    try:  # "this layer computes $$...$$": its output (parse/output_display.py)
                        found, comments = output_display.after(still, text, again)
                    except ParseError as last:
                        errors.append(last)
                        continue
        statements.extend(found)
        for start, end in comments:
            statements.extend(_comment_statements(text, start, end))
    return statements, errors


def _parse_text(
    text: str, *, mixed: bool, soft_newlines: frozenset[int] = frozenset()
) -> tuple[list[ast.Statement], list[tuple[int, int]]]:
    parser, layout = _parser()
    with _lock:
        layout.mixed = mixed
        layout.text = text
        layout.soft_newlines = soft_newlines
        try:
            tree = parser.parse(text, start="start_mixed" if mixed else "start_plain")
        except ParseError:
            raise
        except lark.exceptions.UnexpectedInput as exc:
            raise _friendly(exc, text) from None
        except lark.exceptions.VisitError as exc:  # pragma: no cover - internal invariant
            raise exc.orig_exc from None
        comments = [(tok.start_pos or 0, tok.end_pos or 0) for tok in layout.comments]
    try:
        statements: list[ast.Statement] = ToAst(text).transform(tree)
    except lark.exceptions.VisitError as exc:  # a refusal while building (chains.resolve)
        if isinstance(exc.orig_exc, ParseError):
            raise exc.orig_exc from None
        raise
    return statements, comments


def _comment_statements(text: str, start: int, end: int) -> list[ast.Statement]:
    """Declarations and directives written in a ``%`` comment (``% x \\in \\mathbb{R}^m``).

    The comment is parsed in place (everything else blanked out), so spans stay true. A
    comment that does not parse is prose; a definition in a comment is commented-out math.
    """
    body = "".join(ch if ch == "\n" else " " for ch in text[: start + 1]) + text[start + 1 : end]
    roles = _ROLE_COMMENT.fullmatch(text, start + 1, end)
    if roles is not None:  # `% inputs: Q, K, V`: what the source says these symbols are
        kind = {"inputs": "input", "parameters": "parameter", "targets": "target"}[
            roles.group(1).lower()
        ]
        # symbols as written (\hat{A}, \mu, W_{xf}): the reader finds the symbol each names
        keys = [re.sub(r"\s", "", k) for k in roles.group(2).split(",") if k.strip()]
        return [ast.Directive(Span(start, end), "; ".join(f"{k} is {kind}" for k in keys))]
    named = _ACTIVATION_COMMENT.fullmatch(text, start + 1, end)
    if named is not None:  # `% \sigma_g: sigmoid` names an activation
        key = re.sub(r"[\\{}\s]", "", named.group(1))
        return [ast.Directive(Span(start, end), f"{key} is {named.group(2)}")]
    try:
        statements, _ = _parse_text(body, mixed=False)
    except ParseError:
        return []
    return [s for s in statements if isinstance(s, ast.Declaration | ast.Sampling | ast.Directive)]


def _prose_statements(text: str) -> list[ast.Statement]:
    """What prose says of an activation: "where $\\sigma_g$ is the sigmoid function", "\\phi_h
    denotes the hyperbolic tangent" (prose is not notation: it is matched as words)."""
    out: list[ast.Statement] = []
    for m in _PROSE_ACTIVATION.finditer(text):
        key = re.sub(r"[\\{}\s$]", "", m.group(1))
        word = m.group(2).lower()
        name = {"hyperbolic tangent": "tanh", "logistic": "sigmoid", "rectifier": "relu"}.get(
            word, word
        )
        out.append(ast.Directive(Span(m.start(), m.end()), f"{key} is {name}"))
    for m in _PROSE_RESPECTIVELY.finditer(text):
        # ":math:`\sigma` and :math:`g` denote the sigmoid and softplus functions, respectively"
        keys = [re.sub(r"[\\{}\s$`]|:math:", "", m.group(k)) for k in (1, 2)]
        for key, word in zip(keys, (m.group(3).lower(), m.group(4).lower()), strict=True):
            out.append(ast.Directive(Span(m.start(), m.end()), f"{key} is {word}"))
    return out


# ":math:`\sigma` and :math:`g` denote the sigmoid and softplus functions, respectively": two
# single letters (or Greek letters) and two known elementwise functions, in order
_FN_WORDS = r"(sigmoid|tanh|relu|softplus|softmax|elu|gelu|identity)"
_PROSE_LETTER = r"(?::math:`|\$)(\\?[A-Za-z]+)(?:`|\$)"
_PROSE_RESPECTIVELY = re.compile(
    rf"{_PROSE_LETTER}\s+and\s+{_PROSE_LETTER}\s+denote\s+the\s+{_FN_WORDS}\s+and\s+"
    rf"{_FN_WORDS}\s+functions,?\s+respectively",
    re.IGNORECASE,
)


# "where $\sigma_g$ is the sigmoid", "$\phi_h$ denotes the hyperbolic tangent function"
_PROSE_ACTIVATION = re.compile(
    r"\$?(\\(?:sigma|phi|varphi)\s*_\s*(?:\{\s*[A-Za-z]+\s*\}|[A-Za-z]))\$?\s+"
    r"(?:is|denotes|stands\s+for)\s+(?:the\s+|an?\s+)?(?:element-?wise\s+)?"
    r"(sigmoid|logistic|tanh|hyperbolic tangent|relu|rectifier|softmax|identity)",
    re.IGNORECASE,
)


# A comment that says which symbols are inputs (or parameters, targets): `% inputs: Q, K, V`.
_ROLE_COMMENT = re.compile(
    r"\s*(inputs|parameters|targets)\s*:\s*((?:[^,\n]+,)*[^,\n]+?)\s*\.?\s*", re.IGNORECASE
)
# A comment that names an activation: `% \sigma_g: sigmoid`, `% \phi_h = tanh`; also a
# command with no subscript (`% \phi: relu`) and a styled letter (`% \mathcal{H}: tanh`, as
# the hints of read/rules_roles.py say), never a bare word (`% Note: ...` is prose)
_ACTIVATION_COMMENT = re.compile(
    r"\s*(\\?[A-Za-z]+\s*_\s*(?:\{\s*[A-Za-z]+\s*\}|[A-Za-z])"
    r"|\\(?:math(?:cal|bb|rm|bf|frak|scr|it|sf)|operatorname|text|mbox|hbox)\s*\{\s*[A-Za-z]+\s*\}"
    r"|\\[A-Za-z]+)"
    r"\s*[:=]\s*([A-Za-z]+)\s*"
)


def _friendly(exc: lark.exceptions.UnexpectedInput, text: str) -> ParseError:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, lark.exceptions.UnexpectedToken):
        tok = exc.token
        expected = sorted(
            {TERMINAL_NAMES.get(t, t) for t in exc.expected if not t.startswith("__")}
        )
        if tok.type == "_PROSE" and str(tok).strip()[:1] not in "{}()[]+-=,;_^|&.'":
            at = tok.start_pos + (len(tok) - len(str(tok).lstrip()))
            if (sliced := index_slices.slice_in_script(text, at)) is not None:
                return sliced  # A_{v:}: a row of a matrix (parse/index_slices.py)
            ch = str(tok).strip()[:1]
            if (edge := arrow_sums.refusal(ch, Span(at, at + 1), text)) is not None:
                return edge  # \sum_{v_j→v}: a sum over the edges into v (parse/arrow_sums.py)
            if (colon := set_colon.refusal(ch, Span(at, at + 1), text)) is not None:
                return colon  # \min\{n' : ...\}: a set by a condition (parse/set_colon.py)
            if (signature := map_signature.refusal(ch, Span(at, at + 1), text)) is not None:
                return signature  # f: R^D \rightarrow R^L (parse/map_signature.py)
            return ParseError(
                f"papermath cannot read the character {str(tok).strip()[:1]!r} here",
                span=Span(
                    tok.start_pos + (len(tok) - len(str(tok).lstrip())),
                    tok.start_pos + (len(tok) - len(str(tok).lstrip())) + 1,
                ),
                hint=_character_hint(str(tok).strip()[:1]),
            )
        before = (text if tok.type == "$END" else text[: tok.start_pos]).rstrip()
        if before.endswith(("_", "^")):
            return ParseError(
                "a subscript or superscript is missing after _ or ^",
                span=Span(len(before) - 1, len(before)),
                hint="write what goes there, as in x_t, h_{t-1}, x^2 or h^{(T)}",
            )
        if tok.type == "$END":
            if (never := open_math.refusal(text, set(exc.expected))) is not None:
                return never  # $$ opened and never closed: at the $$ (parse/open_math.py)
            span = Span(len(text.rstrip()), len(text.rstrip()) + 1) if text.strip() else Span(0, 0)
            return ParseError(
                "the input ends in the middle of an expression",
                span=span,
                hint=_expected_hint(exc.expected, expected),
            )
        start = text.rfind("\n", 0, tok.start_pos or 0) + 1
        line = text[start : text.find("\n", tok.start_pos or 0) % (len(text) + 1)]
        before = re.split(r"\$|\\\[|\\\(|\\\\", text[start : tok.start_pos or 0])[-1]
        if (tok.type == "_COMMA" and _TUPLE_LHS.match(line)) or (
            tok.type == "DEFOP" and _top_level_comma(before) and "=" not in before
        ):
            if (err := tuples.left_tuple(text, start)) is not None:
                return err  # the whole left side, and what to write (parse/tuples.py)
            return ParseError(
                "a tuple on the left side ((h_t, c_t) = ...) is not read yet",
                span=Span(tok.start_pos or 0, max(tok.end_pos or 0, (tok.start_pos or 0) + 1)),
                hint="write one equation for each value it names (h_t = ..., c_t = ...)",
            )
        from .index_tuples import refusal as multi_index  # i = (i_N, i_C, i_H, i_W)

        if tok.type == "_COMMA" and (err := multi_index(before, tok.start_pos or 0)):
            return err  # an index written as a tuple of indices (parse/index_tuples.py)
        if tok.type == "_COMMA" and _TUPLE_RHS.search(before):
            # optax's S_t \leftarrow (m_t, v_t): the optimiser's state named as a whole
            return ParseError(
                "a tuple on the right side (as (m_t, v_t)) is not read: an equation defines one "
                "value",
                span=Span(tok.start_pos or 0, (tok.start_pos or 0) + 1),
                hint="write one equation for each value; a line that only names the values "
                "together (S_t \\leftarrow (m_t, v_t), the state) can be deleted",
            )
        shown = DISPLAY.get(tok.type, str(tok)).strip() or repr(str(tok))
        if tok.type == "_PROSE":
            shown = str(tok).strip()[:1]
            tok = Token(
                tok.type,
                shown,
                start_pos=tok.start_pos + str(tok).index(shown),
                end_pos=tok.start_pos + str(tok).index(shown) + 1,
            )
        if tok.type == "_NL":
            shown = "the end of the line"
        if (starred := index_slices.star_in_script(text, tok.start_pos or 0)) is not None:
            return starred  # U_{*,i}: a whole column (parse/index_slices.py)
        said = unexpected.explain(  # what was expected there, and why (parse/unexpected.py)
            tok.type, shown, tok.start_pos or 0, tok.end_pos or 0, set(exc.expected), text
        )
        if said is not None:
            return said
        return ParseError(
            f"unexpected {shown}",
            span=Span(tok.start_pos, max(tok.end_pos, tok.start_pos + 1)),
            hint=_expected_hint(exc.expected, expected),
        )
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        if (sliced := index_slices.slice_in_script(text, pos or 0)) is not None:
            return sliced  # A_{v:}: a row of a matrix (parse/index_slices.py)
        ch = text[pos] if pos is not None and pos < len(text) else "?"
        if (edge := arrow_sums.refusal(ch, Span(pos or 0, (pos or 0) + 1), text)) is not None:
            return edge  # \sum_{v_j→v}: a sum over the edges into v (parse/arrow_sums.py)
        if (colon := set_colon.refusal(ch, Span(pos or 0, (pos or 0) + 1), text)) is not None:
            return colon  # \min\{n' : ...\}: a set by a condition (parse/set_colon.py)
        if signature := map_signature.refusal(ch, Span(pos or 0, (pos or 0) + 1), text):
            return signature  # f: R^D \rightarrow R^L (parse/map_signature.py)
        return ParseError(
            f"papermath cannot read the character {ch!r} here",
            span=Span(pos or 0, (pos or 0) + 1),
            hint=_character_hint(ch),
        )
    return ParseError(
        "the input ends in the middle of an expression",
        span=Span(max(0, len(text) - 1), len(text)),
    )


# `(h_t^1, c_t^1) &= \text{EncoderLSTM}(...)`: several values on the left side
_TUPLE_LHS = re.compile(r"\s*(?:\$\$|\\\[)?\s*\([^()=]*,[^()=]*\)\s*&?\s*=")
# `S_t &\leftarrow (m_t` before a comma: a tuple as the whole right side
_TUPLE_RHS = re.compile(r"(?:=|:=|\\leftarrow|\\gets|\\coloneqq)\s*(?:\\left)?\(\s*[^(),=]+$")
# characters typed for LaTeX commands (Unicode mathematics), and what to write instead
_UNICODE = {
    "→": "\\to",
    "←": "\\leftarrow",
    "≤": "\\leq",
    "≥": "\\geq",
    "≠": "\\neq",
    "∈": "\\in",
    "×": "\\times",
    "·": "\\cdot",
    "⊙": "\\odot",
    "⊗": "\\otimes",
    "∑": "\\sum",
    "√": "\\sqrt{...}",
    "σ": "\\sigma",
    "α": "\\alpha",
    "β": "\\beta",
    "γ": "\\gamma",
    "ε": "\\epsilon",
    "η": "\\eta",
    "θ": "\\theta",
    "λ": "\\lambda",
    "μ": "\\mu",
    "∥": "\\|",
    "ᵀ": "^\\top",
}


def _top_level_comma(text: str) -> bool:
    """A comma outside brackets and braces (``a^{(i)}, b^{(i)}``)."""
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            return True
    return False


def _character_hint(ch: str) -> str:
    """What to write for a character the grammar does not read.

    >>> _character_hint("→")
    'write it as LaTeX: \\\\to'
    """
    if ch in _UNICODE:
        return f"write it as LaTeX: {_UNICODE[ch]}"
    if ch in '`"':
        return "quotes and backticks are prose or code, not LaTeX: write the formula in LaTeX"
    if ch in "<>":
        return "a comparison or markup is not an equation: write the equation with ="
    return "see docs/notation.md for what papermath reads"


def _expected_hint(raw: set[str], names: list[str]) -> str:
    for term, words in _EXPECTED_WORDS.items():
        if term in raw:
            return words
    if len(names) > 8:
        return "the expression is not complete here"
    return "expected " + ", ".join(names)
