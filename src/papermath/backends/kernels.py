"""Fused step kernels: the elementwise work of one step of a recurrence, forward and backward,
generated as C++ (ATen, ``at::parallel_for`` over the batch) and built once with
``torch.utils.cpp_extension.load_inline``: in the background at a first use, which runs as
torch ops meanwhile, under papermath's own lock, cached on disk by a hash of the source, the
compiler, the flags, torch, Python and the CPU (``steps.BUILD``, the code each generated
module holds; the cache's command line, ``papermath kernels``: ``kernel_cache.py``).

Per step, the generated ``autograd.Function`` (steps.py) then runs: the products with the
weights (``gemm``, in the same module: oneDNN's micro-kernel over tiles), and ONE kernel for
everything elementwise (the gates, the cell update, their derivatives), where autograd would
run 7-20 small torch calls. The kernel's source
depends on the cell's structure only: sizes (H, the widths and offsets of the gate blocks)
are arguments, so one build serves every size.

What is fused: weight products read the previous states or the per-step inputs; everything
else in the step is elementwise over one width H (the primitives with a C++ rule,
``ir.rules.cpp_rules``: sums, products, quotients, powers, the functions with C++ in
``ops/functions.py``), reading gate blocks (slices) of the products or inputs, the previous
states, parameter vectors and numbers. Anything else keeps the torch-ops path of steps.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from ..ir.prims import (
    add_p,
    affine_p,
    const_p,
    matmul_p,
    slice_p,
    sub_p,
)
from ..ir.program import Op, Program, Value
from ..ir.rules import cpp_rules, rule
from ..shapes.sizes import Size

# what a kernel handles itself besides the primitives with a C++ rule (ir.rules.cpp_rules):
# numbers (written inline) and gate blocks (a source read at an offset)
STRUCTURE = (const_p, slice_p)


@dataclass
class Plan:
    """How one step is fused: which values come in (sources: batched (N, W) tensors read
    at an offset; params: vectors or scalars), which are computed, which are kept. A wide
    sum (``x W_x + h W_h + b`` over all four gates, width 4H) read only through its gate
    blocks is never formed: each block reads its terms (``wide``: value -> signed terms)."""

    width: Size  # the size H every elementwise value has
    weight_ops: list[Op]
    ops: list[Op]  # the elementwise ops, in order (wide sums left out)
    sources: list[Value] = field(default_factory=list)  # weight outputs, sequences, states
    params: list[Value] = field(default_factory=list)
    wide: dict[Value, list[tuple[int, Value]]] = field(default_factory=dict)
    after: list[Op] = field(default_factory=list)  # products of this kernel's values, next

    def terms(self, v: Value) -> list[tuple[int, Value]]:
        """A value read in blocks, as signed sources and params (itself, if it is one)."""
        return self.wide.get(v, [(1, v)])


def chains(p: Program, sequences: list[Value], statics: list[Value]) -> dict[Op, Op]:
    """Products whose bias is another product of the step, read nowhere else (the input's
    projection kept in the step: ``W_h h_{t-1} + (W_x x_t + b)``, or GG-NN's
    ``U (r_t * h_{t-1}) + W a_t``), each to the product that feeds it: both run into one
    buffer, the first at the start of the step, the second adding to it where it runs."""
    weight = {op.out: op for op in p.step_ops if op.prim in (affine_p, matmul_p)}
    uses: dict[Value, int] = {}
    for op in p.step_ops:
        for v in op.inputs:
            uses[v] = uses.get(v, 0) + 1
    outputs = set(p.outputs.values())
    given = {s.prev for s in p.states} | set(sequences)
    out: dict[Op, Op] = {}
    for op in weight.values():
        b = op.inputs[2] if op.prim is affine_p else None
        if b not in weight or uses[b] != 1 or b in outputs:
            continue
        first = weight[b]
        bias = first.inputs[2] if first.prim is affine_p else None
        bias_given = bias is None or bias in sequences or bias in statics
        if first.inputs[1] in given and bias_given and first not in out.values():
            out[op] = first
    return out


def plans(p: Program, sequences: list[Value], statics: list[Value]) -> list[Plan] | str:
    """The fusion plan of ``p``'s step, one kernel per phase, or why it cannot be fused. A
    product of a value of the step (GG-NN's ``U (r_t \\odot h_{t-1})``) ends a phase: the
    kernel of the values it needs, the product, then the kernel of the rest."""
    if p.bidirectional:  # Program.back_ops: a second loop, which no kernel runs
        return "a state carried backwards in time (a loop from the last step down)"
    prevs = {s.prev for s in p.states}
    weight_ops = [op for op in p.step_ops if op.prim in (affine_p, matmul_p)]
    rest = [op for op in p.step_ops if op not in weight_ops]
    phase: dict[Value, int] = {v: 0 for v in [*prevs, *sequences, *statics]}
    of: dict[Op, int] = {}
    after: dict[int, list[Op]] = {}
    chained = chains(p, sequences, statics)
    for op in p.step_ops:
        if op in weight_ops:
            x = op.inputs[1]
            bias = op.inputs[2] if op.prim is affine_p else None
            bias_ok = bias is None or bias in sequences or bias in statics
            bias_ok = bias_ok or op in chained
            if not bias_ok:
                return "a bias computed in the same step"
            if x in prevs or x in sequences:
                phase[op.out] = 0
            elif any(x is w.out for w in weight_ops):  # no kernel writes a product's value
                return "a product of a product computed in the same step"
            elif x in phase:  # a value of phase k: the product runs after that kernel
                k = phase[x]
                after.setdefault(k, []).append(op)
                phase[op.out] = k + 1
            else:
                return "a product with a value computed in the same step"
        else:
            phase[op.out] = of[op] = max((phase.get(v, 0) for v in op.inputs), default=0)
    count = 1 + max(of.values(), default=0)
    initial = [op for op in weight_ops if not any(op in ops for ops in after.values())]
    out: list[Plan] = []
    for k in range(count):
        ops_k = [op for op in rest if of[op] == k]
        ready = [op.out for op in initial] + [op.out for j in range(k) for op in after.get(j, [])]
        earlier = [op.out for op in rest if of[op] < k]
        got = _phase(ops_k, ready, [*sequences, *prevs], earlier, statics)
        if isinstance(got, str):
            return got
        got.weight_ops = [op for op in weight_ops if op.out in got.sources]
        got.after = after.get(k, [])
        out.append(got)
    widths = {pl.width for pl in out}
    if len(widths) != 1:
        return "elementwise values of different widths"
    defined = set(p.outputs.values())  # states and outputs are read whole, never in blocks
    if any(v in defined for pl in out for v in pl.wide):
        return "a state or an output of another width than the kernel's"
    wide = {v for pl in out for v in pl.wide}  # kept as its terms, never written whole
    if any(op.inputs[1] in wide for ops in after.values() for op in ops):
        return "a product of a sum of another width than the kernel's"
    return out


def _phase(
    rest: list[Op],
    weight_outs_list: list[Value],
    given: list[Value],
    earlier: list[Value],
    statics: list[Value],
) -> Plan | str:
    """One kernel: its elementwise ops over one width H, what they read from outside (the
    products, the per-step inputs, the previous states, the values of earlier kernels)."""
    weight_outs = set(weight_outs_list)
    incoming_all = {*weight_outs, *given, *earlier}
    widths = {op.out.shape for op in rest if op.prim is slice_p}
    widths |= {op.out.shape for op in rest if op.prim not in (const_p, add_p, sub_p)}
    if len(widths) != 1 or len(next(iter(widths))) != 1:
        return "elementwise values of different widths"
    (width,) = next(iter(widths))
    # sums and differences wider than H, read only through blocks: kept as their terms
    wide: dict[Value, list[tuple[int, Value]]] = {}
    for op in rest:
        if op.prim in (add_p, sub_p) and op.out.shape != (width,) and op.out.shape:
            terms: list[tuple[int, Value]] = []
            for sign, v in zip((1, 1 if op.prim is add_p else -1), op.inputs, strict=True):
                if v in wide:
                    terms += [(sign * s, b) for s, b in wide[v]]
                elif v in weight_outs or v in given or (v in statics and v.shape == op.out.shape):
                    terms.append((sign, v))
                else:
                    return "a wide value that is not a sum of products, inputs and parameters"
            if any(al != (0,) for al in op.attrs["align"]):
                return "a wide sum that broadcasts"
            wide[op.out] = terms
    ops = [op for op in rest if op.out not in wide]
    for op in ops:  # a wide sum is only read in blocks
        if op.prim is not slice_p and any(v in wide for v in op.inputs):
            return "a wide sum read whole"
    pl = Plan(width, [], ops, wide=wide)
    for op in ops:
        cpp = cpp_rules.get(op.prim)
        if cpp is None and op.prim not in STRUCTURE:
            return f"no C++ rule for the primitive {op.prim.name} (ir.rules.cpp_rules)"
        missing = cpp.missing(op) if cpp is not None else None
        if missing is not None:
            return missing
        if op.prim is not const_p and not op.out.batched:
            return "a value of the step that is not per example"
        if op.prim is not slice_p and op.out.shape != (width,) and op.prim is not const_p:
            return "elementwise values of different widths"
        for v in [b for u in op.inputs for _, b in pl.terms(u)]:
            if v in incoming_all:
                if v.shape != (width,) and op.prim is not slice_p:
                    return "a source read whole at another width"
                if v not in pl.sources:
                    pl.sources.append(v)
            elif v in statics:
                if v.batched or len(v.shape) > 1:
                    return "a parameter that is not a vector"
                if v.shape and v.shape != (width,) and op.prim is not slice_p:
                    return "a parameter read whole at another width"
                if v not in pl.params:
                    pl.params.append(v)
        if op.prim is slice_p and any(
            b not in pl.sources and b not in pl.params for _, b in pl.terms(op.inputs[0])
        ):
            return "a slice of a value computed in the step"
    sliced = {b for op in ops if op.prim is slice_p for _, b in pl.terms(op.inputs[0])}
    direct = {v for op in ops if op.prim is not slice_p for v in op.inputs}
    if sliced & direct:
        return "a value read both whole and in blocks"
    return pl


def tiled(p: Program, pls: list[Plan]) -> set[Value]:
    """Products whose gradient the kernels write once, entry by entry (``=``, into a buffer
    not zeroed first): read in gate blocks (by one kernel or several) that cover them exactly
    once, whatever the sizes (0..n, n..2n, ...), or read whole by one kernel alone."""
    weight_outs = {op.out for op in p.step_ops if op.prim in (affine_p, matmul_p)}
    blocks: dict[Value, list[tuple[Size, Size]]] = {}
    whole: dict[Value, int] = {}  # how many kernels read it whole
    for pl in pls:
        read_whole: set[Value] = set()
        for op in pl.ops:
            for _, b in pl.terms(op.inputs[0]) if op.prim is slice_p else []:
                span = (op.attrs["start"], op.attrs["stop"])
                blocks.setdefault(b, []).append(span)
            if op.prim is not slice_p:
                read_whole.update(b for v in op.inputs for _, b in pl.terms(v))
        for v in read_whole:
            whole[v] = whole.get(v, 0) + 1
    out = {v for v, n in whole.items() if n == 1 and v in weight_outs and v not in blocks}
    for v, spans in blocks.items():
        if v not in weight_outs or v in whole or not v.shape:
            continue
        at = Size.const(0)
        for start, stop in sorted(spans, key=lambda b: (sum(c for _, c in b[0].terms),
                                                         b[0].constant)):  # fmt: skip
            if start != at:
                break
            at = stop
        else:
            if at == v.shape[0]:
                out.add(v)
    return out


def reads(pl: Plan) -> list[Value]:
    """The values of the step the backward kernel reads (kept by the forward)."""
    out: list[Value] = []
    for op in pl.ops:
        if op.prim in cpp_rules:
            operands, result = cpp_rules[op.prim].reads(op)
            out += [op.inputs[i] for i in operands] + ([op.out] if result else [])
    consts = {op.out for op in pl.ops if op.prim is const_p}
    return [v for v in dict.fromkeys(out) if v not in consts]


# the loop of a kernel: batch rows n in parallel, the H entries j of a row vectorised
ROWS_OPEN = [
    "    at::parallel_for(0, N, 8, [&](int64_t b0, int64_t b1) {",
    "      for (int64_t n = b0; n < b1; ++n) {",
    "        #pragma GCC ivdep",
    "        for (int64_t j = 0; j < H; ++j) {",
]
ROWS_CLOSE = ["        }", "      }", "    });", "}", ""]

HEADER = """// built with -O3 -march=native -ffast-math (vectorised exp and tanh in the row loops)
// and -fopenmp (at::parallel_for splits the rows and the product's tiles over torch's threads)
#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <ATen/native/CPUBlas.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
"""

# The per-step products of a recurrence: C = bias + A @ B (or C += A @ B), B a weight laid out
# (K, N) row-major once per call. float32 runs oneDNN's batch-reduce GEMM micro-kernel
# (ATen's cpublas::brgemm, JIT-compiled for the CPU it runs on) over tiles of C, one tile per
# thread: for the small products of a step (64 x 256 @ 256 x 1024) it takes about 2/3 of
# the time of torch.mm's BLAS call here. Everything else (float64, strided operands, a bias
# that is neither a row nor a matrix) is ATen's addmm.
GEMM = """
// one product of a step: C = bias + A @ B, or C += A @ B; raw pointers, float32, row-major
struct Product {
    const float* A; int64_t lda; const float* B; int64_t ldb; float* C; int64_t ldc;
    const float* bias; int64_t ldbias; int64_t K; bool accumulate;
};

// can the micro-kernel run it (else ATen's addmm)? float32, rows contiguous, B (K, N) dense,
// a bias that is empty, a row (N) or a matrix (M, N)
static bool plain_product(const at::Tensor& C, const at::Tensor& bias, const at::Tensor& A,
                          const at::Tensor& B, bool accumulate) {
    const int64_t M = A.size(0);
    const bool has_bias = bias.numel() > 0 && !accumulate;
    return C.scalar_type() == at::kFloat && A.scalar_type() == at::kFloat
        && B.scalar_type() == at::kFloat && (!has_bias || bias.scalar_type() == at::kFloat)
        && A.stride(1) == 1 && B.is_contiguous() && C.stride(1) == 1 && A.size(1) > 0
        && (!has_bias || (bias.dim() == 1 && bias.is_contiguous())
            || (bias.dim() == 2 && bias.size(0) == M && bias.stride(1) == 1));
}

static Product product_of(const at::Tensor& C, const at::Tensor& bias, const at::Tensor& A,
                          const at::Tensor& B, bool accumulate) {
    const bool has_bias = bias.numel() > 0 && !accumulate;
    return Product{A.data_ptr<float>(), A.stride(0), B.data_ptr<float>(), B.size(1),
                   C.data_ptr<float>(), C.stride(0), has_bias ? bias.data_ptr<float>() : nullptr,
                   has_bias && bias.dim() == 2 ? bias.stride(0) : 0, A.size(1), accumulate};
}

// rows [m0, m0 + m) and columns [n0, n0 + n) of the product: the bias first, then the
// micro-kernel adds A @ B to it, K in chunks of 256
static void product_block(const Product& p, int64_t m0, int64_t m, int64_t n0, int64_t n) {
    float* c = p.C + m0 * p.ldc + n0;
    bool add = p.accumulate;
    if (p.bias != nullptr) {
        for (int64_t r = 0; r < m; ++r)
            std::memcpy(c + r * p.ldc, p.bias + (p.ldbias ? (m0 + r) * p.ldbias : 0) + n0,
                        n * sizeof(float));
        add = true;
    }
    const int64_t kc = 256;
    for (int64_t k0 = 0; k0 < p.K; k0 += kc) {
        const int64_t k = std::min(kc, p.K - k0);
        at::native::cpublas::brgemm(m, n, k, p.lda, p.ldb, p.ldc, add, p.A + m0 * p.lda + k0,
                                    p.B + k0 * p.ldb + n0, c, false);
        add = true;
    }
}

// the products of ps (each a block of C in turn: the first writes, the next add) over
// tiles of C, one per thread; few row tiles: the columns split between the threads
static void run_tiles(const std::vector<Product>& ps, int64_t M, int64_t N) {
    const int64_t threads = at::get_num_threads();
    if (M == 0 || N == 0) return;  // nothing to compute (a batch of none)
    const int64_t mb = std::min<int64_t>(M, 64), mt = (M + mb - 1) / mb;
    int64_t nb = N;
    if (mt < threads) nb = ((N + threads - 1) / threads + 15) / 16 * 16;
    nb = std::min<int64_t>(nb, 512);
    const int64_t nt = (N + nb - 1) / nb;
    at::parallel_for(0, mt * nt, 1, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) {
            const int64_t m0 = (i / nt) * mb, n0 = (i % nt) * nb;
            for (const Product& p : ps)
                product_block(p, m0, std::min(mb, M - m0), n0, std::min(nb, N - n0));
        }
    });
}

