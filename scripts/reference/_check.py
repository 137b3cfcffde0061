"""Shared by the reference scripts: print a value and compare it with the test's.

Each script prints every value a Rust test asserts, next to the value written in the test,
and exits with status 1 if any differs by more than the test's tolerance.
"""

import math
import numbers
import sys

_failures = []


def check(name, got, want, tol=0.0, relative=False):
    """Prints `name = got` and records a mismatch with `want` beyond `tol`.

    `got` and `want` are numbers or (nested) sequences of numbers; `relative` scales the
    tolerance by max(|want|, 1) as the Rust tests' `assert_close` does.
    """
    ok = _close(got, want, tol, relative)
    print(f"{'ok  ' if ok else 'DIFF'} {name} = {_fmt(got)}")
    if not ok:
        print(f"     test has {_fmt(want)} (tolerance {tol})")
        _failures.append(name)


def _close(got, want, tol, relative):
    if isinstance(want, (list, tuple)):
        got = list(got)
        return len(got) == len(want) and all(
            _close(g, w, tol, relative) for g, w in zip(got, want)
        )
    g, w = float(got), float(want)
    if math.isinf(w) or math.isnan(w):
        return g == w or (math.isnan(g) and math.isnan(w))
    bound = tol * max(abs(w), 1.0) if relative else tol
    return abs(g - w) <= bound


def _fmt(v):
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, (bool, numbers.Integral)):
        return repr(int(v))
    return repr(float(v))


def done():
    """Exits 1 when any value differed."""
    if _failures:
        print(f"\n{len(_failures)} value(s) differ from the tests: {', '.join(_failures)}")
        sys.exit(1)
    print("\nall values match the tests")
