"""Call-center KPIs from call records, per interval and group (team, agent).

Definitions (the usual ones of the call-center literature, e.g. Cleveland, "Call Center
Management on Fast Forward", ch. 3; COPC):

* **offered**: inbound calls that reached the queue, minus *short abandons* (callers who hung up
  within ``short_abandon_seconds``: misdials and second thoughts, left out of every ratio);
* **answered**, **abandoned** (hung up before an answer, short abandons excluded); calls with
  another outcome (missed by the agents, voicemail) count as offered and not answered;
* **service level**: answered within ``target_seconds`` / offered;
* **ASA**: mean wait of the answered calls; **AHT**: mean talk + hold + wrap-up of the answered
  calls; **abandonment rate**: abandoned / offered;
* **occupancy**: handle time / the agents' available (logged-in, not on break) time, when that
  time is given;
* **first contact resolution**: share of the answered calls of a caller not followed by another
  inbound call of the same caller within ``fcr_days``.

Every figure is NaN where its denominator is 0 (an empty interval has no service level).
"""

import dataclasses

import numpy as np

OUTCOMES = ("answered", "abandoned", "missed", "voicemail", "transferred")


@dataclasses.dataclass(frozen=True)
class CallKpis:
    """KPIs per (interval, group), one row each, sorted by interval then group; the figures are
    aligned arrays (``fcr`` NaN without callers, ``occupancy`` NaN without availability)."""

    interval_start: np.ndarray
    group: np.ndarray
    offered: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    short_abandoned: np.ndarray
    answered_in_target: np.ndarray
    service_level: np.ndarray
    asa: np.ndarray
    aht: np.ndarray
    abandonment_rate: np.ndarray
    handle_seconds: np.ndarray
    occupancy: np.ndarray
    fcr: np.ndarray

    def __len__(self):
        return len(self.interval_start)


def _ratio(num, den):
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def first_contact_resolved(callers, offered_at, answered, fcr_days=7):
    """Whether each answered call is not followed by another inbound call of the same caller within
    ``fcr_days`` (False for unanswered calls and unknown callers, id < 0)."""
    callers = np.asarray(callers, dtype=np.int64)
    times = np.asarray(offered_at, dtype="datetime64[s]").astype(np.int64)
    order = np.lexsort((times, callers))
    c, t = callers[order], times[order]
    next_same = np.r_[c[1:] == c[:-1], False]
    gap = np.r_[t[1:] - t[:-1], 0]
    repeated = next_same & (gap <= fcr_days * 86400)
    resolved = np.empty(len(c), dtype=bool)
    resolved[order] = ~repeated
    return resolved & np.asarray(answered, dtype=bool) & (callers >= 0)


def _call_arrays(offered_at, wait_seconds, outcome, talk_seconds, hold_seconds, wrapup_seconds):
    """The per-call inputs, checked: times, waits, outcomes and the three handling durations."""
    at = np.asarray(offered_at, dtype="datetime64[s]").reshape(-1)
    n = len(at)
    if np.any(np.isnat(at)):
        raise ValueError("offered_at contains missing times")
    out = np.asarray(outcome, dtype=object).reshape(-1)
    unknown = set(out.tolist()) - set(OUTCOMES)
    if unknown:
        raise ValueError(f"unknown outcomes {sorted(unknown)}; expected {OUTCOMES}")

    def seconds(values):
        arr = np.zeros(n) if values is None else np.asarray(values, dtype=np.float64).reshape(-1)
        if arr.shape != (n,):
            raise ValueError("every per-call array must have one value per call")
        arr = np.nan_to_num(arr, nan=0.0)
        if np.any(arr < 0):
            raise ValueError("durations must not be negative")
        return arr

    if out.shape != (n,):
        raise ValueError("every per-call array must have one value per call")
    return (
        at,
        seconds(wait_seconds),
        out,
        seconds(talk_seconds),
        seconds(hold_seconds),
        seconds(wrapup_seconds),
    )


