"""RFM and clustering of the crm_mining engine, and the full lifecycle + segmentation refresh in Odoo.

Engine part (no database), for each of ``--sizes`` synthetic customers (seeded numpy: a few groups,
from one-off buyers to key accounts, with exponential recency, negative binomial purchase counts and
log-normal spend per purchase; margin a Beta share of the revenue, sometimes negative), times the
median of ``--runs`` runs after one warm-up of:

* ``crm_mining.rfm_scores(recency_days, frequency, monetary)``: quantile scores, codes, segments;
* ``crm_mining.score_segments(partner_ids, recency_days, frequency, monetary, margin,
  SegmentationConfig())``, the one call of the addon: RFM, k chosen by silhouette among 2..8 on
  a sample, k-means on all customers, profiles, identities; first without a previous run, then
  *nightly*: the next day's data (every recency one day older, 0.3% of the customers bought again,
  0.05% new customers) with ``previous=PreviousSegmentation(...)`` built from the first result
  (its centroids and identities are matched, its labels give the transition matrices);
* as a reference, a plain scikit-learn ``KMeans(n_clusters=k, n_init=1)`` (k the chosen one) on
  the same standardised features (``log1p`` then ``StandardScaler``), with one OpenMP thread as the
  engine uses and with all cores: what the k selection, the canonical order, the profiles and the
  identity matching cost on top of one k-means;

and prints the peak memory of one call of each (tracemalloc: numpy's allocations are traced) and
the process' maximum resident set size.

Odoo part (``--odoo``; by default when the database ``--db`` exists): on the benchmark database of
``bench/facts.py`` (100k customers / 1M invoice lines), installs ``crm_lifecycle_value``,
``crm_mining_segmentation`` and the bridge ``crm_mining_segmentation_lifecycle`` when missing, then,
inside one transaction rolled back at the end:

* bare: ``SELECT partner_id, date, SUM(balance), COUNT(*)`` over the window's posted customer
  invoice and credit note lines (``bench/facts.py``), the baseline of DESIGN.md section 4
  (``--runs`` runs after a warm-up, and once more between two cycles);
* a cycle, ``--cycles`` times (default 1): deletes the company's segmentation runs, lifecycle runs
  and retention activities, then times
  * first refresh: ``env['crm.lifecycle.run']._refresh_company_now(company)`` then
    ``env['crm.segmentation.run']._refresh_company_now(company)`` (the nightly scheduled actions'
    work, each followed by ``env.flush_all()``) with no published run; nightly refresh: the same
    again on top of the published runs;
  * the segmentation alone, nightly, with the bridge (it reads the published lifecycle figures of
    the same window) and with the bridge bypassed (``_lifecycle_run`` patched to return no run:
    it reads the invoice lines through the customer facts query);

and prints each analysis' time, the total, total / bare (target at most 3x, aim 2x), the best and
the median over the cycles (the best is the least disturbed by other processes), and the process'
maximum resident set size (target under 1 GB). The runs' step timings (logged at INFO
by ``crm_lifecycle_value`` and ``crm_mining_segmentation``) are shown as they come and repeated
at the end. When both parts run, the engine part runs in a child process, so that each part's
maximum RSS is its own. It asserts nothing.

    .venv/bin/python bench/mining.py                                  # engine at 100k and 1M, then Odoo
    .venv/bin/python bench/mining.py --no-odoo --sizes 100000         # engine only
    .venv/bin/python bench/mining.py --no-engine --cycles 3           # Odoo only (crm_bench)
"""

import argparse
import logging
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from unittest import mock

import numpy as np

#: synthetic customer groups: name, share, mean days since the last purchase, mean purchases after
#: the first, median spend per purchase, spread (log-normal sigma) of the spend across customers
GROUPS = (
    ("one-off", 0.40, 320.0, 0.3, 70.0, 0.9),
    ("occasional", 0.32, 140.0, 2.0, 110.0, 0.8),
    ("regular", 0.20, 45.0, 8.0, 180.0, 0.7),
    ("key account", 0.08, 14.0, 30.0, 750.0, 0.8),
)
WINDOW_DAYS = 730
ODOO_MODULES = ("crm_lifecycle_value", "crm_mining_segmentation", "crm_mining_segmentation_lifecycle")
STEP_LOGGERS = ("odoo.addons.crm_lifecycle_value", "odoo.addons.crm_mining_segmentation")


