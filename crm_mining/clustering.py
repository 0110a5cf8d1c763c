"""Customer segmentation by k-means, with segment identities that stay stable from run to run.

Method:

1. transform: ``log1p`` of the non-negative features (counts, amounts and days are right-skewed),
   then standardisation (zero mean, unit variance; a constant column keeps scale 1);
2. canonical order: the rows are sorted lexicographically on the transformed columns before
   anything else, so that the same customers in another row order give exactly the same result;
3. number of clusters: when ``k`` is None, k-means (Lloyd 1982, "Least squares quantization in PCM",
   IEEE Trans. Information Theory 28(2); k-means++ seeding of Arthur & Vassilvitskii 2007) is fitted
   on a seeded sample for each candidate k, and the k of the best mean silhouette (Rousseeuw 1987,
   "Silhouettes: a graphical aid to the interpretation and validation of cluster analysis",
   J. Computational and Applied Mathematics 20) wins, the smaller k on ties;
4. final fit: Lloyd's iterations on all rows started from the sample's centroids (one run: fast and
   deterministic; one thread, so that the labels do not depend on the number of cores);
5. identities: the clusters of a first run are numbered 0..k-1 by descending mean of the last
   feature (then of the preceding ones); a later run matches its centroids to the previous run's
   by optimal assignment on Euclidean distances (Kuhn 1955, "The Hungarian method for the
   assignment problem", Naval Research Logistics Quarterly 2; ``scipy.optimize.linear_sum_assignment``),
   so a segment keeps its number while it drifts; clusters without a partner are *new* (next free
   numbers) or *vanished* - the survival / emergence / disappearance transitions of cluster
   monitoring (Spiliopoulou et al. 2006, "MONIC: modeling and monitoring cluster transitions", KDD).
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

#: k-means++ initialisations of each candidate k on the sample (the best inertia is kept)
CANDIDATE_INITS = 3
#: level names of the cluster profiles, lowest first
LEVELS = ("low", "medium", "high")


@dataclasses.dataclass(frozen=True)
class SegmentationResult:
    """Outcome of :func:`segment_customers`.

    ``labels`` and ``silhouette`` describe the rows; every other per-cluster array has one row per
    cluster, sorted by identity: row ``i`` of ``centroids``, ``sizes``, ``means``, ``medians``,
    ``levels`` and ``matched_distance`` belongs to ``identities[i]``. ``centroids`` live in the
    standardised space of this run and are the ``previous_centroids`` of the next run.
    """

    labels: np.ndarray
    identities: np.ndarray
    centroids: np.ndarray
    k: int
    silhouette: float
    silhouette_by_k: dict
    sizes: np.ndarray
    means: np.ndarray
    medians: np.ndarray
    levels: np.ndarray
    new_identities: np.ndarray
    vanished_identities: np.ndarray
    matched_distance: np.ndarray
    scaler_mean: np.ndarray
    scaler_scale: np.ndarray
    degenerate: bool = False
    note: str | None = None
    log_transform: bool = True

    def __len__(self):
        return len(self.labels)

    def transform(self, features: ArrayLike) -> np.ndarray:
        """``features`` (original units) in this run's standardised space."""
        values = np.asarray(features, dtype=np.float64)
        if self.log_transform:
            values = np.log1p(values)
        return (values - self.scaler_mean) / self.scaler_scale


