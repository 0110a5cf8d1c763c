"""Erlang C and Erlang A: waiting, service level and staffing of a call center, per interval.

Rates are calls per second, handling times (AHT) and answer-time targets in seconds; every function
is vectorised over intervals (arrays broadcast together) and numerically stable for hundreds of
agents: no factorial or power is ever formed.

Erlang C (M/M/n, Erlang 1917; Cooper, "Introduction to Queueing Theory", ch. 5), offered load
``A = rate x AHT`` Erlangs, ``n`` agents:

* Erlang B by its recursion ``B(0) = 1``, ``B(k) = A B(k-1) / (k + A B(k-1))`` (every term in
  [0, 1]);
* probability of waiting ``C = n B / (n - A (1 - B))`` for ``n > A`` (1 otherwise: the queue grows
  without bound);
* service level ``SL(t) = 1 - C exp(-(n - A) t / AHT)``, average speed of answer
  ``ASA = C AHT / (n - A)``, occupancy ``A / n``.

Erlang A (M/M/n+M, Palm 1943; Garnett, Mandelbaum & Reiman 2002), exponential patience of mean
``patience`` seconds (abandonment rate ``theta = 1 / patience``): the birth-death chain of the number
of calls in the system, arrivals at ``rate``, departures at ``min(k, n) mu + max(k - n, 0) theta``,
solved exactly (its stationary distribution by the products of the rate ratios, in log space,
truncated where the tail is below 1e-16 of the mass). By PASTA an arriving call finds the stationary
state: ``p_wait = P(N >= n)``; ``p_abandon = theta E[queue] / rate``; ``asa = E[queue] / rate`` (the
mean time in queue of all calls, abandoning ones included, by Little's law); the service level is the
share of all calls answered within ``t``: a call finding ``m`` calls ahead in the queue is answered
after the sum of exponential stages of rates ``n mu + i theta`` (i = m .. 0) unless its own patience
runs out first, which a pure-death chain with killing rate ``theta`` gives exactly (its transient
solution by ``scipy.linalg.expm``).
"""

import dataclasses

import numpy as np
from scipy.linalg import expm

MODELS = ("erlang_c", "erlang_a")


def _as_array(name, values, positive=False):
    arr = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(arr < 0) or (positive and np.any(arr <= 0)):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}")
    return arr


def _agents(values):
    arr = np.asarray(values)
    as_float = np.asarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(as_float)) or np.any(as_float != np.round(as_float)) or np.any(as_float < 0):
        raise ValueError("agents must be whole numbers of at least 0")
    return as_float.astype(np.int64)


def erlang_b(traffic, agents):
    """Blocking probability of ``agents`` servers offered ``traffic`` Erlangs (Erlang B)."""
    a = _as_array("traffic", traffic)
    n = _agents(agents)
    a, n = np.broadcast_arrays(a, n)
    b = np.ones(a.shape)
    for k in range(1, int(n.max(initial=0)) + 1):
        step = k <= n
        ab = a * b
        b = np.where(step, ab / (k + ab), b)
    return b if b.ndim else float(b)


