#!/usr/bin/env python3
"""The multi-power-law loss-curve fit of scalefit, run with scipy (the peer benchmark).

Data: a CSV with columns run,step,lr,loss; for each run a row for every step 0..T-1 with
its learning rate, and the loss only on logged steps (empty cell elsewhere). Rows of a
run are contiguous and in step order.

Law (Luo et al. 2025, repository convention), one theta = [L0, A, alpha, B, C, beta, gamma]
shared by all runs. Per run, P(t) = sum_{tau<=t} eta_tau; change points k >= 1 with
eta_{k-1} != eta_k, d_k = eta_{k-1} - eta_k, S_k(t) = P(t) - P(k-1):

    x_k = eta_k^-gamma S_k(t),  y_k = 1 + C x_k,  G_k = 1 - y_k^-beta  (G_k = 1 if eta_k = 0)
    L(t) = L0 + A P(t)^-alpha - B sum_{k<=t} d_k G_k
    r(t) = log L(t) - log L_obs(t)

Fit: scipy.optimize.least_squares(method="trf", loss="huber", f_scale=1e-3, x_scale="jac",
analytic Jacobian, bounds), from one start; the reported cost is
sum Huber_delta(r), delta = 1e-3, scalefit's objective.

Usage: Scripts/bench_curves_scipy.py CSV --start L0,A,alpha,B,C,beta,gamma
"""
import csv
import os
import sys
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

USAGE = "usage: bench_curves_scipy.py CSV --start L0,A,alpha,B,C,beta,gamma"
NAMES = ["L0", "A", "alpha", "B", "C", "beta", "gamma"]
BAD_RESIDUAL = 1e3  # residual used where L_pred <= 0 (or not finite)


class Run:
    """One training curve with its change points precomputed."""

    def __init__(self, name, lr, steps_logged, loss_logged):
        self.name = name
        eta = np.asarray(lr, dtype=np.float64)
        P = np.cumsum(eta)
        self.t = np.asarray(steps_logged, dtype=np.int64)
        self.logLobs = np.log(np.asarray(loss_logged, dtype=np.float64))
        self.Pt = P[self.t]
        self.logS1 = np.log(self.Pt)
        k = np.nonzero(eta[1:] != eta[:-1])[0] + 1  # change points, k >= 1
        # Only change points up to the last logged step can affect the fit.
        k = k[k <= (self.t[-1] if len(self.t) else -1)]
        self.n_change = len(k)
        d = eta[k - 1] - eta[k]
        zero = eta[k] == 0
        # Change points with eta_k = 0: G = 1, no derivatives -> constant sum d.
        kz = k[zero]
        self.kz = kz
        self.cum_dz = np.cumsum(d[zero])
        nz = ~zero
        self.k = k[nz]
        self.d = d[nz]
        self.logeta = np.log(eta[self.k])
        self.Pkm1 = P[self.k - 1]
        # How many change points lie at or before each logged step.
        self.n_at = np.searchsorted(self.k, self.t, side="right")
        self.nz_at = np.searchsorted(kz, self.t, side="right")

    def evaluate(self, theta, want_jac):
        L0, A, alpha, B, C, beta, gamma = theta
        m = len(self.t)
        S1a = np.exp(-alpha * self.logS1)  # S1^-alpha
        sumG = np.zeros(m)
        if want_jac:
            sumLog = np.zeros(m)
            sumX = np.zeros(m)
            sumXLog = np.zeros(m)
        em = np.exp(-gamma * self.logeta)  # eta_k^-gamma
        d, Pkm1, logeta = self.d, self.Pkm1, self.logeta
        for i in range(m):
            n = self.n_at[i]
            if n:
                x = em[:n] * (self.Pt[i] - Pkm1[:n])
                logy = np.log1p(C * x)
                ypb = np.exp(-beta * logy)  # y^-beta
                dn = d[:n]
                sumG[i] = dn.sum() - dn @ ypb
                if want_jac:
                    w = dn * ypb
                    sumLog[i] = w @ logy
                    wx = w * x / (1.0 + C * x)  # d x y^(-beta-1)
                    sumX[i] = wx.sum()
                    sumXLog[i] = wx @ logeta[:n]
            nz = self.nz_at[i]
            if nz:
                sumG[i] += self.cum_dz[nz - 1]
        L = L0 + A * S1a - B * sumG
        ok = np.isfinite(L) & (L > 0)
        r = np.full(m, BAD_RESIDUAL)
        r[ok] = np.log(L[ok]) - self.logLobs[ok]
        if not want_jac:
            return r, None
        J = np.empty((m, 7))
        J[:, 0] = 1.0
        J[:, 1] = S1a
        J[:, 2] = -A * S1a * self.logS1
        J[:, 3] = -sumG
        J[:, 4] = -B * beta * sumX
        J[:, 5] = -B * sumLog
        J[:, 6] = B * beta * C * sumXLog
        J[ok] /= L[ok, None]
        J[~ok] = 0.0
        return r, J


