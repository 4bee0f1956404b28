"""Check a generated module before it runs: defence in depth behind the generators.

The generators write user text into a module only as ``#`` comments or ``repr()`` literals,
and names only from a strict ASCII alphabet (``emit.Names``, ``emit.check_program_names``).
This module checks the result anyway, with Python's own parser, before papermath executes
it (``load.load_module``: ``to_numpy``, ``to_torch``, ``check``, worked examples, the
workbench). A module is accepted only if:

- every top-level statement is papermath's fixed code, statement for statement the same
  syntax tree as one of the templates in the generators (the helpers, the kernel build), or
  is built from what the generators emit: the docstring, imports of numpy, torch, math (and
  os, sys, time beside the kernel build), constants assigned literal values, functions and
  classes whose bodies pass the rules below;
- inside functions: no import, ``global``, ``nonlocal``, ``async``, ``await`` or ``yield``;
  no builtin but the plain ones the generators call (``range``, ``len``, ``zip``, ...): never
  ``exec``, ``eval``, ``compile``, ``open``, ``__import__``, ``getattr``, ``globals``;
  no dunder name or attribute; an attribute of a library (``np.tanh``, ``torch.addmm``) only
  from the list of those the generators write (none that reads or writes files: no
  ``np.load``, ``torch.save``); any other attribute (a tensor's ``.reshape``, the autograd
  context's ``.saved_tensors``) only from the list of method and field names they write;
- the C++ source of fused kernels is ASCII, includes only torch's headers and the few
  standard ones the kernel writer uses, and calls nothing that opens files or processes.

A module that fails is never run: :func:`verify` raises :class:`UnsafeModule` (an internal
error, not the user's) with every reason and its line.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
import textwrap

from ..errors import InternalError

# what generated code may import: module -> the names it may bind (alias or from-import)
IMPORTS = {
    "numpy": {"np"},
    "torch": {"torch"},
    "torch.nn.functional": {"F"},
    "torch.nn": {"nn"},
    "math": {"math"},
    "os": {"os"},
    "sys": {"sys"},
    "time": {"time"},
}
FROM_IMPORTS = {("torch", "nn")}
MODULE_NAMES = {"np", "torch", "F", "nn", "math", "os", "sys", "time"}

# builtins the generators call or name; every other builtin (exec, eval, open, getattr,
# __import__, globals, vars, input, breakpoint, type, object, ...) is refused
BUILTINS = {
    "range", "len", "zip", "enumerate", "reversed", "sorted", "min", "max", "sum", "abs",
    "any", "all", "int", "float", "bool", "str", "dict", "list", "tuple", "set", "frozenset",
    "isinstance", "staticmethod", "super", "print", "None", "True", "False",
    "TypeError", "ValueError", "KeyError", "RuntimeError", "NotImplementedError",
}  # fmt: skip

# library attributes the generators write, by dotted path (tests/test_injection.py checks
# every generated module of the corpora and catalog, and every elementwise row's spelling);
# nothing that touches files, processes or the network
LIBRARY = {
    # numpy
    "np.abs", "np.add", "np.arange", "np.asarray", "np.broadcast_to", "np.concatenate",
    "np.cos", "np.cosh", "np.diag", "np.diagonal", "np.einsum", "np.empty", "np.exp",
    "np.expm1", "np.float64", "np.full", "np.log", "np.log1p", "np.logaddexp", "np.matmul",
    "np.maximum", "np.minimum", "np.moveaxis", "np.ndim", "np.ones", "np.ones_like",
    "np.outer", "np.pi", "np.power", "np.prod", "np.sign", "np.sin", "np.sinh", "np.sqrt",
    "np.square", "np.stack", "np.sum", "np.swapaxes", "np.tanh", "np.tile", "np.transpose",
    "np.where", "np.zeros", "np.zeros_like", "np.add.at", "np.newaxis", "np.eye",
    "np.vectorize", "np.float32", "np.clip", "np.exp2", "np.mean", "np.var", "np.split",
    "np.repeat", "np.bincount", "np.full_like", "np.empty_like", "np.isfinite", "np.errstate",
    "np.array", "np.cumprod", "np.expand_dims", "np.int64", "np.cumsum", "np.argmax",
    "np.linalg.inv",  # papermath/ops/matrix.py: the inverse of a square matrix
    "np.take_along_axis",  # papermath/ops/structure.py: gather, f_{y_i}
    # torch
    "torch.abs", "torch.addmm", "torch.autograd", "torch.autograd.Function", "torch.bmm",
    "torch.cat", "torch.cos", "torch.cosh", "torch.diag", "torch.diagonal", "torch.einsum",
    "torch.empty", "torch.empty_like", "torch.erf", "torch.exp", "torch.expm1",
    "torch.float32", "torch.float64", "torch.full", "torch.is_grad_enabled", "torch.log",
    "torch.log1p", "torch.logaddexp", "torch.long", "torch.matmul", "torch.maximum",
    "torch.minimum", "torch.mm", "torch.no_grad", "torch.ones", "torch.ones_like",
    "torch.outer", "torch.pi", "torch.pow", "torch.prod", "torch.relu", "torch.sigmoid",
    "torch.sign", "torch.sin", "torch.sinh", "torch.sqrt", "torch.square", "torch.stack",
    "torch.sum", "torch.tanh", "torch.tensor", "torch.where", "torch.zeros",
    "torch.zeros_like", "torch.softmax", "torch.clamp", "torch.segment_reduce",
    "torch.arange", "torch.eye", "torch.broadcast_to", "torch.movedim", "torch.transpose",
    "torch.baddbmm", "torch.mean", "torch.var", "torch.split", "torch.repeat_interleave",
    "torch.index_add", "torch.scatter_add", "torch.bincount", "torch.full_like",
    "torch.isfinite", "torch.int64", "torch.bool", "torch.float16", "torch.bfloat16",
    "torch.finfo", "torch.Tensor", "torch.amax", "torch.logsumexp",
    "torch.linalg.inv", "torch.linalg.matrix_exp",  # papermath/ops/matrix.py
    "torch.gather",  # papermath/ops/structure.py: gather, f_{y_i}
    "F.linear", "F.softmax", "F.relu", "F.gelu", "F.elu", "F.softplus", "F.layer_norm",
    "F.log_softmax", "F.silu", "F.sigmoid", "F.tanh", "F.leaky_relu", "F.normalize",
    "nn.Module", "nn.Parameter", "nn.functional",
    "math.sqrt", "math.erf", "math.pi", "math.exp", "math.log", "math.prod", "math.tanh",
    "math.isfinite",
}  # fmt: skip

# attributes of values (arrays, tensors, the autograd context, the kernel module, lists):
# the method and field names the generators write
ATTRIBUTES = {
    # arrays and tensors
    "T", "shape", "dtype", "device", "ndim", "reshape", "view", "sum", "mean", "max", "min",
    "transpose", "contiguous", "unbind", "unsqueeze", "squeeze", "expand", "expand_as",
    "new_zeros", "new_empty", "new_ones", "new_full", "new_tensor", "copy_", "zero_", "add_",
    "mul_", "index_add_", "index_add", "scatter_add_", "scatter_add", "index_select",
    "clone", "detach", "to", "float", "double", "astype", "copy", "fill_", "item", "numel",
    "size", "flip", "cumsum", "sqrt", "exp", "tanh", "abs", "sign", "pow", "clamp",
    "masked_fill", "swapaxes", "movedim", "permute", "flatten", "repeat", "narrow",
    "select", "split", "chunk", "matmul", "mm", "bmm", "addmm_", "addmm", "baddbmm_",
    "requires_grad", "is_contiguous", "argmax", "softmax", "any", "all", "at", "outer",
    "dim", "keepdim", "prod", "type", "real", "numpy", "tolist", "diagonal", "square",
    "uniform_", "normal_", "data", "grad", "is_floating_point", "log", "sigmoid", "relu",
    "sin", "cos", "sinh", "cosh", "neg", "expm1", "log1p", "reciprocal", "cumprod",
    "maximum", "minimum", "clamp_min", "clamp_max", "buffers", "new_empty_strided",
    # the autograd context, autograd.Function, nn.Module
    "saved_tensors", "save_for_backward", "needs_input_grad", "set_materialize_grads",
    "apply", "fused", "K", "N", "like", "wanted", "named_parameters",
    "register_parameter", "add_module", "parameters", "training",
    # the fused kernels' module (names fwd0, bwd0, ... are checked by pattern) and lists,
    # dicts, random generators
    "gemm", "gemm2", "append", "extend", "pop", "get", "items", "keys", "values", "update",
    "setdefault", "uniform", "standard_normal", "normal", "integers",
}  # fmt: skip
KERNEL_FUNCTION = re.compile(r"(fwd|bwd)\d+")

# C++ of fused kernels: plain ASCII, torch's headers and a few standard ones
CPP_INCLUDE = re.compile(r"^\s*#\s*include\s*(.*)$", re.M)
CPP_INCLUDES = {"<torch/extension.h>", "<ATen/Parallel.h>", "<ATen/native/CPUBlas.h>",
                "<cmath>", "<vector>", "<algorithm>", "<cstring>"}  # fmt: skip
CPP_FORBIDDEN = re.compile(
    r"\b(system|popen|fopen|open|exec[lv]p?e?|fork|dlopen|asm|__asm__|remove|unlink|"
    r"rename|socket|connect|getenv|std::ifstream|std::ofstream|std::fstream|_Pragma)\b"
)


# what never appears inside generated functions
FORBIDDEN: dict[type, str] = {
    ast.Import: "an import inside a function",
    ast.ImportFrom: "an import inside a function",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.AsyncFunctionDef: "async def",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.ClassDef: "a class inside a function",
}


class UnsafeModule(InternalError):
    """A generated module that fails the check: a defect in papermath, never run."""


def _templates() -> list[str]:
    """The generators' fixed code: helpers, the kernel build, the model's fixed methods."""
    from . import source, steps
    from .emit import NUMPY_HELPERS, TORCH_HELPERS

    out = [NUMPY_HELPERS, TORCH_HELPERS, *source.TEMPLATES]
    return out + steps.TRUSTED_TEMPLATES


@functools.cache
def _trusted() -> frozenset[str]:
    """The syntax trees (``ast.dump``) of every fixed top-level statement and function of the
    templates: a statement or method of a generated module equal to one is papermath's own."""
    dumps: set[str] = set()
    for text in _templates():
        for node in ast.parse(_dedent(text)).body:  # top-level statements (and methods) only
            dumps.add(ast.dump(node))
            if isinstance(node, ast.ClassDef):
                dumps |= {ast.dump(item) for item in node.body}
    return frozenset(dumps)