def erlang_c(traffic, agents):
    """Probability that a call waits (Erlang C); 1 where ``agents <= traffic``."""
    a = _as_array("traffic", traffic)
    n = _agents(agents)
    a, n = np.broadcast_arrays(a, n)
    b = np.asarray(erlang_b(a, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n > a, n * b / (n - a * (1.0 - b)), 1.0)
    c = np.where(a == 0, 0.0, c)
    return c if c.ndim else float(c)


def service_level(rate, aht, agents, target_seconds):
    """Share of the calls answered within ``target_seconds`` (Erlang C); 0 where overloaded."""
    r = _as_array("rate", rate)
    h = _as_array("aht", aht, positive=True)
    t = _as_array("target_seconds", target_seconds)
    n = _agents(agents)
    a = r * h
    c = np.asarray(erlang_c(a, n))
    with np.errstate(over="ignore"):
        sl = np.where(n > a, 1.0 - c * np.exp(-(n - a) * t / h), 0.0)
    sl = np.where(a == 0, 1.0, sl)
    return sl if sl.ndim else float(sl)


def average_speed_of_answer(rate, aht, agents):
    """Mean wait of the calls in seconds (Erlang C); infinite where overloaded."""
    r = _as_array("rate", rate)
    h = _as_array("aht", aht, positive=True)
    n = _agents(agents)
    a = r * h
    c = np.asarray(erlang_c(a, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(n > a, c * h / (n - a), np.inf)
    asa = np.where(a == 0, 0.0, asa)
    return asa if asa.ndim else float(asa)


def occupancy(rate, aht, agents):
    """Share of the agents' time spent handling calls, ``A / n`` (at most 1)."""
    a = _as_array("rate", rate) * _as_array("aht", aht, positive=True)
    n = _agents(agents)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, np.minimum(a / np.maximum(n, 1), 1.0), np.where(a > 0, 1.0, 0.0))
    return occ if occ.ndim else float(occ)


@dataclasses.dataclass(frozen=True)
class ErlangAResult:
    """Erlang A figures of each interval (arrays, or floats for scalar input)."""

    p_wait: object
    p_abandon: object
    asa: object
    service_level: object
    mean_queue: object


def _erlang_a_one(rate, aht, n, theta, target):
    """The exact M/M/n+M figures of one interval."""
    mu = 1.0 / aht
    if rate == 0:
        return 0.0, 0.0, 0.0, 1.0, 0.0
    # log of the unnormalised stationary probabilities: p(k) / p(k-1) = rate / death(k)
    logs = [0.0]
    k = 0
    while True:
        k += 1
        death = min(k, n) * mu + max(k - n, 0) * theta
        logs.append(logs[-1] + np.log(rate) - np.log(death))
        if k > n and logs[-1] < max(logs) - 37.0:  # exp(-37) ~ 1e-16 of the largest term
            break
    logs = np.array(logs)
    p = np.exp(logs - logs.max())
    p /= p.sum()
    states = np.arange(len(p))
    queue = np.maximum(states - n, 0)
    mean_queue = float(np.dot(p, queue))
    p_wait = float(p[n:].sum()) if n < len(p) else 0.0
    p_abandon = theta * mean_queue / rate
    asa = mean_queue / rate
    if target <= 0:
        answered_in_time = float(p[:n].sum())
    else:
        # a call arriving with m calls ahead: stages m, m-1, ..., 0, then answered (absorbing), each
        # stage left at rate n mu + i theta, and the call's own patience kills it at rate theta
        m_max = len(p) - n
        if m_max <= 0:
            answered_in_time = float(p.sum())
        else:
            size = m_max + 1  # stages 0..m_max-1 and the answered state (index m_max)
            generator = np.zeros((size, size))
            for m in range(m_max):
                out = n * mu + m * theta
                generator[m, m] = -(out + theta)
                generator[m, m - 1 if m > 0 else m_max] = out
            answered = expm(generator * target)[:m_max, m_max]
            answered_in_time = float(p[:n].sum() + np.dot(p[n:], answered))
    return p_wait, p_abandon, asa, answered_in_time, mean_queue


def erlang_a(rate, aht, agents, patience, target_seconds=20.0) -> ErlangAResult:
    """Erlang A (M/M/n+M) of each interval: waiting and abandonment probabilities, mean time in
    queue and the share of the calls answered within ``target_seconds``.

    :param patience: mean patience of the callers in seconds (exponential)
    """
    r = _as_array("rate", rate)
    h = _as_array("aht", aht, positive=True)
    pat = _as_array("patience", patience, positive=True)
    t = _as_array("target_seconds", target_seconds)
    n = _agents(agents)
    shape = np.broadcast_shapes(r.shape, h.shape, pat.shape, t.shape, n.shape)
    r, h, pat, t, n = (np.broadcast_to(x, shape).ravel() for x in (r, h, pat, t, n))
    out = np.empty((len(r), 5))
    cache = {}
    for i in range(len(r)):
        key = (r[i], h[i], pat[i], t[i], int(n[i]))
        if key not in cache:
            cache[key] = _erlang_a_one(r[i], h[i], int(n[i]), 1.0 / pat[i], t[i])
        out[i] = cache[key]

    def shaped(column):
        values = out[:, column].reshape(shape)
        return values if values.ndim else float(values)

    return ErlangAResult(
        p_wait=shaped(0), p_abandon=shaped(1), asa=shaped(2), service_level=shaped(3), mean_queue=shaped(4)
    )


@dataclasses.dataclass(frozen=True)
class StaffingResult:
    """What :func:`agents_required` returns, per interval.

    :ivar agents: agents needed on the phones (productive)
    :ivar scheduled: agents to schedule, ``ceil(agents / (1 - shrinkage))``
    """

    agents: np.ndarray
    scheduled: np.ndarray
    service_level: np.ndarray
    asa: np.ndarray
    occupancy: np.ndarray
    p_wait: np.ndarray
    p_abandon: np.ndarray | None


def _erlang_a_agents(rate, aht, theta, target, target_sl, low, guess, max_agents):
    """The fewest agents, at least ``low``, whose Erlang A service level reaches ``target_sl``: an
    upper bound found from ``guess`` (the Erlang C answer) by doubling, then bisection (the service
    level grows with the agents)."""

    def meets(n):
        return _erlang_a_one(rate, aht, n, theta, target)[3] >= target_sl

    high = max(guess, low)
    while not meets(high):
        if high >= max_agents:
            raise ValueError(f"more than {max_agents} agents would be needed in some interval")
        low, high = high + 1, min(2 * high, max_agents)
    while low < high:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle + 1
    return high


def agents_required(
    rate, aht, target_sl, target_seconds, shrinkage=0.0, max_occupancy=None, patience=None, max_agents=5000
) -> StaffingResult:
    """The fewest agents meeting the service level target (and the occupancy ceiling) per interval.

    Erlang C by default: a single upward pass over the number of agents computes Erlang B by its
    recursion for every interval at once and records, for each, the first number of agents more than
    the load whose service level reaches ``target_sl``. With ``patience`` (seconds), Erlang A: a
    bisection on the exact M/M/n+M service level around the Erlang C answer.

    :param shrinkage: share of the paid time agents are not on the phones (breaks, training), in
        [0, 1)
    :param max_occupancy: optional ceiling on ``A / n`` in (0, 1]
    """
    r = _as_array("rate", rate)
    h = _as_array("aht", aht, positive=True)
    sl = _as_array("target_sl", target_sl)
    t = _as_array("target_seconds", target_seconds)
    if np.any(sl > 1):
        raise ValueError("target_sl is a share between 0 and 1")
    if not 0 <= float(shrinkage) < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    if max_occupancy is not None and not 0 < float(max_occupancy) <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    r, h, sl, t = np.broadcast_arrays(r, h, sl, t)
    shape = r.shape
    r, h, sl, t = (np.ravel(x).astype(np.float64) for x in (r, h, sl, t))
    a = r * h
    agents = np.where(a > 0, 0, 0).astype(np.int64)
    todo = a > 0
    b = np.ones(len(a))
    k = 0
    while todo.any():
        k += 1
        if k > max_agents:
            raise ValueError(f"more than {max_agents} agents would be needed in some interval")
        ab = a * b
        b = ab / (k + ab)
        over = todo & (k > a)
        if over.any():
            c = k * b[over] / (k - a[over] * (1.0 - b[over]))
            level = 1.0 - c * np.exp(-(k - a[over]) * t[over] / h[over])
            met = level >= sl[over]
            index = np.flatnonzero(over)[met]
            agents[index] = k
            todo[index] = False
    if max_occupancy is not None:
        agents = np.where(a > 0, np.maximum(agents, np.ceil(a / float(max_occupancy)).astype(np.int64)), 0)
    p_abandon = None
    if patience is not None:
        pat = np.broadcast_to(_as_array("patience", patience, positive=True), shape).ravel()
        for i in np.flatnonzero(a > 0):
            floor = int(np.ceil(a[i] / float(max_occupancy))) if max_occupancy is not None else 1
            agents[i] = _erlang_a_agents(
                r[i], h[i], 1.0 / pat[i], t[i], sl[i], max(floor, 1), int(agents[i]), max_agents
            )
        figures = erlang_a(r, h, agents, pat, t)
        level, asa, p_wait, p_abandon = (
            np.asarray(figures.service_level),
            np.asarray(figures.asa),
            np.asarray(figures.p_wait),
            np.asarray(figures.p_abandon).reshape(shape),
        )
    else:
        level = np.asarray(service_level(r, h, agents, t))
        asa = np.asarray(average_speed_of_answer(r, h, agents))
        p_wait = np.asarray(erlang_c(a, agents))
    scheduled = np.ceil(agents / (1.0 - float(shrinkage)) - 1e-9).astype(np.int64)
    return StaffingResult(
        agents=agents.reshape(shape),
        scheduled=scheduled.reshape(shape),
        service_level=np.asarray(level).reshape(shape),
        asa=np.asarray(asa).reshape(shape),
        occupancy=np.asarray(occupancy(r, h, agents)).reshape(shape),
        p_wait=np.asarray(p_wait).reshape(shape),
        p_abandon=p_abandon,
    )
