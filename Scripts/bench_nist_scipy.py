#!/usr/bin/env python3
"""The NIST StRD benchmark of `scalefit-bench nist`, run with scipy's MINPACK.

scipy.optimize.least_squares(method="lm") (MINPACK lmder) on the 27 NIST StRD problems
from both certified starts, with a hand-written analytic Jacobian per model and the
tightest tolerances MINPACK accepts (ftol = xtol = gtol = 1e-15). Prints per fit the
worst parameter's log relative error (LRE = -log10(|x - x*| / |x*|), clamped to [0, 11]),
the status and the time of one fit, then the total time of the 54 fits and the tally
`scipy: solved S/54, mean LRE M`.

Residuals are f(x; b) - y (Nelson: f - log y; Roszman1's arctan is atan2(b3, x - b4),
see PROVENANCE.md beside the data). Each fit is timed with time.perf_counter (monotonic):
batches of k runs, k doubled until a batch lasts 20 ms, best of three batches / k.

Usage: Scripts/bench_nist_scipy.py [DIR]     (DIR defaults to ../shared/data/nist)
"""
import math
import os
import re
import sys
import time
import warnings

import numpy as np
from scipy.optimize import least_squares

# ---------------------------------------------------------------------------- reader


def read_dat(path):
    """Name, starts (2 lists), certified values, certified RSS, y, xs (list of arrays)."""
    with open(path, encoding="ascii") as f:
        lines = f.read().splitlines()
    ranges = {}
    for line in lines[:20]:
        m = re.search(r"(Starting Values|Certified Values|Data)\s*\(lines\s+(\d+)\s+to\s+(\d+)\)",
                      line, re.IGNORECASE)
        if m:
            ranges[m.group(1).split()[0].lower()] = (int(m.group(2)), int(m.group(3)))
    name = next(l.split()[2] for l in lines[:10] if l.startswith("Dataset Name:"))
    s0, s1 = ranges["starting"]
    starts = [[], []]
    certified = []
    for line in lines[s0 - 1:s1]:
        t = line.split()
        starts[0].append(float(t[2]))
        starts[1].append(float(t[3]))
        certified.append(float(t[4]))
    rss = None
    c0, c1 = ranges["certified"]
    for line in lines[c0 - 1:c1]:
        if line.startswith("Residual Sum of Squares:"):
            rss = float(line.split(":")[1])
    d0, d1 = ranges["data"]
    rows = np.array([[float(v) for v in line.split()] for line in lines[d0 - 1:d1]])
    return name, starts, certified, rss, rows[:, 0], [rows[:, k] for k in range(1, rows.shape[1])]


# ---------------------------------------------------------------------------- models
# Each model: (f(b, xs) -> predictions, jac(b, xs) -> m×n array).


def misra1a(b, xs):
    x = xs[0]
    return -b[0] * np.expm1(-b[1] * x)


def misra1a_j(b, xs):
    x = xs[0]
    return np.column_stack([-np.expm1(-b[1] * x), b[0] * x * np.exp(-b[1] * x)])


def chwirut(b, xs):
    x = xs[0]
    return np.exp(-b[0] * x) / (b[1] + b[2] * x)


def chwirut_j(b, xs):
    x = xs[0]
    d = b[1] + b[2] * x
    f = np.exp(-b[0] * x) / d
    return np.column_stack([-x * f, -f / d, -x * f / d])


def gauss(b, xs):
    x = xs[0]
    u = (x - b[3]) / b[4]
    v = (x - b[6]) / b[7]
    return b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-u * u) + b[5] * np.exp(-v * v)


def gauss_j(b, xs):
    x = xs[0]
    e = np.exp(-b[1] * x)
    u = (x - b[3]) / b[4]
    v = (x - b[6]) / b[7]
    g1 = np.exp(-u * u)
    g2 = np.exp(-v * v)
    return np.column_stack([e, -b[0] * x * e, g1, b[2] * g1 * 2 * u / b[4], b[2] * g1 * 2 * u * u / b[4],
                            g2, b[5] * g2 * 2 * v / b[7], b[5] * g2 * 2 * v * v / b[7]])


def lanczos(b, xs):
    x = xs[0]
    return b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-b[3] * x) + b[4] * np.exp(-b[5] * x)


def lanczos_j(b, xs):
    x = xs[0]
    cols = []
    for k in range(3):
        e = np.exp(-b[2 * k + 1] * x)
        cols += [e, -x * b[2 * k] * e]
    return np.column_stack(cols)


def mgh10(b, xs):
    x = xs[0]
    return b[0] * np.exp(b[1] / (x + b[2]))


def mgh10_j(b, xs):
    x = xs[0]
    d = x + b[2]
    e = np.exp(b[1] / d)
    f = b[0] * e
    return np.column_stack([e, f / d, -f * b[1] / (d * d)])


def mgh17(b, xs):
    x = xs[0]
    return b[0] + b[1] * np.exp(-x * b[3]) + b[2] * np.exp(-x * b[4])


