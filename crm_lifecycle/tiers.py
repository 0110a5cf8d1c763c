"""Customer pyramid tiers and the customer value matrix.

Customer pyramid: Zeithaml, Rust & Lemon (2001), "The customer pyramid: creating and serving
profitable customers", California Management Review 43(4): platinum (top 1%), gold (next 4%),
iron (next 15%), lead (the rest), ranked by value. Value matrix: customers placed by current value
and potential value (Buttle & Maklan, "Customer Relationship Management", customer portfolio
management).
"""

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, check_same_length

TIERS = ("platinum", "gold", "iron", "lead")
QUADRANTS = ("core", "develop", "harvest", "minimal")


def pyramid_tiers(
    values: ArrayLike, cut_points: tuple[float, float, float] = (0.01, 0.05, 0.20)
) -> np.ndarray:
    """Tier of each customer by rank of value (descending; ties broken by position, so the result
    is deterministic). ``cut_points`` are the cumulative shares of customers ending the platinum,
    gold and iron tiers: the customer at rank k (0-based) of n is in the first tier whose cut point
    exceeds k / n.
    """
    v = as_1d_float("values", values)
    cuts = np.asarray(cut_points, dtype=np.float64)
    if cuts.shape != (3,) or np.any(np.diff(cuts) < 0) or cuts[0] <= 0 or cuts[-1] > 1:
        raise ValueError("cut_points must be three increasing shares in (0, 1]")
    n = len(v)
    order = np.lexsort((np.arange(n), -v))
    rank = np.empty(n, dtype=np.float64)
    rank[order] = np.arange(n)
    share = rank / max(n, 1)
    tier_index = np.searchsorted(cuts, share, side="right")
    return np.asarray(TIERS, dtype=object)[tier_index]


def value_matrix(
    current_value: ArrayLike,
    potential_value: ArrayLike,
    current_split: float | None = None,
    potential_split: float | None = None,
) -> np.ndarray:
    """Quadrant of each customer in the value matrix.

    ``core`` (high current, high potential: protect and grow), ``harvest`` (high current, low
    potential: maintain efficiently), ``develop`` (low current, high potential: invest),
    ``minimal`` (low, low: serve at low cost). "High" means at or above the split, by default the
    median of the column.
    """
    cur = as_1d_float("current_value", current_value)
    pot = as_1d_float("potential_value", potential_value)
    check_same_length(current_value=cur, potential_value=pot)
    if len(cur) == 0:
        return np.empty(0, dtype=object)
    cs = np.median(cur) if current_split is None else current_split
    ps = np.median(pot) if potential_split is None else potential_split
    high_cur, high_pot = cur >= cs, pot >= ps
    return np.select(
        [high_cur & high_pot, high_cur, high_pot], ["core", "harvest", "develop"], default="minimal"
    ).astype(object)