def load(path):
    runs = []
    order = []
    data = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        ci = {h: i for i, h in enumerate(header)}
        ir, istep, ilr, iloss = ci["run"], ci["step"], ci["lr"], ci["loss"]
        for row in reader:
            name = row[ir]
            if name not in data:
                data[name] = ([], [], [], [])
                order.append(name)
            lr, ts, ls, steps = data[name]
            step = int(row[istep])
            if step != len(lr):
                raise ValueError(f"run {name}: step {step} out of order")
            lr.append(float(row[ilr]))
            cell = row[iloss].strip()
            if cell:
                ts.append(step)
                ls.append(float(cell))
    for name in order:
        lr, ts, ls, _ = data[name]
        runs.append(Run(name, lr, ts, ls))
    return runs


class Model:
    def __init__(self, runs):
        self.runs = runs
        self._key = None
        self._r = None
        self._J = None

    def evaluate(self, theta, want_jac):
        rs, Js = [], []
        for run in self.runs:
            r, J = run.evaluate(theta, want_jac)
            rs.append(r)
            Js.append(J)
        r = np.concatenate(rs)
        J = np.vstack(Js) if want_jac else None
        return r, J

    def fun(self, theta):
        key = np.asarray(theta, dtype=np.float64).tobytes()
        if key == self._key:
            return self._r.copy()
        r, _ = self.evaluate(theta, False)
        self._key, self._r, self._J = key, r, None
        return r.copy()

    def jac(self, theta):
        key = np.asarray(theta, dtype=np.float64).tobytes()
        if key == self._key and self._J is not None:
            return self._J.copy()
        r, J = self.evaluate(theta, True)
        self._key, self._r, self._J = key, r, J
        return J.copy()


def parse_args(argv):
    if len(argv) != 3 or argv[1] != "--start":
        if len(argv) == 3 and argv[0] == "--start":
            argv = [argv[2], argv[0], argv[1]]
        else:
            return None
    path = argv[0]
    try:
        start = [float(v) for v in argv[2].split(",")]
    except ValueError:
        return None
    if len(start) != 7 or not all(np.isfinite(start)):
        return None
    return path, np.array(start)


def main(argv):
    parsed = parse_args(argv)
    if parsed is None:
        print(USAGE, file=sys.stderr)
        return 64
    path, x0 = parsed
    try:
        runs = load(path)
    except (OSError, ValueError, KeyError, StopIteration) as e:
        print(f"bench_curves_scipy: cannot read {path}: {e}", file=sys.stderr)
        return 64
    npts = sum(len(r.t) for r in runs)
    changes = ", ".join(str(r.n_change) for r in runs)
    print(f"scipy: data {path}: {len(runs)} runs, {npts} logged points, change points {changes}",
          flush=True)

    model = Model(runs)
    lower = np.array([0, 0, 0, 0, 1e-12, 0, 0], dtype=np.float64)
    upper = np.array([np.inf, np.inf, 10, np.inf, np.inf, 10, 5], dtype=np.float64)
    x0 = np.clip(x0, lower, upper)

    t_res = min(_timed(lambda: model.evaluate(x0, False)) for _ in range(3))
    t_jac = min(_timed(lambda: model.evaluate(x0, True)) for _ in range(3))
    print(f"scipy: one evaluation: residuals {t_res:.3f} s, residuals+Jacobian {t_jac:.3f} s",
          flush=True)

    model = Model(runs)  # fresh cache
    t0 = time.perf_counter()
    res = least_squares(model.fun, x0, jac=model.jac, method="trf", loss="huber",
                        f_scale=1e-3, bounds=(lower, upper), x_scale="jac", max_nfev=2000)
    wall = time.perf_counter() - t0
    print(f"scipy: single start: {wall:.3f} s wall, nfev {res.nfev}, njev {res.njev}, "
          f"cost {res.cost:.9e}, status {res.status} ({res.message})")
    print(f"scipy: parameters [{', '.join(NAMES)}] = "
          f"[{', '.join(f'{v:.10g}' for v in res.x)}]")
    return 0


def _timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