// C = bias + A @ B, or C += A @ B (accumulate); bias: empty, a row (N) or a matrix (M, N)
void gemm(at::Tensor C, at::Tensor bias, at::Tensor A, at::Tensor B, bool accumulate) {
    if (!plain_product(C, bias, A, B, accumulate)) {
        if (accumulate) C.addmm_(A, B);
        else if (bias.numel() > 0) at::addmm_out(C, bias, A, B);
        else at::mm_out(C, A, B);
        return;
    }
    run_tiles({product_of(C, bias, A, B, accumulate)}, A.size(0), B.size(1));
}

// C = bias + A1 @ B1 + A2 @ B2 (x_t W_x^T + h_{t-1} W_h^T): both in one pass over C's tiles
void gemm2(at::Tensor C, at::Tensor bias, at::Tensor A1, at::Tensor B1, at::Tensor A2,
           at::Tensor B2) {
    if (!plain_product(C, bias, A1, B1, false) || !plain_product(C, bias, A2, B2, true)
        || A1.size(0) != A2.size(0) || B1.size(1) != B2.size(1)) {
        gemm(C, bias, A1, B1, false);
        gemm(C, bias, A2, B2, true);
        return;
    }
    run_tiles({product_of(C, bias, A1, B1, false), product_of(C, bias, A2, B2, true)},
              A1.size(0), B1.size(1));
}
"""


class KernelWriter:
    """The C++ of one fused step: ``fwd`` and ``bwd``, each looping over (n, j)."""

    def __init__(
        self,
        pl: Plan,
        p: Program,
        returned: list[str],
        recorded: list[Value],
        outgoing: list[Value] | None = None,
        k: int = 0,
        biases: dict[Value, Value] | None = None,
        sole: set[Value] | None = None,  # sources whose gradient only one kernel writes
        tiled: set[Value] | None = None,
    ) -> None:
        self.pl = pl
        self.p = p
        self.k = k  # the phase: the functions are fwd{k}, bwd{k}
        produced = {op.out for op in pl.ops}
        self.returned = [key for key in returned if p.outputs[key] in produced]
        self.states = [s for s in p.states if p.outputs[s.key] in produced]
        self.recorded = recorded  # values the forward writes per step (T, N, H)
        self.outgoing = outgoing or []  # values read after this kernel: their adjoints come in
        self.names: dict[Value, str] = {}
        for i, op in enumerate(pl.ops):
            self.names[op.out] = f"v{i}"
        self.tiled = {v for v in pl.sources if v in (tiled or set())}  # gradients written once
        # products whose bias the forward kernel adds as it reads them (the product itself is
        # run without it): the bias (a per-step input, cold in memory, or a parameter) is read
        # once, in the kernel's pass, instead of copied into the product's tile first
        self.biases = {v: b for v, b in (biases or {}).items() if v in pl.sources}
        extra = list(dict.fromkeys(self.biases.values()))
        # the forward's inputs: the backward's, then the biases it alone reads
        self.fsources = pl.sources + [b for b in extra if b.batched and b not in pl.sources]
        self.fparams = pl.params + [b for b in extra if not b.batched and b not in pl.params]
        self.forward = False  # writing the forward kernel: reads add the biases
        # sources whose gradient at the step no one else writes (a previous state, a value of
        # an earlier kernel: read by this kernel alone, and no product), read whole: their
        # gradient is this kernel's sum, written once (=), into a buffer not zeroed
        sliced = {b for op in self.slices() for _, b in pl.terms(op.inputs[0])}
        self.whole = {v for v in pl.sources if v not in sliced and v in (sole or set())}

    # sizes at run time: dims[0] = H, then for each source its width and for each slice
    # its offset (in the order of sources and of slice ops)
    def slices(self) -> list[Op]:
        return [op for op in self.pl.ops if op.prim is slice_p]

    def read(self, v: Value, off: str = "") -> str:
        """A value at (n, j) inside the loop (``off``: at that block of a wider one)."""
        if v in self.names:
            return self.names[v]
        if v in self.fparams:
            k = self.fparams.index(v)
            return f"prm{k}[{off}j]" if v.shape else f"prm{k}[0]"
        if v in self.fsources:
            k = self.fsources.index(v)
            got = f"src{k}[n * w{k} + {off}j]"
            if self.forward and v in self.biases:
                return f"({got} + {self.read(self.biases[v], off)})"
            return got
        raise AssertionError(v)

    def where(self, v: Value, off: str) -> str:
        """Where the adjoint of a block of a source or parameter goes."""
        pl = self.pl
        if v in pl.sources:
            k = pl.sources.index(v)
            return f"gout{k}[n * w{k} + {off}j]"
        k = pl.params.index(v)
        return f"gout{len(pl.sources) + k}[n * pw{k} + {off}j]"

    def expr(self, op: Op) -> str:
        if op.prim is slice_p:
            s = self.slices().index(op)
            parts = [
                ("- " if sign < 0 else "+ ") + self.read(b, f"off{s} + ")
                for sign, b in self.pl.terms(op.inputs[0])
            ]
            return " ".join(parts).removeprefix("+ ")
        a = [self.read(v) if v not in self.consts else self.consts[v] for v in op.inputs]
        return rule(cpp_rules, "C++", op.prim).value(op, a)

    @property
    def consts(self) -> dict[Value, str]:
        return {
            op.out: f"scalar_t({float(op.attrs['value'])!r})"
            for op in self.pl.ops
            if op.prim is const_p
        }

    def prologue(self) -> list[str]:
        """Sizes at run time: dims = [H, each source's width, each parameter's, each slice's
        offset, then (read by the forward only) each extra source's and parameter's width]."""
        pl = self.pl
        out = ["    const int64_t H = dims[0];"]
        at = 1
        for k in range(len(pl.sources)):
            out.append(f"    const int64_t w{k} = dims[{at}];")
            at += 1
        for k in range(len(pl.params)):
            out.append(f"    const int64_t pw{k} = dims[{at}];")
            at += 1
        for s in range(len(self.slices())):
            out.append(f"    const int64_t off{s} = dims[{at}];")
            at += 1
        if self.forward:
            for k in range(len(pl.sources), len(self.fsources)):
                out.append(f"    const int64_t w{k} = dims[{at}];")
                at += 1
            for k in range(len(pl.params), len(self.fparams)):
                out.append(f"    const int64_t pw{k} = dims[{at}];")
                at += 1
        return out

    def write(self) -> str:
        pl = self.pl
        lines: list[str] = []
        self.forward = True
        # ---- forward: every value of the step; the recorded ones written at step t
        lines.append("template <typename scalar_t>")
        lines.append(
            f"static void fwd_impl{self.k}(int64_t t, int64_t N, "
            "const std::vector<at::Tensor>& src, "
            "const std::vector<at::Tensor>& prm, const std::vector<at::Tensor>& rec, "
            "const std::vector<int64_t>& dims) {"
        )
        lines += self.prologue()
        lines += self.pointers()
        lines += [f"    scalar_t* rec{k} = rec[{k}].data_ptr<scalar_t>();"
                  for k in range(len(self.recorded))]  # fmt: skip
        # a record of one step (no backward follows, not asked for): rewritten at each step
        lines += [f"    const int64_t rt{k} = rec[{k}].size(0) > 1 ? t : 0;"
                  for k in range(len(self.recorded))]  # fmt: skip
        lines += ROWS_OPEN
        for op in pl.ops:
            if op.prim is const_p:
                continue
            lines.append(f"          const scalar_t {self.names[op.out]} = {self.expr(op)};")
        for k, v in enumerate(self.recorded):
            lines.append(f"          rec{k}[(rt{k} * N + n) * H + j] = {self.read(v)};")
        lines += ROWS_CLOSE
        self.forward = False
        # ---- backward: the adjoints of the step, in reverse
        lines.append("template <typename scalar_t>")
        lines.append(
            f"static void bwd_impl{self.k}(int64_t t, int64_t N, "
            "const std::vector<at::Tensor>& src, "
            "const std::vector<at::Tensor>& prm, const std::vector<at::Tensor>& rec, "
            "const std::vector<at::Tensor>& gin, const std::vector<at::Tensor>& gout, "
            "const std::vector<int64_t>& dims) {"
        )
        lines += self.prologue()
        lines += self.pointers()
        lines += [f"    const scalar_t* rec{k} = rec[{k}].data_ptr<scalar_t>();"
                  for k in range(len(self.recorded))]  # fmt: skip
        gins = self.grad_inputs()
        lines += [f"    const scalar_t* gin{k} = gin[{k}].data_ptr<scalar_t>();"
                  for k in range(len(gins))]  # fmt: skip
        lines += [f"    const bool has{k} = gin[{k}].numel() > 0;" for k in range(len(gins))]
        gouts = self.grad_outputs()
        lines += [f"    scalar_t* gout{k} = gout[{k}].data_ptr<scalar_t>();"
                  for k in range(len(gouts))]  # fmt: skip
        lines += ROWS_OPEN
        for k, v in enumerate(self.recorded):  # the kept values of step t
            if v in self.names:
                lines.append(
                    f"          const scalar_t {self.names[v]} = rec{k}[(t * N + n) * H + j];"
                )
        adjoint = {}
        for op in pl.ops:
            if op.prim is not const_p:
                adjoint[op.out] = f"a_{self.names[op.out]}"
        for k, v in enumerate(pl.sources + pl.params):
            adjoint[v] = f"a_in{k}"
        for name in adjoint.values():
            lines.append(f"          scalar_t {name} = 0;")
        for k, (v, how) in enumerate(gins):  # an output nobody differentiates: absent
            lines.append(f"          if (has{k}) {adjoint[v]} += gin{k}[{how}];")
        for op in reversed(pl.ops):
            if op.prim is const_p:
                continue
            lines += [f"          {s}" for s in self.adjoints(op, adjoint)]
        sliced = {b for op in self.slices() for _, b in pl.terms(op.inputs[0])}
        for k, (v, how) in enumerate(gouts):
            if v not in sliced:  # a block's adjoint went to its block already
                eq = "=" if v in self.whole or v in self.tiled else "+="
                lines.append(f"          gout{k}[{how}] {eq} {adjoint[v]};")
        lines += ROWS_CLOSE
        lines.append(DISPATCH.replace("@", str(self.k)))
        return "\n".join(lines)

    def pointers(self) -> list[str]:
        srcs = self.fsources if self.forward else self.pl.sources
        prms = self.fparams if self.forward else self.pl.params
        out = [f"    const scalar_t* src{k} = src[{k}].data_ptr<scalar_t>();"
               for k in range(len(srcs))]  # fmt: skip
        out += [f"    const scalar_t* prm{k} = prm[{k}].data_ptr<scalar_t>();"
                for k in range(len(prms))]  # fmt: skip
        return out

    def grad_inputs(self) -> list[tuple[Value, str]]:
        """The incoming gradients at step t: each returned output's (T, N, H), and the carry
        of each state (N, H)."""
        p = self.p
        out = []
        for key in self.returned:
            out.append((p.outputs[key], "(t * N + n) * H + j"))
        for s in self.states:
            out.append((p.outputs[s.key], "n * H + j"))
        for v in self.outgoing:  # from the kernels and products after this one
            out.append((v, "n * H + j"))
        return out

    def grad_outputs(self) -> list[tuple[Value, str]]:
        """Where the adjoints go: each source's gradient (N, w) at step t (a gate block of a
        product, a sequence, a previous state), each parameter's contribution (N, width),
        accumulated over the steps (each row n belongs to one thread)."""
        pl = self.pl
        out = []
        for k, v in enumerate(pl.sources):
            out.append((v, f"n * w{k} + j"))
        for k, v in enumerate(pl.params):
            out.append((v, f"n * pw{k} + j"))  # summed over the steps here, over n after
        return out

    def adjoints(self, op: Op, adj: dict[Value, str]) -> list[str]:
        a = adj[op.out]
        consts = self.consts
        out: list[str] = []
        if op.prim is slice_p:
            s = self.slices().index(op)
            # a gate block: its adjoint goes straight to that block of each term's gradient
            for sign, b in self.pl.terms(op.inputs[0]):
                eq = "=" if b in self.tiled else "+="  # a tiled gradient: each entry once
                out.append(f"{self.where(b, f'off{s} + ')} {eq} {'-' if sign < 0 else ''}{a};")
            return out
        ins = [self.read(v) if v not in consts else consts[v] for v in op.inputs]
        adjoints = rule(cpp_rules, "C++", op.prim).adjoints(op, a, ins, self.names[op.out])
        for v, expr in zip(op.inputs, adjoints, strict=True):
            if v not in consts and expr is not None:
                out.append(f"{adj[v]} += {expr};")
        return out


DISPATCH = """void fwd@(int64_t t, int64_t N, std::vector<at::Tensor> src,
         std::vector<at::Tensor> prm, std::vector<at::Tensor> rec, std::vector<int64_t> dims) {
    AT_DISPATCH_FLOATING_TYPES(rec[0].scalar_type(), "papermath_fwd@", [&] {
        fwd_impl@<scalar_t>(t, N, src, prm, rec, dims);
    });
}

void bwd@(int64_t t, int64_t N, std::vector<at::Tensor> src, std::vector<at::Tensor> prm,
         std::vector<at::Tensor> rec, std::vector<at::Tensor> gin, std::vector<at::Tensor> gout,
         std::vector<int64_t> dims) {
    AT_DISPATCH_FLOATING_TYPES(rec[0].scalar_type(), "papermath_bwd@", [&] {
        bwd_impl@<scalar_t>(t, N, src, prm, rec, gin, gout, dims);
    });
}
"""