def mgh17_j(b, xs):
    x = xs[0]
    e4 = np.exp(-x * b[3])
    e5 = np.exp(-x * b[4])
    return np.column_stack([np.ones_like(x), e4, e5, -x * b[1] * e4, -x * b[2] * e5])


def nelson(b, xs):
    x1, x2 = xs
    return b[0] - b[1] * x1 * np.exp(-b[2] * x2)


def nelson_j(b, xs):
    x1, x2 = xs
    e = np.exp(-b[2] * x2)
    return np.column_stack([np.ones_like(x1), -x1 * e, b[1] * x1 * x2 * e])


def rat42(b, xs):
    x = xs[0]
    return b[0] / (1 + np.exp(b[1] - b[2] * x))


def rat42_j(b, xs):
    x = xs[0]
    e = np.exp(b[1] - b[2] * x)
    s = 1 / (1 + e)
    es2 = s * np.where(np.isfinite(e), e * s, 1.0)
    return np.column_stack([s, -b[0] * es2, b[0] * x * es2])


def rat43(b, xs):
    x = xs[0]
    return b[0] * np.exp(-np.log1p(np.exp(b[1] - b[2] * x)) / b[3])


def rat43_j(b, xs):
    x = xs[0]
    e = np.exp(b[1] - b[2] * x)
    l = np.log1p(e)
    p = np.exp(-l / b[3])
    f = b[0] * p
    with np.errstate(divide="ignore"):
        w = 1 / (1 + 1 / e)
    return np.column_stack([p, -f * w / b[3], f * x * w / b[3], f * l / (b[3] * b[3])])


def eckerle4(b, xs):
    x = xs[0]
    z = (x - b[2]) / b[1]
    return b[0] / b[1] * np.exp(-0.5 * z * z)


def eckerle4_j(b, xs):
    x = xs[0]
    z = (x - b[2]) / b[1]
    g = np.exp(-0.5 * z * z) / b[1]
    f = b[0] * g
    return np.column_stack([g, f * (z * z - 1) / b[1], f * z / b[1]])


def kirby2(b, xs):
    x = xs[0]
    return (b[0] + x * (b[1] + x * b[2])) / (1 + x * (b[3] + x * b[4]))


def kirby2_j(b, xs):
    x = xs[0]
    d = 1 + x * (b[3] + x * b[4])
    f = (b[0] + x * (b[1] + x * b[2])) / d
    return np.column_stack([1 / d, x / d, x * x / d, -f * x / d, -f * x * x / d])


def cubic(b, xs):
    x = xs[0]
    return (b[0] + x * (b[1] + x * (b[2] + x * b[3]))) / (1 + x * (b[4] + x * (b[5] + x * b[6])))


def cubic_j(b, xs):
    x = xs[0]
    d = 1 + x * (b[4] + x * (b[5] + x * b[6]))
    f = (b[0] + x * (b[1] + x * (b[2] + x * b[3]))) / d
    x2 = x * x
    x3 = x2 * x
    return np.column_stack([1 / d, x / d, x2 / d, x3 / d, -f * x / d, -f * x2 / d, -f * x3 / d])


def mgh09(b, xs):
    x = xs[0]
    return b[0] * x * (x + b[1]) / (x * (x + b[2]) + b[3])


def mgh09_j(b, xs):
    x = xs[0]
    d = x * (x + b[2]) + b[3]
    q = x * (x + b[1]) / d
    f = b[0] * q
    return np.column_stack([q, b[0] * x / d, -f * x / d, -f / d])


def danwood(b, xs):
    x = xs[0]
    return b[0] * x ** b[1]


def danwood_j(b, xs):
    x = xs[0]
    p = x ** b[1]
    return np.column_stack([p, b[0] * p * np.log(x)])


def misra1b(b, xs):
    u = 0.5 * b[1] * xs[0]
    return b[0] * (u * (2 + u) / ((1 + u) * (1 + u)))


def misra1b_j(b, xs):
    x = xs[0]
    u = 0.5 * b[1] * x
    v = 1 + u
    return np.column_stack([u * (2 + u) / (v * v), b[0] * x / (v * v * v)])


def misra1c(b, xs):
    t = 2 * b[1] * xs[0]
    s = np.sqrt(1 + t)
    return b[0] * (t / (s * (1 + s)))


def misra1c_j(b, xs):
    x = xs[0]
    t = 2 * b[1] * x
    s = np.sqrt(1 + t)
    return np.column_stack([t / (s * (1 + s)), b[0] * x / (s * s * s)])


def misra1d(b, xs):
    u = b[1] * xs[0]
    return b[0] * (u / (1 + u))


def misra1d_j(b, xs):
    x = xs[0]
    d = 1 + b[1] * x
    return np.column_stack([b[1] * x / d, b[0] * x / (d * d)])


def roszman1(b, xs):
    x = xs[0]
    return b[0] - b[1] * x - np.arctan2(b[2], x - b[3]) / math.pi


def roszman1_j(b, xs):
    x = xs[0]
    w = x - b[3]
    q = math.pi * (b[2] * b[2] + w * w)
    return np.column_stack([np.ones_like(x), -x, -w / q, -b[2] / q])