def mib(n_bytes):
    return n_bytes / 2**20


def max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------------------------------
# engine part
# ----------------------------------------------------------------------------------------------
def synthetic_customers(n, seed):
    """Group of each of ``n`` synthetic customers, and their sorted partner ids and RFM inputs."""
    rng = np.random.default_rng(seed)
    shares = np.array([group[1] for group in GROUPS])
    group = rng.choice(len(GROUPS), size=n, p=shares / shares.sum())
    recency_mean, extra_mean, spend_median, spend_sigma = (
        np.array([g[j] for g in GROUPS])[group] for j in (2, 3, 4, 5))
    # exponential days since the last purchase, truncated to the window (inverse of its CDF)
    tail = 1.0 - np.exp(-WINDOW_DAYS / recency_mean)
    recency = np.floor(-recency_mean * np.log1p(-tail * rng.random(n))).astype(np.int64)
    # negative binomial with shape 1.2 (over-dispersed counts, most customers buy once or twice)
    shape = 1.2
    frequency = 1 + rng.negative_binomial(shape, shape / (shape + extra_mean))
    per_purchase = spend_median * np.exp(spend_sigma * rng.standard_normal(n))
    monetary = np.round(rng.gamma(4.0 * frequency, per_purchase / 4.0), 2)
    margin = np.round(monetary * (rng.beta(5.0, 14.0, n) - 0.03), 2)
    partner_ids = np.sort(rng.choice(20 * n, size=n, replace=False)) + 1000
    return group, (partner_ids, recency, frequency.astype(np.int64), monetary, margin)


