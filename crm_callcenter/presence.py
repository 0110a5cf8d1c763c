"""Agents' availability from the PBX's agent events, for the occupancy of the call center.

Occupancy is the share of the agents' available time spent handling calls (talk + hold + wrap-up):
Cleveland, "Call Center Management on Fast Forward", ch. 3; the available time is the time logged
in to the queue and not on a pause (break, training), as an ACD reports it. An agent is available
from a ``agent_login`` or ``agent_unpause`` event to the next ``agent_logout`` or ``agent_pause``.
A session whose end never came is closed at ``until`` but counts at most ``max_open_hours``.
"""

import datetime

import numpy as np

AGENT_EVENT_TYPES = ("agent_login", "agent_logout", "agent_pause", "agent_unpause")
_OPENS = ("agent_login", "agent_unpause")
_RANK = {
    name: rank for rank, name in enumerate(("agent_logout", "agent_pause", "agent_unpause", "agent_login"))
}


def available_periods(events, until, max_open_hours=12.0):
    """The ``(start, end)`` periods one agent was available, from ``(time, kind)`` pairs in any
    order (naive UTC datetimes). A closing event without an opening one is ignored."""
    unknown = {kind for _moment, kind in events} - set(AGENT_EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown agent events {sorted(unknown)}; expected {AGENT_EVENT_TYPES}")
    periods = []
    since = None
    for moment, kind in sorted(events, key=lambda e: (e[0], _RANK[e[1]])):
        if kind in _OPENS:
            since = moment if since is None else since
        elif since is not None:
            if moment > since:
                periods.append((since, moment))
            since = None
    if since is not None:
        end = min(until, since + datetime.timedelta(hours=max_open_hours))
        if end > since:
            periods.append((since, end))
    return periods


def available_seconds(periods_by_group, interval_minutes=30):
    """``{(interval start as datetime64[m], group): available seconds}`` of ``{group: periods}``,
    each period split over the intervals it crosses: the ``available_seconds`` of
    :func:`crm_callcenter.call_kpis`."""
    if interval_minutes not in (15, 30, 60):
        raise ValueError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes!r}")
    step = np.timedelta64(interval_minutes, "m")
    seconds = {}
    for group, periods in periods_by_group.items():
        for start, end in periods:
            a, b = np.datetime64(start, "s"), np.datetime64(end, "s")
            minute = a.astype("datetime64[m]")
            slot = minute - (minute - minute.astype("datetime64[D]")) % step
            while slot < b:
                stop = slot + step
                overlap = (min(b, stop) - max(a, slot.astype("datetime64[s]"))).astype(np.int64)
                if overlap > 0:
                    key = (slot, group)
                    seconds[key] = seconds.get(key, 0.0) + float(overlap)
                slot = stop
    return seconds
