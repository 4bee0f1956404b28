"""How reading scales: compile time for 10, 100 and 1000 equations of three shapes of system,
and the limits (deep nesting, a long sum, a large source) ending fast with a clear error.

    python benchmarks/bench_compile.py

Not a test: the suite checks the limits' errors, this prints the times. Near-linear means
the time per equation stays about flat from 100 to 1000 equations.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import papermath

SYSTEMS: dict[str, Callable[[int], str]] = {
    # each layer feeds the next: h_k = tanh(W_k h_{k-1} + b_k)
    "chain": lambda n: (
        "\n".join(
            f"h_{{{i}}} = \\tanh(W_{{{i}}} h_{{{i - 1 if i else 'in'}}} + b_{{{i}}})"
            for i in range(n)
        )
        + "\nh_{in} \\in \\mathbb{R}^{n}"
    ),
    # many gates of the same two inputs
    "fan": lambda n: (
        "\n".join(f"y_{{{i}}} = \\sigma(W_{{{i}}} x + U_{{{i}}} z)" for i in range(n))
        + "\nx \\in \\mathbb{R}^{n}, z \\in \\mathbb{R}^{m}"
    ),
    # Hadamard chains whose shapes come only by convention, one equation after another
    "convention": lambda n: (
        "\n".join(
            f"y_{{{i}}} = a_{{{i}}} \\odot x + c_{{{i}}} y_{{{i - 1}}}" for i in range(1, n + 1)
        )
        + "\nx, y_{0} \\in \\mathbb{R}^{n}"
    ),
}

LIMITS = {
    "1000-deep nesting": "y = " + "(" * 1000 + "x" + ")" * 1000,
    "2000-term sum": "y = " + " + ".join(f"x_{{{i}}}" for i in range(2000)),
    "1 MB source": "y = W x + b\n" * 90_000,
}


def seconds(source: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        papermath.compile(source)
        outcome = "read"
    except papermath.PapermathError as exc:
        outcome = f"refused: {exc.message[:60]}"
    return time.perf_counter() - start, outcome


def main() -> None:
    print(f"{'system':<12}{'equations':>10}{'seconds':>10}{'ms/equation':>13}  outcome")
    for name, make in SYSTEMS.items():
        for n in (10, 100, 1000):
            took, outcome = seconds(make(n))
            print(f"{name:<12}{n:>10}{took:>10.2f}{1000 * took / n:>13.2f}  {outcome}")
    print()
    for name, source in LIMITS.items():
        took, outcome = seconds(source)
        print(f"{name:<20}{took:>8.2f} s  {outcome}")


if __name__ == "__main__":
    main()