def _check_features(features):
    x = np.asarray(features, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2:
        raise ValueError(f"features must be a two-dimensional (rows x columns) array, got shape {x.shape}")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"features must have at least one row and one column, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("features contains NaN or infinite values")
    if np.any(x < 0):
        raise ValueError("features must be non-negative (counts, amounts, days)")
    return x


def _check_whole(name, value, minimum):
    if isinstance(value, bool) or not float(value).is_integer() or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def _check_previous(previous_centroids, previous_identities, d):
    if previous_centroids is None:
        if previous_identities is not None:
            raise ValueError("previous_identities given without previous_centroids")
        return None, None
    prev = np.asarray(previous_centroids, dtype=np.float64)
    if prev.ndim == 1 and d == 1:
        prev = prev.reshape(-1, 1)
    if prev.ndim != 2 or prev.shape[1] != d:
        raise ValueError(f"previous_centroids must have {d} columns like the features, "
                         f"got shape {prev.shape}")
    if not np.all(np.isfinite(prev)):
        raise ValueError("previous_centroids contains NaN or infinite values")
    if previous_identities is None:
        ids = np.arange(len(prev), dtype=np.int64)
    else:
        ids = np.asarray(previous_identities).reshape(-1)
        if len(ids) != len(prev):
            raise ValueError(f"previous_identities has {len(ids)} entries for {len(prev)} previous centroids")
        if len(ids) and (not np.all(ids == np.round(ids)) or np.any(ids < 0)):
            raise ValueError("previous_identities must be non-negative whole numbers")
        ids = ids.astype(np.int64)
        if len(np.unique(ids)) != len(ids):
            raise ValueError("previous_identities holds duplicates")
    return prev, ids


def _distinct_starts(sorted_rows):
    """First row of each run of equal rows of a lexicographically sorted matrix."""
    new = np.ones(len(sorted_rows), dtype=bool)
    new[1:] = np.any(sorted_rows[1:] != sorted_rows[:-1], axis=1)
    return np.flatnonzero(new)


def _canonical_order(z):
    """Row order that depends on the rows' values only (not on the input order), and the first
    row of each group of equal rows in that order.

    The order is lexicographic on the columns: each column is coded by the rank of its distinct
    values, the codes are combined into one integer key (mixed radix) when it fits in 62 bits, and
    the key is sorted; equal keys are equal rows, so their relative order does not matter. A few
    ``np.unique`` and one integer sort are several times faster than ``np.lexsort`` over floats.
    """
    codes, radices = [], []
    for column in z.T:  # a loop over the few columns
        distinct, inverse = np.unique(column, return_inverse=True)
        codes.append(inverse.reshape(-1).astype(np.int64))
        radices.append(len(distinct))
    if float(np.prod(np.asarray(radices, dtype=np.float64))) < 2.0**62:
        key = codes[0].copy()
        for code, radix in zip(codes[1:], radices[1:], strict=True):
            key *= radix
            key += code
        order = np.argsort(key)
        key = key[order]
        new = np.ones(len(key), dtype=bool)
        new[1:] = key[1:] != key[:-1]
        return order, np.flatnonzero(new)
    order = np.lexsort(codes[::-1])
    return order, _distinct_starts(np.column_stack(codes)[order])


#: rows of the distance matrix held at once by :func:`silhouette_scores` (1024 x 4000: 32 MB)
SILHOUETTE_BLOCK = 1024


def silhouette_scores(points: np.ndarray, labelings: list, block_rows: int = SILHOUETTE_BLOCK) -> list:
    """Mean silhouette width (Rousseeuw 1987) of each labelling of the same ``points``.

    s(i) = (b(i) - a(i)) / max(a(i), b(i)), a(i) the mean Euclidean distance to the other members
    of its cluster, b(i) the smallest mean distance to the members of another cluster; 0 for a
    member of a singleton cluster: the value of ``sklearn.metrics.silhouette_score``. The distances
    to every cluster of every labelling come from one product of a block of the distance matrix
    with the stacked cluster indicators, so that the candidate labellings share the distances and
    memory stays at one block. NaN where undefined (a single cluster, or one row per cluster).
    """
    m = len(points)
    codes, offsets, total = [], [], 0
    for labels in labelings:
        _, code = np.unique(labels, return_inverse=True)
        codes.append(code.reshape(-1))
        offsets.append(total)
        total += int(code.max()) + 1 if m else 0
    indicators = np.zeros((m, total))
    rows = np.arange(m)
    for code, offset in zip(codes, offsets, strict=True):  # a loop over the few labellings
        indicators[rows, offset + code] = 1.0
    sums = np.empty((m, total))
    for start in range(0, m, block_rows):  # blocks of rows, not single rows
        stop = min(start + block_rows, m)
        sums[start:stop] = cdist(points[start:stop], points) @ indicators
    sizes = indicators.sum(axis=0)
    out = []
    for code, offset in zip(codes, offsets, strict=True):
        k = int(code.max()) + 1 if m else 0
        if not 2 <= k <= m - 1:
            out.append(float("nan"))
            continue
        own_sums, own_sizes = sums[:, offset:offset + k], sizes[offset:offset + k]
        own = own_sizes[code]
        intra = own_sums[rows, code] / np.maximum(own - 1.0, 1.0)
        means = own_sums / own_sizes
        means[rows, code] = np.inf
        inter = means.min(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            widths = (inter - intra) / np.maximum(intra, inter)
        widths[own == 1] = 0.0
        out.append(float(np.mean(np.nan_to_num(widths))))
    return out


def mean_silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette width of one labelling (see :func:`silhouette_scores`)."""
    return silhouette_scores(points, [labels])[0]


def _fit_candidates(t, n_distinct, firsts, ks, random_state, sample_size, silhouette_sample, rng, score):
    """Fit each candidate k on a seeded sample; silhouette of each fit (when ``score``) on a seeded
    sub-sample of it.

    :return: (sample rows, {k: fitted KMeans}, {k: silhouette}, silhouette sub-sample rows)
    """
    n = len(t)
    rows = np.arange(n)
    if n > sample_size:
        rows = np.sort(rng.choice(n, size=sample_size, replace=False))
        needed = min(max(ks), n_distinct)
        if len(_distinct_starts(t[rows])) < needed:  # a population of few values: show the sample each
            rows = np.union1d(rows, firsts[:needed])
    sample = t[rows]
    sil_rows = np.arange(len(sample))
    if len(sample) > silhouette_sample:
        sil_rows = np.sort(rng.choice(len(sample), size=silhouette_sample, replace=False))
    fits = {k: KMeans(n_clusters=k, n_init=CANDIDATE_INITS, random_state=random_state).fit(sample)
            for k in ks}
    scores = {}
    if score:  # the candidates are scored on the same rows: one pass over their distances
        widths = silhouette_scores(sample[sil_rows], [fits[k].labels_[sil_rows] for k in ks])
        scores = dict(zip(ks, widths, strict=True))
    return rows, fits, scores, sil_rows


def _best_k(scores):
    best = None
    for k in sorted(scores):
        if np.isfinite(scores[k]) and (best is None or scores[k] > scores[best]):
            best = k
    return min(scores) if best is None else best


def _cluster(t, firsts, ks, choose, random_state, sample_size, silhouette_sample, rng):
    """k-means of the canonically sorted rows ``t``: the candidates ``ks`` on a sample, the chosen
    one refined on all rows.

    :return: (labels, centroids, silhouette, silhouette_by_k)
    """
    n = len(t)
    rows, fits, scores, sil_rows = _fit_candidates(t, len(firsts), firsts, ks, random_state, sample_size,
                                                   silhouette_sample, rng, score=choose)
    chosen = _best_k(scores) if choose else ks[0]
    model = fits[chosen]
    if len(rows) < n:
        model = KMeans(n_clusters=chosen, init=model.cluster_centers_, n_init=1,
                       random_state=random_state).fit(t)
        sil_rows = np.sort(rng.choice(n, size=min(silhouette_sample, n), replace=False))
    labels = model.labels_.astype(np.int64)
    centroids = model.cluster_centers_
    present = np.bincount(labels, minlength=chosen) > 0  # drop a cluster left empty, if any
    if not present.all():
        labels = (np.cumsum(present) - 1)[labels]
        centroids = centroids[present]
    if choose and len(rows) == n:
        silhouette = scores[chosen]  # the same rows and labels were scored already
    else:
        silhouette = mean_silhouette(t[sil_rows], labels[sil_rows])
    return labels, centroids, silhouette, (scores if choose else {chosen: silhouette})


def _deterministic_order(means):
    """Cluster order by descending mean of the last column, then of the preceding ones."""
    return np.lexsort([-means[:, j] for j in range(means.shape[1])])


def _assign_identities(centroids, means, prev, prev_ids, next_identity=0):
    """Identity of each cluster; match distance (NaN for new clusters); new and vanished identities.

    New clusters are numbered from ``next_identity`` or after the previous identities, whichever is
    larger (an identity that vanished earlier is never given to another cluster).
    """
    k = len(centroids)
    order = _deterministic_order(means)
    identity = np.empty(k, dtype=np.int64)
    distance = np.full(k, np.nan)
    matched = np.zeros(k, dtype=bool)
    start = next_identity
    vanished = np.empty(0, dtype=np.int64)
    if prev is not None and len(prev):
        cost = cdist(centroids, prev)
        rows, cols = linear_sum_assignment(cost)
        identity[rows], distance[rows], matched[rows] = prev_ids[cols], cost[rows, cols], True
        start = max(int(prev_ids.max()) + 1, next_identity)
        vanished = np.sort(np.setdiff1d(prev_ids, prev_ids[cols]))
    fresh = order[~matched[order]]
    identity[fresh] = start + np.arange(len(fresh))
    new = np.sort(identity[fresh]) if prev is not None else np.empty(0, dtype=np.int64)
    return identity, distance, new, vanished


def _profiles(x, labels, k):
    """Sizes, means, medians (original units) and low / medium / high level of each cluster.

    A cluster's level on a column compares its median with the population's terciles, through the
    median's mid-rank percentile in the population (the share of rows below it plus half the rows
    equal to it): under 1/3 low, above 2/3 high, else medium. Without ties this is the comparison
    with the 1/3 and 2/3 quantiles. With the heavy ties of counts (most customers bought once) the
    terciles collapse onto the tied value; then a median at the population's minimum is low and one
    at its maximum high. A constant column is medium everywhere.
    """
    n, d = x.shape
    sizes = np.bincount(labels, minlength=k).astype(np.int64)
    means = np.empty((k, d))
    medians = np.empty((k, d))
    levels = np.empty((k, d), dtype=object)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    small_labels = labels.astype(np.int16 if k <= np.iinfo(np.int16).max else np.int64)
    for j in range(d):  # a loop over the few columns, never over rows
        column = x[:, j]
        means[:, j] = np.bincount(labels, weights=column, minlength=k) / sizes
        by_value = np.argsort(column)
        ordered = column[by_value]
        # grouped by cluster, sorted inside (a stable sort of small integers is a radix sort)
        within = ordered[np.argsort(small_labels[by_value], kind="stable")]
        medians[:, j] = (within[starts + (sizes - 1) // 2] + within[starts + sizes // 2]) / 2.0
        percentile = (np.searchsorted(ordered, medians[:, j], "left")
                      + np.searchsorted(ordered, medians[:, j], "right")) / (2.0 * n)
        low = (percentile < 1 / 3) | (medians[:, j] <= ordered[0])
        high = (percentile > 2 / 3) | (medians[:, j] >= ordered[-1])
        constant = ordered[0] == ordered[-1]
        levels[:, j] = np.where(constant | ~(low | high), LEVELS[1], np.where(low, LEVELS[0], LEVELS[2]))
    return sizes, means, medians, levels


def segment_customers(
    features: ArrayLike,
    k: int | None = None,
    random_state: int | None = 0,
    previous_centroids: ArrayLike | None = None,
    previous_identities: ArrayLike | None = None,
    k_range: tuple[int, int] = (2, 8),
    sample_size: int = 10000,
    silhouette_sample: int = 3000,
    log_transform: bool = True,
    next_identity: int = 0,
) -> SegmentationResult:
    """Cluster customers by k-means on standardised (log) features, with stable identities.

    :param features: (n, d) non-negative values, one row per customer
    :param k: number of clusters; None: chosen by silhouette among ``k_range`` (inclusive bounds,
        capped by the number of distinct rows)
    :param random_state: seed of the samples and of the k-means++ seeding
    :param previous_centroids: (k0, d) centroids of the previous run (its standardised space);
        the clusters nearest to them (optimal assignment) take their identities
    :param previous_identities: identities of ``previous_centroids`` (default ``0..k0-1``)
    :param next_identity: the smallest identity a new cluster may get (one more than every identity
        ever used, vanished ones included, so that none is given to another cluster)
    :param sample_size: largest sample the candidate k are fitted on
    :param silhouette_sample: largest sample a silhouette is computed on (its cost is quadratic)
    :param log_transform: ``log1p`` before standardising
    :return: :class:`SegmentationResult`; with fewer than 3 rows or a single distinct row and
        ``k`` None, one cluster, ``degenerate`` True and the reason in ``note``. With a fixed
        ``k`` ``silhouette_by_k`` is ``{k: silhouette}``.
    """
    x = _check_features(features)
    n, d = x.shape
    lo, hi = (_check_whole("k_range bounds", bound, 2) for bound in k_range)
    if lo > hi:
        raise ValueError(f"k_range must be (smallest, largest), got {tuple(k_range)}")
    if k is not None:
        k = _check_whole("k", k, 1)
    sample_size = _check_whole("sample_size", sample_size, max(hi, k or 0, 2))
    silhouette_sample = _check_whole("silhouette_sample", silhouette_sample, 3)
    prev, prev_ids = _check_previous(previous_centroids, previous_identities, d)

    z = np.log1p(x) if log_transform else x
    order, firsts = _canonical_order(z)
    z = z[order]
    scaler = StandardScaler().fit(z)
    t = scaler.transform(z)
    n_distinct = len(firsts)
    if k is not None and k > n_distinct:
        raise ValueError(f"k = {k} clusters need at least {k} distinct rows, the data has {n_distinct}")

    rng = np.random.default_rng(random_state)
    degenerate, note = False, None
    silhouette, silhouette_by_k = float("nan"), {}
    if k is None and (n < 3 or n_distinct < 2):
        degenerate = True
        note = (f"only {n} customer{'' if n == 1 else 's'}: too few to cluster, one segment" if n < 3
                else "every customer has the same figures: one segment")
    if degenerate or k == 1:
        labels = np.zeros(n, dtype=np.int64)
        centroids = t.mean(axis=0, keepdims=True)
    else:
        ks = [k] if k is not None else list(range(min(lo, n_distinct), min(hi, n_distinct) + 1))
        # one thread (OpenMP and BLAS): the same labels whatever the number of cores (the partial
        # sums are added in another order otherwise), and no thread overhead on the small samples
        with threadpool_limits(limits=1):
            labels, centroids, silhouette, silhouette_by_k = _cluster(
                t, firsts, ks, k is None, random_state, sample_size, silhouette_sample, rng)

    kk = len(centroids)
    x_sorted = x[order]
    sizes, means, medians, levels = _profiles(x_sorted, labels, kk)
    next_identity = _check_whole("next_identity", next_identity, 0)
    identity, distance, new, vanished = _assign_identities(centroids, means, prev, prev_ids, next_identity)
    rank = np.argsort(identity)
    out = np.empty(n, dtype=np.int64)
    out[order] = identity[labels]
    return SegmentationResult(
        labels=out,
        identities=identity[rank],
        centroids=np.asarray(centroids, dtype=np.float64)[rank],
        k=kk,
        silhouette=silhouette,
        silhouette_by_k=silhouette_by_k,
        sizes=sizes[rank],
        means=means[rank],
        medians=medians[rank],
        levels=levels[rank],
        new_identities=new,
        vanished_identities=vanished,
        matched_distance=distance[rank],
        scaler_mean=scaler.mean_.copy(),
        scaler_scale=scaler.scale_.copy(),
        degenerate=degenerate,
        note=note,
        log_transform=bool(log_transform),
    )