def _dedent(text: str) -> str:
    return textwrap.dedent(text.strip("\n"))


class _Checker(ast.NodeVisitor):
    def __init__(self, defined: set[str]) -> None:
        self.defined = defined  # top-level functions and classes of the module
        self.errors: list[str] = []

    def fail(self, node: ast.AST, why: str) -> None:
        self.errors.append(f"line {getattr(node, 'lineno', '?')}: {why}")

    def generic_visit(self, node: ast.AST) -> None:
        why = FORBIDDEN.get(type(node))
        if why is not None:  # what never appears in generated functions: not looked into
            self.fail(node, why)
            return
        super().generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("__") and node.name.endswith("__"):
            self.fail(node, f"a dunder method {node.name}")
        for d in node.decorator_list:
            if not (isinstance(d, ast.Name) and d.id == "staticmethod"):
                self.fail(d, "a decorator other than staticmethod")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if name.startswith("__"):
            self.fail(node, f"the name {name}")
        elif (
            hasattr(builtins, name)
            and name not in BUILTINS
            and name not in self.defined
            and not isinstance(node.ctx, ast.Store)
        ):
            self.fail(node, f"the builtin {name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        path = _dotted(node)
        if node.attr.startswith("__"):
            self.fail(node, f"the attribute {node.attr}")
        elif path is not None and path.split(".")[0] in MODULE_NAMES:
            if path not in LIBRARY and not any(p.startswith(path + ".") for p in LIBRARY):
                self.fail(node, f"{path} is not among the library functions generated code uses")
            return  # the chain is checked whole
        elif node.attr not in ATTRIBUTES and not KERNEL_FUNCTION.fullmatch(node.attr):
            self.fail(node, f"the attribute .{node.attr} is not one generated code uses")
        self.generic_visit(node)


def _dotted(node: ast.AST) -> str | None:
    """``np.add.at`` -> "np.add.at"; None when the chain does not start at a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def problems(source: str) -> list[str]:
    """Every reason ``source`` is not a module papermath generates; [] when it is."""
    if "\x00" in source:
        return ["a NUL character"]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return [f"not valid Python: {exc}"]
    trusted = _trusted()
    defined = {
        n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)
    } | {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
         if isinstance(t, ast.Name)}  # fmt: skip
    checker = _Checker(defined)
    for i, node in enumerate(tree.body):
        if ast.dump(node) in trusted:
            continue
        match node:
            case ast.Expr(value=ast.Constant(value=str())) if i == 0:
                continue  # the docstring
            case ast.Import(names=names):
                for a in names:
                    if a.name not in IMPORTS or (a.asname or a.name) not in IMPORTS[a.name]:
                        checker.fail(node, f"the import of {a.name}")
            case ast.ImportFrom(module=module, names=names, level=0):
                for a in names:
                    if (module, a.name) not in FROM_IMPORTS or a.asname is not None:
                        checker.fail(node, f"the import of {a.name} from {module}")
            case ast.Assign(targets=[ast.Name(id=name)], value=value) if _is_literal(value):
                if name.startswith("__"):
                    checker.fail(node, f"the name {name}")
                if name == "_KERNEL_SOURCE":
                    checker.errors += cpp_problems(ast.literal_eval(value))
            case ast.FunctionDef():
                checker.visit(node)
            case ast.ClassDef(name=name, bases=bases, keywords=[], decorator_list=[]):
                for b in bases:
                    if _dotted(b) not in ("nn.Module", "torch.autograd.Function"):
                        checker.fail(b, "a base class other than nn.Module or autograd.Function")
                for item in node.body:
                    if ast.dump(item) in trusted:
                        continue
                    match item:
                        case ast.Expr(value=ast.Constant(value=str())):
                            continue  # its docstring
                        case ast.FunctionDef():
                            checker.visit(item)
                        case _:
                            checker.fail(item, "a class body holds only methods")
            case _:
                checker.fail(node, f"a top-level {type(node).__name__}")
    return checker.errors


def cpp_problems(code: str) -> list[str]:
    """Reasons the C++ of fused kernels is not what the kernel writer emits."""
    out = []
    if not code.isascii():
        out.append("the kernel source is not ASCII")
    for inc in CPP_INCLUDE.findall(code):
        if inc.strip() not in CPP_INCLUDES:
            out.append(f"the kernel source includes {inc.strip()}")
    bad = CPP_FORBIDDEN.search(code)
    if bad:
        out.append(f"the kernel source calls {bad.group(0)}")
    return out


def verify(source: str, name: str) -> None:
    """Raise :class:`UnsafeModule` unless ``source`` passes every rule above."""
    found = problems(source)
    if found:
        shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
        raise UnsafeModule(
            f"the generated module {name} failed papermath's safety check and was not run: {shown}",
            hint="this is a defect in papermath; please report the equations that caused it",
        )
