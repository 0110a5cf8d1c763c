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

Association rules part (``--rules``; off by default, it needs mlxtend and pandas of
requirements-dev.txt): for each of ``--rules-sizes`` synthetic baskets (seeded numpy: 5,000 items
of Zipf-like popularity ``1 / (rank + 5) ** 1.1``, ids shuffled; 1 + Poisson(2) items per
basket; 20% of the baskets also hold one of 40 planted co-purchase patterns of 2 to 4 items among
the 20th..500th most popular, each item with probability 0.85; a CSR matrix, duplicates
merged), the rules at ``--rules-support``, ``--rules-confidence``, ``--rules-max-len`` of

* mlxtend 0.25.0: ``fpgrowth(df, min_support, use_colnames=True, max_len)`` then
  ``association_rules(frequent, num_itemsets=len(df), metric="confidence", min_threshold)``, run
  once, on a pandas sparse DataFrame (``pd.DataFrame.sparse.from_spmatrix``; its construction is
  timed apart: mlxtend's time is reported without it and with it) and, when it takes at most
  1 GB, on a dense bool DataFrame too (mlxtend densifies the sparse one in ``setup_fptree``
  anyway: about 5 GB at 1M baskets);
* ``crm_mining.association.association_rules`` on the CSR matrix and on the baskets as lists of
  item ids (the conversion included), median of ``--runs`` runs after a warm-up, with the peak
  memory of one call (tracemalloc);

checks that both give the same rules (the same (antecedent, consequent) set, the metrics within
1e-12; exit status 1 otherwise) and prints the times and the ratio mlxtend / ours. It asserts
nothing about time.

Churn scoring part (``--churn``; off by default): for each of ``--churn-sizes`` synthetic customers
(default 10,000 and 100,000: about 10 rows per customer, 1M rows at 100k), a purchase history of
three and a half years ending 2026-06-30, made with seeded numpy, no loop per customer (a BG/NBD-like
process: first purchase uniform over the span; a purchase rate per customer from Gamma(0.9, 1/40 per
day), Poisson while active; after every purchase, the first one included, the customer drops out with
a probability from Beta(1.2, 4); each purchase is 1 + Poisson(1.2) lines in distinct categories of 6,
drawn with the customer's own Gamma mix; log-normal revenue, margin a Beta share; 3% of the lines
refunded in part 1..30 days later), as ``crm_mining.Transactions.from_arrays``, it times

* ``customer_features`` at the end (median of ``--runs`` after a warm-up) with its peak memory;
* ``score_churn(tx, 2026-06-30, ChurnConfig())`` once (gradient boosting on 3 training cut-offs,
  sigmoid calibration, logistic and BG/NBD P(alive) baselines, permutation importance with 5
  repeats, the scoring model), then again under tracemalloc (its peak memory; the two results must
  be identical: same probabilities, figures, metrics and importances, exit status 1 otherwise), and
  once more with one OpenMP / BLAS thread (``threadpool_limits(1)``);
* the same steps timed apart by calling the engine's pieces in its order
  (``crm_mining.churn.labelled_examples`` at the 5 cut-offs, ``CalibratedChurnModel`` fits and
  predictions, ``p_alive_at``, scikit-learn's ``permutation_importance``, ``customer_features``), with
  all threads and with one, checked to give ``score_churn``'s probabilities;

and prints the customers scored, the training examples, the test AUC of the model, the logistic
baseline and P(alive), customers per second, the peak traced memory (tracemalloc) and the process'
maximum RSS (``ru_maxrss``), and how many cores other processes kept busy meanwhile (``/proc/stat``):
with a core taken, the default two OpenMP threads of scikit-learn's tree predictions run several
times slower (see bench/README.md). It asserts nothing about time.

    .venv/bin/python bench/mining.py                                  # engine at 100k and 1M, then Odoo
    .venv/bin/python bench/mining.py --no-odoo --sizes 100000         # engine only
    .venv/bin/python bench/mining.py --no-engine --cycles 3           # Odoo only (crm_bench)
    .venv/bin/python bench/mining.py --no-engine --no-odoo --rules    # association rules vs mlxtend
    .venv/bin/python bench/mining.py --no-engine --no-odoo --churn    # churn scoring, 10k and 100k
"""

import argparse
import dataclasses
import logging
import os
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
# association rules part
# ----------------------------------------------------------------------------------------------
RULES_ITEMS = 5000
RULES_PATTERNS = 40
RULE_METRICS = ("support", "confidence", "lift", "leverage", "conviction")


def synthetic_baskets(n, seed, n_items=RULES_ITEMS, n_patterns=RULES_PATTERNS):
    """CSR matrix (baskets x items, bool) of ``n`` synthetic baskets (see the module docstring)."""
    import scipy.sparse

    rng = np.random.default_rng(seed)
    popularity = 1.0 / (np.arange(1, n_items + 1) + 5.0) ** 1.1
    sizes = 1 + rng.poisson(2.0, n)
    rows = np.repeat(np.arange(n), sizes)
    items = rng.choice(n_items, size=len(rows), p=popularity / popularity.sum())
    # planted co-purchases: a pattern of 2..4 items (pattern k chosen with weight 1 / k)
    lengths = rng.integers(2, 5, n_patterns)
    patterns = [rng.choice(np.arange(20, 500), size=k, replace=False) for k in lengths]
    flat, starts = np.concatenate(patterns), np.r_[0, np.cumsum(lengths)[:-1]]
    weights = 1.0 / np.arange(1, n_patterns + 1)
    holders = np.flatnonzero(rng.random(n) < 0.2)
    which = rng.choice(n_patterns, size=len(holders), p=weights / weights.sum())
    per = lengths[which]
    offset = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    p_rows, p_items = np.repeat(holders, per), flat[np.repeat(starts[which], per) + offset]
    taken = rng.random(len(p_rows)) < 0.85
    ids = rng.permutation(n_items)  # popularity not in id order
    all_rows, all_items = np.r_[rows, p_rows[taken]], ids[np.r_[items, p_items[taken]]]
    matrix = scipy.sparse.csr_array(
        (np.ones(len(all_rows), dtype=bool), (all_rows, all_items)), shape=(n, n_items)
    )
    matrix.sum_duplicates()
    return matrix


def timed_once(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def mlxtend_rules(df, min_support, min_confidence, max_len):
    """(fpgrowth seconds, association_rules seconds, rules DataFrame) of mlxtend on ``df``."""
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    t_fp, frequent = timed_once(
        lambda: fpgrowth(df, min_support=min_support, use_colnames=True, max_len=max_len)
    )
    with np.errstate(divide="ignore", invalid="ignore"):  # mlxtend's certainty when a support is 1
        t_rules, rules = timed_once(
            lambda: association_rules(
                frequent, num_itemsets=len(df), metric="confidence", min_threshold=min_confidence
            )
        )
    return t_fp, t_rules, rules


def compare_rules(reference, ours):
    """(same rule set, largest relative difference of the metrics) of mlxtend's and our rules."""
    expected = {}
    for row in reference.to_dict("records"):
        antecedent = tuple(sorted(int(i) for i in row["antecedents"]))
        consequent = tuple(sorted(int(i) for i in row["consequents"]))
        expected[antecedent, consequent] = [row[name] for name in RULE_METRICS]
    got = {
        key: [getattr(ours, name)[i] for name in RULE_METRICS]
        for i, key in enumerate(zip(ours.antecedents.tolist(), ours.consequents.tolist(), strict=True))
    }
    if set(expected) != set(got):
        return False, float("nan")
    worst = 0.0
    for key, values in expected.items():
        for a, b in zip(values, got[key], strict=True):
            if np.isinf(a) or np.isinf(b):
                worst = worst if a == b else float("inf")
            else:
                worst = max(worst, abs(a - b) / max(abs(a), 1e-300))
    return True, worst


def run_rules(sizes, runs, seed, min_support, min_confidence, max_len):
    import pandas as pd

    from crm_mining.association import association_rules

    print(
        f"association rules: min_support {min_support}, min_confidence {min_confidence}, "
        f"max_len {max_len}; mlxtend once, ours median of {runs} runs after a warm-up"
    )
    summary, status = [], 0
    for n in sizes:
        matrix = synthetic_baskets(n, seed)
        lists = np.split(np.asarray(matrix.indices, dtype=np.int64), matrix.indptr[1:-1])
        lists = [basket.tolist() for basket in lists]
        per_basket = np.diff(matrix.indptr)
        print(
            f"\n{n:,} baskets, {RULES_ITEMS:,} items: {matrix.nnz:,} (basket, item) entries, "
            f"{per_basket.mean():.2f} items per basket (max {per_basket.max()}), "
            f"{int((np.bincount(matrix.indices, minlength=RULES_ITEMS) > 0).sum()):,} items bought",
            flush=True,
        )

        def ours_csr(matrix=matrix):
            return association_rules(matrix, min_support, min_confidence, max_len=max_len)

        def ours_lists(lists=lists):
            return association_rules(lists, min_support, min_confidence, max_len=max_len)

        t_csr, all_csr, rules = timed_median(ours_csr, runs)
        t_lists, all_lists, _ = timed_median(ours_lists, runs)
        peak = traced_peak(ours_csr)
        t_df, df = timed_once(lambda matrix=matrix: pd.DataFrame.sparse.from_spmatrix(matrix))
        t_fp, t_rules, reference = mlxtend_rules(df, min_support, min_confidence, max_len)
        del df
        same, worst = compare_rules(reference, rules)
        status = status or (0 if same and worst <= 1e-12 else 1)
        rows = [("mlxtend, sparse DataFrame", t_df, t_fp, t_rules)]
        if n * RULES_ITEMS <= 2**30:
            t_dense, dense = timed_once(lambda matrix=matrix: pd.DataFrame(matrix.toarray()))
            t_fp_d, t_rules_d, reference_d = mlxtend_rules(dense, min_support, min_confidence, max_len)
            del dense
            same_d, worst_d = compare_rules(reference_d, rules)
            status = status or (0 if same_d and worst_d <= 1e-12 else 1)
            rows.append(("mlxtend, bool DataFrame", t_dense, t_fp_d, t_rules_d))
        print(
            f"{len(rules):,} rules, frequent itemsets by size {rules.n_frequent}; mlxtend "
            f"{len(reference):,} rules: {'identical' if same else 'DIFFERENT'} rule set, metrics "
            f"within {worst:.1e} (relative)"
        )
        print(f"{'call':<32}{'build s':>9}{'rules s':>9}{'total s':>9}   runs / detail")
        for label, t_build, t_f, t_r in rows:
            print(
                f"{label:<32}{t_build:>9.3f}{t_f + t_r:>9.3f}{t_build + t_f + t_r:>9.3f}   "
                f"fpgrowth {t_f:.3f}, association_rules {t_r:.3f}"
            )
        print(
            f"{'ours, CSR':<32}{'':>9}{t_csr:>9.3f}{t_csr:>9.3f}   {', '.join(f'{t:.3f}' for t in all_csr)}"
            f"; peak {mib(peak):.0f} MiB"
        )
        print(
            f"{'ours, lists of item ids':<32}{'':>9}{t_lists:>9.3f}{t_lists:>9.3f}   "
            f"{', '.join(f'{t:.3f}' for t in all_lists)}"
        )
        mlx = t_fp + t_rules
        print(
            f"mlxtend / ours: {mlx / t_csr:.1f}x (sparse DataFrame given, CSR given), "
            f"{(t_df + mlx) / t_lists:.1f}x (DataFrame construction included, lists given)"
        )
        rss = max_rss_mib()
        print(f"process max RSS so far: {rss:,.0f} MiB", flush=True)
        summary.append((n, len(rules), same, mlx, t_df + mlx, t_csr, t_lists))
    print(
        f"\n{'baskets':>10}{'rules':>8}{'same':>6}{'mlxtend s':>11}{'+ build s':>11}{'ours s':>9}"
        f"{'lists s':>9}{'ratio':>8}{'+ build':>9}"
    )
    for n, count, same, mlx, mlx_build, t_csr, t_lists in summary:
        print(
            f"{n:>10,}{count:>8,}{'yes' if same else 'NO':>6}{mlx:>11.3f}{mlx_build:>11.3f}{t_csr:>9.3f}"
            f"{t_lists:>9.3f}{mlx / t_csr:>7.1f}x{mlx_build / t_lists:>8.1f}x"
        )
    print("target: ours at least 10x faster than mlxtend at 1M baskets")
    return status


# ----------------------------------------------------------------------------------------------
# churn scoring part
# ----------------------------------------------------------------------------------------------
CHURN_END = np.datetime64("2026-06-30")
CHURN_SPAN_DAYS = 1278  # 2022-12-30 .. 2026-06-30, three and a half years
#: popularity of the product categories (each customer's own mix is a Dirichlet draw around it)
CHURN_CATEGORY_SHARES = (0.30, 0.24, 0.18, 0.13, 0.09, 0.06)
CHURN_REFUND_SHARE = 0.03


def synthetic_purchases(n, seed):
    """``crm_mining.Transactions`` of ``n`` synthetic customers (see the module docstring), and the
    number of purchase days per customer."""
    from crm_mining import Transactions

    rng = np.random.default_rng(seed)
    span, shares = CHURN_SPAN_DAYS, np.array(CHURN_CATEGORY_SHARES)
    first = rng.integers(0, span, n)  # day (from the start) of the first purchase
    rate = rng.gamma(0.9, 1.0 / 40.0, n)  # purchases per day while active, mean 1/44
    dropout = rng.beta(1.2, 4.0, n)  # chance to become inactive after each purchase, mean 0.23
    exposure = span - 1 - first
    # repeat purchases of a customer who never drops out: Poisson over the exposure, at uniform
    # times (the order statistics of a Poisson process); the dropout keeps the first Geometric - 1
    offered = rng.poisson(rate * exposure)
    kept = np.minimum(offered, rng.geometric(dropout) - 1)
    owner = np.repeat(np.arange(n), offered)
    at = rng.random(len(owner)) * exposure[owner]
    at = at[np.lexsort((at, owner))]
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(offered) - offered, offered)
    repeat = rank < kept[owner]
    buyer = np.r_[np.arange(n), owner[repeat]]
    day = np.r_[first, first[buyer[n:]] + np.ceil(at[repeat]).astype(np.int64)]
    # lines of a purchase: 1 + Poisson(1.2) distinct categories (at most 6), drawn without replacement
    # with the customer's weights (Gumbel top-k: the smallest -log(U) / w)
    mix = rng.gamma(2.0 * shares, 1.0, (n, len(shares))) + 1e-12
    keys = -np.log(rng.random((len(buyer), len(shares)))) / mix[buyer]
    n_lines = np.minimum(1 + rng.poisson(1.2, len(buyer)), len(shares))
    ranked = np.argsort(keys, axis=1)
    taken = np.arange(len(shares)) < n_lines[:, None]
    line_of = np.repeat(np.arange(len(buyer)), n_lines)
    category = ranked[taken]
    spend = 60.0 * np.exp(0.8 * rng.standard_normal(n))  # median spend of a line, per customer
    partner = buyer[line_of]
    revenue = np.round(spend[partner] * np.exp(0.5 * rng.standard_normal(len(line_of))), 2)
    margin = np.round(revenue * (rng.beta(5.0, 14.0, len(line_of)) - 0.03), 2)
    line_day = day[line_of]
    # credit notes: a share of the lines is refunded (10..100%) 1..30 days later, within the history
    refunded = np.flatnonzero(rng.random(len(line_of)) < CHURN_REFUND_SHARE)
    refund_day = line_day[refunded] + rng.integers(1, 31, len(refunded))
    refunded, refund_day = refunded[refund_day < span], refund_day[refund_day < span]
    part = rng.uniform(0.1, 1.0, len(refunded))
    ids = np.sort(rng.choice(20 * n, size=n, replace=False)) + 1000
    start = CHURN_END - np.timedelta64(span - 1, "D")
    tx = Transactions.from_arrays(
        ids[np.r_[partner, partner[refunded]]],
        start + np.r_[line_day, refund_day].astype("timedelta64[D]"),
        np.r_[revenue, -np.round(revenue[refunded] * part, 2)],
        np.r_[margin, -np.round(margin[refunded] * part, 2)],
        np.r_[category, category[refunded]],
    )
    return tx, 1 + kept


def churn_pieces(tx, end, config):
    """The steps of ``score_churn(tx, end, config)`` timed apart, in its order (the engine's pieces
    called with its arguments): ``({step: seconds}, (test features, test labels, test P(alive)),
    scoring probabilities)``."""
    from sklearn.inspection import permutation_importance

    from crm_mining import customer_features, ranking_metrics, top_categories
    from crm_mining.churn import (
        CalibratedChurnModel,
        _auc_scorer,
        _importance_sample,
        _stack,
        labelled_examples,
        p_alive_at,
    )

    times = {}

    def step(label, fn):
        start = time.perf_counter()
        result = fn()
        times[label] = times.get(label, 0.0) + time.perf_counter() - start
        return result

    test_cut, cal_cut, *train_cuts = config.cutoffs(end)
    fc, horizon = config.features, int(config.horizon_days)
    categories = step("top_categories", lambda: top_categories(tx, train_cuts[-1], config.n_categories))
    by_cut = {
        cut: step(
            f"labelled_examples x{len(train_cuts) + 2}",
            lambda cut=cut: labelled_examples(tx, cut, horizon, categories, None, fc),
        )
        for cut in (test_cut, cal_cut, *train_cuts)
    }
    X_train, y_train = _stack([by_cut[c] for c in train_cuts])
    (test, y_test), (cal, y_cal) = by_cut[test_cut], by_cut[cal_cut]
    model = step("model: fit + calibration", lambda: CalibratedChurnModel(config).fit(
        X_train, y_train, cal.X, y_cal))
    step("model: test metrics", lambda: ranking_metrics(
        y_test, model.churn_probability(test.X), config.top_fraction))
    step("logistic baseline: fit + calibration + metrics", lambda: ranking_metrics(
        y_test, CalibratedChurnModel(config, "logistic").fit(X_train, y_train, cal.X, y_cal)
        .churn_probability(test.X), config.top_fraction))
    alive = step("P(alive) at the test cut-off (BG/NBD fit)", lambda: p_alive_at(
        tx, test_cut, test.partner_ids, fc.history_days))
    sample = _importance_sample(len(y_test), config)
    step(f"permutation importance ({config.permutation_repeats} repeats, {len(sample):,} customers)",
         lambda: permutation_importance(
             model, test.X[sample], y_test[sample], scoring=_auc_scorer,
             n_repeats=config.permutation_repeats, random_state=config.random_state))
    X_final, y_final = _stack([by_cut[c] for c in (cal_cut, *train_cuts[:-1])])
    final = step("scoring model: fit + calibration", lambda: CalibratedChurnModel(config).fit(
        X_final, y_final, test.X, y_test))
    current = step("customer_features at the end", lambda: customer_features(tx, end, categories, None, fc))
    probability = step("scoring model: predict", lambda: final.churn_probability(current.X))
    step("P(alive) at the end (BG/NBD fit)", lambda: p_alive_at(
        tx, end, current.partner_ids, fc.history_days))
    return times, (test, y_test, alive), probability


def _busy_seconds():
    """CPU seconds all processes spent busy since boot (``/proc/stat``; None elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle and iowait


def _own_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def other_load():
    """A function giving the average number of cores that other processes kept busy since this call."""
    start, busy, own = time.perf_counter(), _busy_seconds(), _own_seconds()

    def since():
        now = _busy_seconds()
        if busy is None or now is None:
            return float("nan")
        return max(now - busy - (_own_seconds() - own), 0.0) / max(time.perf_counter() - start, 1e-9)

    return since


def same_scores(a, b):
    """Whether two ``ChurnScores`` hold identical probabilities, and identical figures and metrics."""
    probabilities = np.array_equal(a.figures["churn_probability"], b.figures["churn_probability"])
    figures = all(
        np.array_equal(a.figures[name], b.figures[name], equal_nan=a.figures[name].dtype != object)
        for name in a.figures
    )
    return probabilities, figures and a.metrics == b.metrics and a.importance == b.importance


def churn_size(n, runs, seed, config, threads):
    """Measure ``score_churn`` on ``n`` synthetic customers, print the results; a summary row."""
    from sklearn.metrics import roc_auc_score
    from threadpoolctl import threadpool_limits

    from crm_mining import customer_features, score_churn, top_categories

    end = CHURN_END
    others = other_load()
    start = time.perf_counter()
    tx, purchases = synthetic_purchases(n, seed)
    t_data = time.perf_counter() - start
    print(
        f"\n{n:,} customers: {len(tx):,} rows ({len(tx) / n:.1f} per customer, "
        f"{int((tx.revenue < 0).sum()):,} credit notes) from {tx.dates.min()} to {tx.dates.max()}, "
        f"purchase days per customer mean "
        f"{purchases.mean():.2f}, median {np.median(purchases):.0f}, max {purchases.max()}; "
        f"generated in {t_data:.2f} s",
        flush=True,
    )
    categories = top_categories(tx, config.cutoffs(end)[-1], config.n_categories)

    def features(tx=tx, categories=categories):
        return customer_features(tx, end, categories, None, config.features)

    t_features, all_features, matrix = timed_median(features, runs)
    peak_features = traced_peak(features)
    t_score, scores = timed_once(lambda: score_churn(tx, end, config))
    # the same call again under tracemalloc: its peak memory, and whether it gives the same scores
    tracemalloc.start()
    try:
        again = score_churn(tx, end, config)
        peak_score = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    same_probabilities, same_all = same_scores(scores, again)
    del again
    # the engine runs on one thread by default (ChurnConfig.threads): the same call on all cores
    t_all, _ = timed_once(lambda: score_churn(tx, end, dataclasses.replace(config, threads=None)))
    t_one = t_score
    with threadpool_limits(limits=1):
        pieces_one, (test, y_test, alive), probability = churn_pieces(tx, end, config)
    pieces = churn_pieces(tx, end, config)[0]
    load, rss = others(), max_rss_mib()
    auc = {kind: m.auc if m is not None else float("nan") for kind, m in scores.metrics.items()}
    top = ", ".join(f"{name} {drop:.3f}" for name, drop, _std in scores.importance[:4])
    print(
        f"{len(scores):,} customers scored, {scores.train_size:,} training examples, "
        f"{scores.test_size:,} test customers ({y_test.mean():.0%} churned); test AUC: model "
        f"{auc['model']:.4f}, logistic {auc['logistic']:.4f}, P(alive) {auc['p_alive']:.4f}; "
        f"importance (AUC drop): {top}; notes {list(scores.notes) or '-'}"
    )
    single = test.column("frequency") == 1
    print(
        f"test customers with a single purchase day (BG/NBD P(alive) = 1): {single.mean():.0%}, "
        f"of which {y_test[single].mean():.0%} churned (others: {y_test[~single].mean():.0%}); "
        f"P(alive) AUC on the others: {roc_auc_score(y_test[~single], 1.0 - alive[~single]):.4f}"
    )
    shape = f"{len(matrix):,} x {len(matrix.names)}"
    print(f"{'call':<52}{'s':>9}{'peak MiB':>10}   runs")
    print(
        f"{'customer_features at the end (' + shape + ')':<52}{t_features:>9.3f}"
        f"{mib(peak_features):>10.0f}   {', '.join(f'{t:.3f}' for t in all_features)}"
    )
    print(f"{'score_churn (default: 1 thread)':<52}{t_score:>9.3f}{mib(peak_score):>10.0f}   "
          f"{len(scores) / t_score:,.0f} customers/s")
    print(f"{'score_churn, threads=None (all ' + str(threads) + ' cores)':<52}{t_all:>9.3f}{'':>10}   "
          f"{len(scores) / t_all:,.0f} customers/s")
    print(
        f"twice on the same data: probabilities {'identical' if same_probabilities else 'DIFFERENT'}, "
        f"all figures, metrics and importances {'identical' if same_all else 'DIFFERENT'}; "
        f"the pieces below give the same probabilities: "
        f"{'yes' if np.array_equal(probability, scores.figures['churn_probability']) else 'NO'}"
    )
    total, total_one = sum(pieces.values()), sum(pieces_one.values())
    print(f"breakdown: the engine's pieces timed apart (score_churn {t_score:.2f} s on 1 thread, "
          f"{t_all:.2f} s on {threads})")
    print(f"  {'step':<50}{f'{threads} threads s':>12}{'share':>7}{'1 thread s':>12}{'share':>7}")
    for label, seconds in sorted(pieces.items(), key=lambda item: -item[1]):
        one = pieces_one[label]
        print(f"  {label:<50}{seconds:>12.3f}{seconds / total:>7.0%}{one:>12.3f}{one / total_one:>7.0%}")
    print(f"  {'total':<50}{total:>12.3f}{'':>7}{total_one:>12.3f}")
    print(f"process max RSS so far: {rss:,.0f} MiB (ru_maxrss; peaks above: tracemalloc); other "
          f"processes kept {load:.2f} of the {os.cpu_count()} cores busy meanwhile (/proc/stat)", flush=True)
    if load > 0.25:
        print(f"note: the machine was busy: with a core taken, OpenMP's spinning threads slow the "
              f"{threads}-thread runs down several times (scikit-learn's tree predictions open thousands "
              f"of parallel regions); the 1-thread figures are the reliable ones then")
    return (n, len(tx), len(scores), scores.train_size, auc, t_features, t_score, t_one, peak_score, rss,
            same_probabilities, max(pieces.items(), key=lambda item: item[1]), load)


def run_churn(sizes, runs, seed):
    from threadpoolctl import threadpool_info

    from crm_mining import ChurnConfig

    config = ChurnConfig()
    print(
        f"churn scoring: score_churn(tx, {CHURN_END}, ChurnConfig()) ({config.model}, "
        f"{config.training_cutoffs} training cut-offs, {config.calibration} calibration, permutation "
        f"importance with {config.permutation_repeats} repeats, logistic and P(alive) baselines), timed "
        f"once; customer_features at {CHURN_END}: median of {runs} runs after a warm-up"
    )
    openmp = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "openmp"]
    threads = max(openmp, default=1)
    summary = [churn_size(n, runs, seed, config, threads) for n in sizes]
    print(
        f"\n{'customers':>10}{'rows':>11}{'scored':>9}{'train':>9}{'AUC':>7}{'logit':>7}{'alive':>7}"
        f"{'feat s':>8}{'churn s':>9}{'cust/s':>8}{'1 thr s':>9}{'peak MiB':>10}{'RSS MiB':>9}{'same':>6}"
        f"{'others':>8}   largest step"
    )
    for n, rows, scored, train, auc, t_feat, t_score, t_one, peak, rss, same, (label, sec), load in summary:
        print(
            f"{n:>10,}{rows:>11,}{scored:>9,}{train:>9,}{auc['model']:>7.3f}{auc['logistic']:>7.3f}"
            f"{auc['p_alive']:>7.3f}{t_feat:>8.3f}{t_score:>9.2f}{scored / t_score:>8,.0f}{t_one:>9.2f}"
            f"{mib(peak):>10.0f}{rss:>9,.0f}{'yes' if same else 'NO':>6}{load:>8.2f}   {label} {sec:.2f} s"
        )
    return 0 if all(row[10] for row in summary) else 1


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
    parser.add_argument(
        "--rules",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="run the association rules part against mlxtend (default: no)",
    )
    parser.add_argument("--rules-sizes", default="100000,1000000", help="rules: numbers of synthetic baskets")
    parser.add_argument("--rules-support", type=float, default=0.0005, help="rules: min_support")
    parser.add_argument("--rules-confidence", type=float, default=0.1, help="rules: min_confidence")
    parser.add_argument("--rules-max-len", type=int, default=3, help="rules: max_len")
    parser.add_argument(
        "--churn",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="run the churn scoring part (default: no)",
    )
    parser.add_argument("--churn-sizes", default="10000,100000", help="churn: numbers of synthetic customers")
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
    if args.rules and odoo:
        # its own process too: mlxtend densifies the baskets (GBs) before the Odoo part
        child = [
            *(sys.executable, __file__, "--no-engine", "--no-odoo", "--rules", "--runs", str(args.runs)),
            *("--seed", str(args.seed), "--rules-sizes", args.rules_sizes),
            *("--rules-support", str(args.rules_support), "--rules-confidence", str(args.rules_confidence)),
            *("--rules-max-len", str(args.rules_max_len)),
        ]
        status = subprocess.run(child, check=False).returncode or status
        print(flush=True)
    elif args.rules:
        rules_sizes = [int(size) for size in args.rules_sizes.split(",") if size.strip()]
        rules_status = run_rules(
            rules_sizes, args.runs, args.seed, args.rules_support, args.rules_confidence, args.rules_max_len
        )
        status = rules_status or status
    if args.churn and odoo:
        # its own process too: its maximum RSS is its own
        child = [
            *(sys.executable, __file__, "--no-engine", "--no-odoo", "--churn", "--runs", str(args.runs)),
            *("--seed", str(args.seed), "--churn-sizes", args.churn_sizes),
        ]
        status = subprocess.run(child, check=False).returncode or status
        print(flush=True)
    elif args.churn:
        churn_sizes = [int(size) for size in args.churn_sizes.split(",") if size.strip()]
        status = run_churn(churn_sizes, args.runs, args.seed) or status
    if odoo:
        status = run_odoo(args.db, args.runs, args.cycles, args.http_port, args.trace_memory) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