def enso(b, xs):
    x = xs[0]
    t4 = 2 * math.pi * x / b[3]
    t7 = 2 * math.pi * x / b[6]
    ty = 2 * math.pi * x / 12
    return (b[0] + b[1] * np.cos(ty) + b[2] * np.sin(ty) + b[4] * np.cos(t4) + b[5] * np.sin(t4)
            + b[7] * np.cos(t7) + b[8] * np.sin(t7))


def enso_j(b, xs):
    x = xs[0]
    t4 = 2 * math.pi * x / b[3]
    t7 = 2 * math.pi * x / b[6]
    ty = 2 * math.pi * x / 12
    c4, s4, c7, s7 = np.cos(t4), np.sin(t4), np.cos(t7), np.sin(t7)
    return np.column_stack([np.ones_like(x), np.cos(ty), np.sin(ty), (b[4] * s4 - b[5] * c4) * t4 / b[3],
                            c4, s4, (b[7] * s7 - b[8] * c7) * t7 / b[6], c7, s7])


def bennett5(b, xs):
    return b[0] * (b[1] + xs[0]) ** (-1 / b[2])


def bennett5_j(b, xs):
    q = b[1] + xs[0]
    p = q ** (-1 / b[2])
    f = b[0] * p
    return np.column_stack([p, -f / (b[2] * q), f * np.log(q) / (b[2] * b[2])])


MODELS = {
    "Misra1a": (misra1a, misra1a_j), "BoxBOD": (misra1a, misra1a_j),
    "Chwirut1": (chwirut, chwirut_j), "Chwirut2": (chwirut, chwirut_j),
    "Gauss1": (gauss, gauss_j), "Gauss2": (gauss, gauss_j), "Gauss3": (gauss, gauss_j),
    "Lanczos1": (lanczos, lanczos_j), "Lanczos2": (lanczos, lanczos_j), "Lanczos3": (lanczos, lanczos_j),
    "MGH10": (mgh10, mgh10_j), "MGH17": (mgh17, mgh17_j), "Nelson": (nelson, nelson_j),
    "Rat42": (rat42, rat42_j), "Rat43": (rat43, rat43_j), "Eckerle4": (eckerle4, eckerle4_j),
    "Kirby2": (kirby2, kirby2_j), "Hahn1": (cubic, cubic_j), "Thurber": (cubic, cubic_j),
    "MGH09": (mgh09, mgh09_j), "DanWood": (danwood, danwood_j), "Misra1b": (misra1b, misra1b_j),
    "Misra1c": (misra1c, misra1c_j), "Misra1d": (misra1d, misra1d_j),
    "Roszman1": (roszman1, roszman1_j), "ENSO": (enso, enso_j), "Bennett5": (bennett5, bennett5_j),
}

# ---------------------------------------------------------------------------- bench


def lre(value, certified):
    if not math.isfinite(value):
        return 0.0
    err = abs(value - certified) / abs(certified) if certified != 0 else abs(value)
    if err == 0:
        return 11.0
    return min(max(-math.log10(err), 0.0), 11.0)


def time_one_fit(run):
    k = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(k):
            run()
        t = time.perf_counter() - t0
        if t >= 0.02:
            best = t
            break
        k *= 2
    for _ in range(2):
        t0 = time.perf_counter()
        for _ in range(k):
            run()
        best = min(best, time.perf_counter() - t0)
    return best / k


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/nist"
    files = sorted(f for f in os.listdir(directory) if f.endswith(".dat"))
    if not files:
        sys.exit(f"bench_nist_scipy: no .dat files in {directory}")
    print(f"{'problem':10}{'start':6}{'LRE':>6}  {'solved':7}{'status':8}{'nfev':>6}{'time/µs':>10}")
    solved = fits = 0
    lre_sum = total = 0.0
    warnings.simplefilter("ignore")
    for name in files:
        name, starts, certified, _, y, xs = read_dat(os.path.join(directory, name))
        f, jac = MODELS[name]
        target = np.log(y) if name == "Nelson" else y

        def residuals(b):
            return f(b, xs) - target

        def jacobian(b):
            return jac(b, xs)

        for s, start in enumerate(starts):
            def run():
                return least_squares(residuals, np.array(start), jac=jacobian, method="lm",
                                     ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=20000)
            result = run()
            worst = min(lre(v, c) for v, c in zip(result.x, certified))
            seconds = time_one_fit(run)
            fits += 1
            solved += worst >= 4
            lre_sum += worst
            total += seconds
            print(f"{name:10}{s + 1:<6}{worst:6.1f}  {'yes' if worst >= 4 else 'NO':7}{result.status:<8}"
                  f"{result.nfev:6}{seconds * 1e6:10.1f}")
    print(f"scipy: total time {total:.4f} s for {fits} fits")
    print(f"scipy: solved {solved}/{fits}, mean LRE {lre_sum / fits:.2f}")


if __name__ == "__main__":
    main()