def next_day(partner_ids, recency, frequency, monetary, margin, seed):
    """The same customers a day later: 0.3% bought again, 0.05% are new, the oldest leave the window."""
    rng = np.random.default_rng(seed + 1)
    n = len(partner_ids)
    recency, frequency, monetary, margin = recency + 1, frequency.copy(), monetary.copy(), margin.copy()
    bought = rng.random(n) < 0.003
    spend = np.round(110.0 * np.exp(0.8 * rng.standard_normal(int(bought.sum()))), 2)
    recency[bought] = 0
    frequency[bought] += 1
    monetary[bought] += spend
    margin[bought] += np.round(0.2 * spend, 2)
    n_new = max(n // 2000, 1)
    new_ids = partner_ids.max() + 1 + np.arange(n_new)
    new_spend = np.round(80.0 * np.exp(0.9 * rng.standard_normal(n_new)), 2)
    keep = recency < WINDOW_DAYS
    return (np.r_[partner_ids[keep], new_ids], np.r_[recency[keep], np.zeros(n_new, dtype=np.int64)],
            np.r_[frequency[keep], np.ones(n_new, dtype=np.int64)], np.r_[monetary[keep], new_spend],
            np.r_[margin[keep], np.round(0.2 * new_spend, 2)])


def timed_median(fn, runs):
    """(median seconds of ``runs`` calls after one warm-up, all times, last result)."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def traced_peak(fn):
    """Peak traced memory (bytes) of one call of ``fn``."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def previous_of(scores):
    """The published segmentation of a first run, as the nightly run reads it back."""
    from crm_mining import PreviousSegmentation

    clustering = scores.clustering
    return PreviousSegmentation(
        centroids=clustering.centroids, identities=clustering.identities, partner_ids=scores.partner_ids,
        clusters=scores.figures["cluster"], rfm_segments=scores.figures["rfm_segment"])


def run_engine(sizes, runs, seed):
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    from crm_mining import SegmentationConfig, rfm_scores, score_segments

    config = SegmentationConfig()
    print(f"engine: median of {runs} runs after a warm-up; {config}")
    summary = []
    for n in sizes:
        group, (ids, recency, freq, money, margin) = synthetic_customers(n, seed)
        night = next_day(ids, recency, freq, money, margin, seed)
        shares = np.bincount(group, minlength=len(GROUPS)) / n
        groups = ", ".join(f"{g[0]} {share:.0%}" for g, share in zip(GROUPS, shares, strict=True))
        print(f"\n{n:,} customers ({groups}): "
              f"recency median {np.median(recency):.0f} d, purchases median {np.median(freq):.0f} "
              f"(max {freq.max()}), monetary median {np.median(money):,.0f} (max {money.max():,.0f}); "
              f"nightly: {len(night[0]):,} customers", flush=True)

        def rfm(recency=recency, freq=freq, money=money):
            return rfm_scores(recency, freq, money)

        def first(ids=ids, recency=recency, freq=freq, money=money, margin=margin):
            return score_segments(ids, recency, freq, money, margin, config)

        rows = {}
        rows["rfm_scores"] = (*timed_median(rfm, runs)[:2], traced_peak(rfm))
        t_first, all_first, scores = timed_median(first, runs)
        rows["score_segments, first"] = (t_first, all_first, traced_peak(first))
        clustering = scores.clustering
        previous = previous_of(scores)

        def nightly(night=night, previous=previous):
            return score_segments(*night, config, previous=previous)

        t_night, all_night, night_scores = timed_median(nightly, runs)
        rows["score_segments, nightly"] = (t_night, all_night, traced_peak(nightly))
        k = clustering.k
        features = np.log1p(np.column_stack([recency, freq, money]).astype(np.float64))
        features = StandardScaler().fit_transform(features)

        def kmeans(features=features, k=k):
            return KMeans(n_clusters=k, n_init=1, random_state=0).fit(features)

        with threadpool_limits(limits=1, user_api="openmp"):
            rows[f"KMeans k={k} n_init=1, 1 thread"] = (*timed_median(kmeans, runs)[:2], traced_peak(kmeans))
        rows[f"KMeans k={k} n_init=1, all cores"] = (*timed_median(kmeans, runs)[:2], None)
        moved = night_scores.cluster_transitions
        moved_count = sum(c for s, t, c, _w in moved.as_rows() if s is not None and t is not None and s != t)
        again = night_scores.clustering
        by_k = ", ".join(f"{kk}: {v:.3f}" for kk, v in sorted(clustering.silhouette_by_k.items()))
        print(f"k = {k} (silhouette by k: {by_k}); sizes {clustering.sizes.tolist()}; "
              f"nightly: k = {again.k}, identities {again.identities.tolist()}, "
              f"new {again.new_identities.tolist()}, vanished {again.vanished_identities.tolist()}, "
              f"{moved_count:,} customers changed cluster")
        print(f"{'call':<36}{'median s':>10}{'peak MiB':>10}   runs")
        for label, (median, times, peak) in rows.items():
            peak_text = f"{mib(peak):>10.0f}" if peak is not None else f"{'':>10}"
            print(f"{label:<36}{median:>10.3f}{peak_text}   {', '.join(f'{t:.3f}' for t in times)}")
        reference = rows[f"KMeans k={k} n_init=1, 1 thread"][0]
        print(f"score_segments / KMeans (1 thread): first {t_first / reference:.1f}x, "
              f"nightly {t_night / reference:.1f}x; rfm_scores is {rows['rfm_scores'][0] / t_first:.0%} "
              f"of score_segments")
        rss = max_rss_mib()
        print(f"process max RSS so far: {rss:,.0f} MiB", flush=True)
        summary.append((n, rows["rfm_scores"], rows["score_segments, first"], rows["score_segments, nightly"],
                        reference, rss))
    print(f"\n{'customers':>10}{'rfm s':>8}{'first s':>9}{'nightly s':>10}{'KMeans s':>10}"
          f"{'peak MiB':>10}{'max RSS MiB':>13}")
    for n, rfm_row, first_row, night_row, reference, rss in summary:
        peak = max(first_row[2], night_row[2])
        print(f"{n:>10,}{rfm_row[0]:>8.3f}{first_row[0]:>9.3f}{night_row[0]:>10.3f}{reference:>10.3f}"
              f"{mib(peak):>10.0f}{rss:>13,.0f}")


# ----------------------------------------------------------------------------------------------
# Odoo part
# ----------------------------------------------------------------------------------------------
class StepLog(logging.Handler):
    """Keeps the runs' INFO messages (their step timings) to repeat them in the summary."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def install_missing(db, odoo_src, odoo_cmd, http_port):
    from _odoo_env import addons_path, module_installed

    missing = [module for module in ODOO_MODULES if not module_installed(db, module)]
    if not missing:
        return True
    print(f"installing {', '.join(missing)} in {db} ...", flush=True)
    done = subprocess.run([*odoo_cmd, f"--addons-path={addons_path(odoo_src)}", "-d", db,
                           "-i", ",".join(missing), "--stop-after-init", "--http-port", str(http_port),
                           "--log-level=warn"], capture_output=True, text=True, check=False)
    still = [module for module in ODOO_MODULES if not module_installed(db, module)]
    if done.returncode or still:
        print(f"installing {', '.join(missing)} failed (exit {done.returncode}; not installed: "
              f"{', '.join(still) or '-'}):\n{done.stdout[-6000:]}{done.stderr[-6000:]}")
        return False
    return True


def _timed(env, fn):
    """Seconds of ``fn()`` including the flush of its pending ORM writes, and its result."""
    start = time.perf_counter()
    result = fn()
    env.flush_all()
    return time.perf_counter() - start, result


def _describe(run):
    return f"{run.name} {run.state}: {run.message.splitlines()[0] if run.message else ''}"


def refresh_cycle(env, company):
    """Delete the company's runs, then the first and the nightly refresh of both analyses, then the
    segmentation alone with and without the bridge; ``{measure: seconds}``."""
    Lifecycle, Segmentation = env["crm.lifecycle.run"], env["crm.segmentation.run"]
    Segmentation.search([("company_id", "=", company.id)]).unlink()
    Lifecycle.search([("company_id", "=", company.id)]).unlink()
    env["mail.activity"].search([("crm_lifecycle_reason", "!=", False)]).unlink()
    env.flush_all()
    times = {}
    for label in ("first", "nightly"):
        t_life, life = _timed(env, lambda: Lifecycle._refresh_company_now(company))
        t_seg, seg = _timed(env, lambda: Segmentation._refresh_company_now(company))
        bridged = seg._lifecycle_run() == life
        times[f"{label} lifecycle"], times[f"{label} segmentation"] = t_life, t_seg
        times[f"{label} refresh"] = t_life + t_seg
        print(f"{label} refresh: lifecycle {t_life:.2f} s, {_describe(life)}\n"
              f"{label} refresh: segmentation {t_seg:.2f} s "
              f"({'reads the lifecycle figures' if bridged else 'bridge NOT used'}), {_describe(seg)}",
              flush=True)
    times["segmentation alone, bridge"], seg = _timed(env, lambda: Segmentation._refresh_company_now(company))
    print(f"segmentation alone, nightly, with the bridge: {times['segmentation alone, bridge']:.2f} s, "
          f"{_describe(seg)}", flush=True)
    no_run = lambda self: self.env["crm.lifecycle.run"]  # noqa: E731
    with mock.patch.object(type(Segmentation), "_lifecycle_run", no_run):
        times["segmentation alone, no bridge"], seg = _timed(
            env, lambda: Segmentation._refresh_company_now(company))
    print(f"segmentation alone, nightly, bridge bypassed (reads the invoice lines): "
          f"{times['segmentation alone, no bridge']:.2f} s, {_describe(seg)}", flush=True)
    return times


def run_odoo(db, runs, cycles, http_port, trace_memory):
    from _odoo_env import database_exists, find_odoo, odoo_env
    from facts import bare_aggregate, timed_runs

    odoo_src, odoo_cmd = find_odoo()
    if not database_exists(db):
        print(f"database {db} does not exist: run `.venv/bin/python bench/facts.py` first (it creates "
              f"it and loads 100k customers / 1M invoice lines); Odoo part skipped")
        return 1
    if not install_missing(db, odoo_src, odoo_cmd, http_port):
        return 1

    steps = StepLog()
    with odoo_env(db, odoo_src) as env:
        for name in STEP_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
            logging.getLogger(name).addHandler(steps)
        import crm_lifecycle  # noqa: F401  (scipy, scikit-learn: imported once per server process)
        import crm_mining  # noqa: F401

        company = env.company
        date_from, date_to = company._crm_intel_window()
        def bare():
            return bare_aggregate(env, company.id, date_from, date_to)

        _median, bare_times, rows = timed_runs(bare, runs)
        print(f"window {date_from} .. {date_to}: {len(rows):,} (customer, day) rows, "
              f"{len({row[0] for row in rows}):,} customers; bare aggregate "
              f"{', '.join(f'{t:.2f}' for t in bare_times)} s", flush=True)
        del rows
        if trace_memory:
            tracemalloc.start()
        measured = {}
        for number in range(1, cycles + 1):
            print(f"--- cycle {number} of {cycles}", flush=True)
            for label, seconds in refresh_cycle(env, company).items():
                measured.setdefault(label, []).append(seconds)
            if number < cycles:  # between the cycles too: the machine's load changes
                start = time.perf_counter()
                bare()
                bare_times.append(time.perf_counter() - start)
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        tracemalloc.stop()
        env.cr.rollback()
        for name in STEP_LOGGERS:
            logging.getLogger(name).removeHandler(steps)
    report_odoo(bare_times, measured, peak, steps.messages)
    return 0


def report_odoo(bare_times, measured, peak, messages):
    best_bare, median_bare = min(bare_times), statistics.median(bare_times)
    print(f"\n{'measure':<32}{'best s':>8}{'/ bare':>8}{'median s':>10}{'/ bare':>8}   all")
    print(f"{'bare aggregate':<32}{best_bare:>8.2f}{1:>7.2f}x{median_bare:>10.2f}{1:>7.2f}x   "
          f"{', '.join(f'{t:.2f}' for t in bare_times)}")
    for label, times in measured.items():
        best, median = min(times), statistics.median(times)
        print(f"{label:<32}{best:>8.2f}{best / best_bare:>7.2f}x{median:>10.2f}"
              f"{median / median_bare:>7.2f}x   {', '.join(f'{t:.2f}' for t in times)}")
    saved = statistics.median(measured["segmentation alone, no bridge"]) - statistics.median(
        measured["segmentation alone, bridge"])
    print(f"the bridge saves the segmentation {saved:.2f} s (medians)")
    print("target (DESIGN.md section 4): full refresh (lifecycle + segmentation) <= 3x the bare "
          "aggregate (aim 2x), under 1 GB")
    traced = f"peak traced memory of the refreshes: {mib(peak):.0f} MiB; " if peak else ""
    print(f"{traced}process max RSS: {max_rss_mib():,.0f} MiB")
    print("step timings (INFO log; per cycle: first lifecycle, first segmentation, nightly lifecycle, "
          "nightly segmentation, segmentation alone with the bridge, without):")
    for message in messages:
        if " run " in message and "inputs" in message:
            print(f"  {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="engine: numbers of synthetic customers")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (median) after one warm-up")
    parser.add_argument("--seed", type=int, default=42, help="engine: seed of the synthetic customers")
    parser.add_argument("--engine", action=argparse.BooleanOptionalAction, default=True,
                        help="run the engine part (default: yes)")
    parser.add_argument("--odoo", action=argparse.BooleanOptionalAction, default=None,
                        help="run the Odoo part (default: when the database exists)")
    parser.add_argument("--db", default="crm_bench", help="benchmark database of bench/facts.py")
    parser.add_argument("--http-port", type=int, default=8172, help="port of the install run")
    parser.add_argument("--cycles", type=int, default=1,
                        help="Odoo part: repeat the refreshes (from no run) this many times; best and median")
    parser.add_argument("--trace-memory", action="store_true",
                        help="Odoo part: also trace the Python/numpy allocations of the refreshes (slower)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    odoo = args.odoo
    if odoo is None:
        from _odoo_env import database_exists

        odoo = database_exists(args.db)
        if not odoo:
            print(f"database {args.db} not found: Odoo part skipped (run `.venv/bin/python bench/facts.py` "
                  f"to create it)")
    status = 0
    if args.engine and odoo:
        # its own process: the Odoo part's maximum RSS must not include the engine's 1M customers
        child = [sys.executable, __file__, "--no-odoo", "--sizes", args.sizes, "--runs", str(args.runs),
                 "--seed", str(args.seed)]
        status = subprocess.run(child, check=False).returncode
        print(flush=True)
    elif args.engine:
        run_engine(sizes, args.runs, args.seed)
    if odoo:
        status = run_odoo(args.db, args.runs, args.cycles, args.http_port, args.trace_memory) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
