#!/usr/bin/env python3
"""The Chinchilla grid benchmark of `scalefit-bench chinchilla`, run with scipy.

Data: Epoch AI's extraction of Hoffmann et al.'s Figure 4 (../shared/data/chinchilla,
see PROVENANCE.md there): the five highest-loss rows dropped (240 kept), D = C / (6 N).

Objective (Hoffmann et al. 2022, approach 3), parameters p = (e, a, b, alpha, beta):

    r_i = LSE(a - alpha log N_i, b - beta log D_i, e) - log L_i
    f(p) = sum_i Huber_delta(r_i),  delta = 1e-3,
    Huber_delta(r) = r^2/2 if |r| <= delta else delta (|r| - delta/2)

1. scipy.optimize.minimize(method="L-BFGS-B", jac=analytic gradient, default tolerances)
   from every start of Hoffmann's 4500-point grid (e in {-1, -0.5, ..., 1}, a, b in
   {0, 5, ..., 25}, alpha, beta in {0, 0.5, ..., 2}), in a process pool with one worker
   per core (scalefit also uses every core) and one BLAS thread per process, the lowest
   objective kept.
   The starts run in a seeded random order (numpy default_rng(0)); if the whole grid would
   take longer than --budget seconds (default 60), the run stops after the first chunk past
   the budget and the full-grid time is extrapolated from the fraction done: the output
   then says "SUBSET" and how many starts ran.
2. scipy.optimize.least_squares(loss="huber", f_scale=1e-3, method="trf", analytic
   Jacobian) from one start, (e, a, b, alpha, beta) = (0.5, 5, 10, 0.5, 0.5), the grid
   point nearest Epoch's estimates. least_squares minimises sum f_scale^2 rho((r/f_scale)^2)/2,
   which is exactly f above.

Usage: Scripts/bench_chinchilla_scipy.py [CSV] [--budget SECONDS]
"""
import csv
import itertools
import math
import os
import sys
import time
from multiprocessing import Pool

# One BLAS thread per process: L-BFGS-B calls BLAS on 5-vectors, where OpenBLAS's worker
# threads only spin (on this 2-core machine they made scipy ~10x slower).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
from scipy.optimize import least_squares, minimize  # noqa: E402

DELTA = 1e-3


def load(path):
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((float(r["Model Size"]), float(r["Training FLOP"]), float(r["loss"])))
    rows.sort(key=lambda t: t[2])
    rows = rows[:-5]  # Epoch drop the five highest-loss rows
    n = np.array([r[0] for r in rows])
    c = np.array([r[1] for r in rows])
    loss = np.array([r[2] for r in rows])
    return np.log(n), np.log(c / (6 * n)), np.log(loss)


LOG_N = LOG_D = LOG_L = None


def init_worker(path):
    global LOG_N, LOG_D, LOG_L
    LOG_N, LOG_D, LOG_L = load(path)


def residuals_and_weights(p):
    e, a, b, alpha, beta = p
    t = np.stack([a - alpha * LOG_N, b - beta * LOG_D, np.full_like(LOG_N, e)])
    m = t.max(axis=0)
    ex = np.exp(t - m)
    s = ex.sum(axis=0)
    return m + np.log(s) - LOG_L, ex / s


def huber_objective(p):
    """f(p) and its gradient."""
    r, w = residuals_and_weights(p)
    ar = np.abs(r)
    small = ar <= DELTA
    f = np.where(small, 0.5 * r * r, DELTA * (ar - 0.5 * DELTA)).sum()
    g = np.where(small, r, DELTA * np.sign(r))
    grad = np.array([(g * w[2]).sum(), (g * w[0]).sum(), (g * w[1]).sum(),
                     -(g * w[0] * LOG_N).sum(), -(g * w[1] * LOG_D).sum()])
    return f, grad


def jacobian(p):
    _, w = residuals_and_weights(p)
    return np.stack([w[2], w[0], w[1], -w[0] * LOG_N, -w[1] * LOG_D], axis=1)


def run_start(p0):
    res = minimize(huber_objective, np.array(p0, dtype=float), jac=True, method="L-BFGS-B")
    return float(res.fun), res.x.tolist()


def natural(p):
    e, a, b, alpha, beta = p
    return "E=%.4f A=%.2f B=%.2f alpha=%.4f beta=%.4f" % (math.exp(e), math.exp(a), math.exp(b), alpha, beta)


def main():
    args = sys.argv[1:]
    budget = 60.0
    if "--budget" in args:
        k = args.index("--budget")
        budget = float(args[k + 1])
        del args[k:k + 2]
    path = args[0] if args else "../shared/data/chinchilla/svg_extracted_data.csv"
    init_worker(path)
    alphas = [0.0, 0.5, 1.0, 1.5, 2.0]
    es = [-1.0, -0.5, 0.0, 0.5, 1.0]
    abs_ = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    grid = [list(g) for g in itertools.product(es, abs_, abs_, alphas, alphas)]
    order = np.random.default_rng(0).permutation(len(grid))
    workers = os.cpu_count() or 1

    best = (math.inf, None)
    done = 0
    subset = False
    t0 = time.perf_counter()
    with Pool(workers, initializer=init_worker, initargs=(path,)) as pool:
        chunk = 50 * workers
        for k in range(0, len(grid), chunk):
            for f, x in pool.map(run_start, [grid[i] for i in order[k:k + chunk]], chunksize=5):
                if f < best[0]:
                    best = (f, x)
            done = min(k + chunk, len(grid))
            if time.perf_counter() - t0 > budget and done < len(grid):
                subset = True
                break
    elapsed = time.perf_counter() - t0
    full = elapsed * len(grid) / done
    print("scipy L-BFGS-B: %s" % natural(best[1]))
    print("scipy L-BFGS-B: objective %.12g" % best[0])
    if subset:
        print("scipy L-BFGS-B: SUBSET: %d of %d starts (seeded random order) in %.3f s on %d processes; "
              "full grid extrapolated" % (done, len(grid), elapsed, workers))
    else:
        print("scipy L-BFGS-B: all %d starts in %.3f s on %d processes" % (done, elapsed, workers))
    print("scipy L-BFGS-B: total time %.3f s for %d starts%s" % (full, len(grid), " (extrapolated)" if subset else ""))

    p0 = np.array([0.5, 5.0, 10.0, 0.5, 0.5])
    t1 = time.perf_counter()
    ls = least_squares(lambda p: residuals_and_weights(p)[0], p0, jac=jacobian, loss="huber", f_scale=DELTA)
    t_ls = time.perf_counter() - t1
    print("scipy least_squares(huber) from (0.5, 5, 10, 0.5, 0.5): %s" % natural(ls.x))
    print("scipy least_squares(huber): objective %.12g, %d evaluations, %.3f s, status %d"
          % (huber_objective(ls.x)[0], ls.nfev, t_ls, ls.status))


if __name__ == "__main__":
    main()