def call_kpis(
    offered_at,
    wait_seconds,
    outcome,
    talk_seconds=None,
    hold_seconds=None,
    wrapup_seconds=None,
    groups=None,
    callers=None,
    inbound=None,
    interval_minutes=30,
    target_seconds=20.0,
    short_abandon_seconds=5.0,
    fcr_days=7,
    available_seconds=None,
) -> CallKpis:
    """The KPIs of the calls per interval (and group).

    :param offered_at: when each call reached the queue (datetime64 or anything numpy converts)
    :param wait_seconds: seconds in queue (until answered or abandoned)
    :param outcome: one of :data:`OUTCOMES` per call
    :param groups: optional group id per call (team or agent); None: one group (0)
    :param callers: optional caller id (partner) per call, for the first contact resolution
    :param inbound: optional bool per call; outbound calls are left out (default: all inbound)
    :param available_seconds: optional ``{(interval start datetime64[m], group): seconds}`` of agent
        availability, for the occupancy
    """
    if interval_minutes not in (15, 30, 60):
        raise ValueError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes!r}")
    at, wait, out, talk, hold, wrap = _call_arrays(
        offered_at, wait_seconds, outcome, talk_seconds, hold_seconds, wrapup_seconds
    )
    n = len(at)
    grp = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64).reshape(-1)
    inb = np.ones(n, dtype=bool) if inbound is None else np.asarray(inbound, dtype=bool).reshape(-1)
    keep = inb
    answered = out == "answered"
    transferred = out == "transferred"  # answered, then passed on
    answered |= transferred
    abandoned = out == "abandoned"
    short = abandoned & (wait < short_abandon_seconds)
    abandoned &= ~short
    offered = keep & ~short
    fcr = (
        first_contact_resolved(callers, at, answered & keep, fcr_days)
        if callers is not None
        else np.zeros(n, dtype=bool)
    )
    step = np.timedelta64(interval_minutes, "m")
    slot = at.astype("datetime64[m]")
    slot = slot - (slot - slot.astype("datetime64[D]")) % step
    slot_key = slot.astype(np.int64)
    pairs = np.column_stack([slot_key[keep], grp[keep]])
    if not len(pairs):
        empty = np.empty(0)
        return CallKpis(np.empty(0, dtype="datetime64[m]"), np.empty(0, dtype=np.int64), *([empty] * 12))
    unique, index = np.unique(pairs, axis=0, return_inverse=True)
    index = index.reshape(-1)
    m = len(unique)

    def count(mask):
        return np.bincount(index, weights=mask[keep].astype(np.float64), minlength=m)

    def total(values, mask):
        return np.bincount(index, weights=np.where(mask, values, 0.0)[keep], minlength=m)

    handle = talk + hold + wrap
    n_offered, n_answered, n_abandoned = count(offered), count(answered & offered), count(abandoned)
    in_target = count(answered & offered & (wait <= target_seconds))
    handle_total = total(handle, answered & offered)
    available = np.full(m, np.nan)
    if available_seconds:
        for i, (minute, group) in enumerate(unique):
            value = available_seconds.get((np.datetime64(int(minute), "m"), int(group)))
            if value is not None:
                available[i] = value
    return CallKpis(
        interval_start=unique[:, 0].astype("datetime64[m]"),
        group=unique[:, 1],
        offered=n_offered.astype(np.int64),
        answered=n_answered.astype(np.int64),
        abandoned=n_abandoned.astype(np.int64),
        short_abandoned=count(short).astype(np.int64),
        answered_in_target=in_target.astype(np.int64),
        service_level=_ratio(in_target, n_offered),
        asa=_ratio(total(wait, answered & offered), n_answered),
        aht=_ratio(handle_total, n_answered),
        abandonment_rate=_ratio(n_abandoned, n_offered),
        handle_seconds=handle_total,
        occupancy=_ratio(handle_total, available),
        fcr=_ratio(count(fcr & offered), n_answered) if callers is not None else np.full(m, np.nan),
    )


def estimate_patience(wait_seconds, abandoned, min_abandons=10):
    """Mean patience (seconds) of the callers, for Erlang A: the maximum likelihood estimate of an
    exponential patience from waits censored by the answer, ``sum(waits of every offered call) /
    abandons`` (Brown et al. 2005, "Statistical analysis of a telephone call center", section 6;
    Mandelbaum & Zeltyn 2013). None with fewer than ``min_abandons`` abandons (too few to tell).

    :param wait_seconds: time in queue of each offered call (answered or abandoned)
    :param abandoned: bool per call: the caller hung up before an answer
    """
    wait = np.nan_to_num(np.asarray(wait_seconds, dtype=np.float64).reshape(-1), nan=0.0)
    gone = np.asarray(abandoned, dtype=bool).reshape(-1)
    if wait.shape != gone.shape:
        raise ValueError("wait_seconds and abandoned need one value per call")
    if np.any(wait < 0):
        raise ValueError("waits must not be negative")
    count = int(gone.sum())
    if count < max(int(min_abandons), 1):
        return None
    return float(wait.sum() / count)
