"""BG/NBD and Gamma-Gamma fit time of crm_lifecycle against the lifetimes package.

Synthetic customers are drawn from the BG/NBD and Gamma-Gamma processes (seeded), with daily
periods and staggered acquisition (T between 30 and 1095 days), then rounded to whole days as real
invoice dates are. For each size the script fits both implementations on the same arrays and
prints the times, their ratio and the log-likelihood difference. It asserts nothing.

    python bench/lifecycle.py --sizes 10000,100000,1000000 --skip-reference-above 1000000
"""

import argparse
import time
import warnings

import numpy as np

from crm_lifecycle import BetaGeoModel, GammaGammaModel, simulate_bgnbd

TRUTH_BG = {"r": 0.5, "alpha": 60.0, "a": 0.8, "b": 2.5}
TRUTH_GG = {"p": 6.0, "q": 4.0, "v": 15.0}


def synthetic(n, seed):
    rng = np.random.default_rng(seed)
    T = rng.integers(30, 1096, n).astype(np.float64)
    x, tx, T = simulate_bgnbd(n, T, **TRUTH_BG, random_state=seed)
    tx = np.floor(tx)
    nu = rng.gamma(TRUTH_GG["q"], 1.0 / TRUTH_GG["v"], n)
    # the mean of x Gamma(p, nu) values is Gamma(p x, nu x)
    m = np.where(x > 0, rng.gamma(TRUTH_GG["p"] * np.maximum(x, 1), 1.0 / (nu * np.maximum(x, 1))), 0.0)
    return x, tx, T, np.round(m, 2)


def timed(fn, repeat=1):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return result, best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--skip-reference-above", type=int, default=1_000_000,
                        help="do not run lifetimes above this many customers (it is slow)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each fit this many times and keep the best (both implementations)")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter, GammaGammaFitter

    print(f"{'model':<12}{'customers':>11}{'ours s':>10}{'lifetimes s':>13}{'speed-up':>10}"
          f"{'LL rel diff':>13}")
    for n in (int(s) for s in args.sizes.split(",")):
        x, tx, T, m = synthetic(n, args.seed)
        bg, t_bg = timed(lambda x=x, tx=tx, T=T: BetaGeoModel().fit(x, tx, T), args.repeat)
        use = (x > 0) & (m > 0)
        gg, t_gg = timed(lambda x=x, m=m: GammaGammaModel().fit(x, m), args.repeat)
        if n > args.skip_reference_above:
            print(f"{'BG/NBD':<12}{n:>11}{t_bg:>10.3f}{'skipped':>13}{'':>10}{'':>13}")
            print(f"{'Gamma-Gamma':<12}{n:>11}{t_gg:>10.3f}{'skipped':>13}{'':>10}{'':>13}")
            print(f"  (lifetimes not run at {n} customers: above --skip-reference-above "
                  f"{args.skip_reference_above})")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref_bg, t_ref_bg = timed(lambda x=x, tx=tx, T=T: BetaGeoFitter().fit(x, tx, T), args.repeat)
            ref_gg, t_ref_gg = timed(lambda x=x, m=m, use=use: GammaGammaFitter().fit(x[use], m[use]),
                                     args.repeat)
        p = ref_bg.params_
        ll_ref = BetaGeoModel._log_likelihood((p["r"], p["alpha"], p["a"], p["b"]), x, tx, T).sum()
        q = ref_gg.params_
        ll_ref_gg = GammaGammaModel._log_likelihood((q["p"], q["q"], q["v"]), x[use], m[use]).sum()
        print(f"{'BG/NBD':<12}{n:>11}{t_bg:>10.3f}{t_ref_bg:>13.3f}{t_ref_bg / t_bg:>9.1f}x"
              f"{(bg.log_likelihood_ - ll_ref) / abs(ll_ref):>13.1e}")
        print(f"{'Gamma-Gamma':<12}{n:>11}{t_gg:>10.3f}{t_ref_gg:>13.3f}{t_ref_gg / t_gg:>9.1f}x"
              f"{(gg.log_likelihood_ - ll_ref_gg) / abs(ll_ref_gg):>13.1e}")
    print("LL rel diff > 0 means our optimum is higher (better) than lifetimes'.")


if __name__ == "__main__":
    main()
