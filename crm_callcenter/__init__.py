"""Call-center and service engine (pure Python on numpy / scipy).

Public API (no ``odoo`` import):

* :func:`erlang_b`, :func:`erlang_c`, :func:`service_level`, :func:`average_speed_of_answer`,
  :func:`occupancy` - Erlang C figures per interval, vectorised
* :func:`erlang_a` - the exact M/M/n+M figures with abandonment (:class:`ErlangAResult`)
* :func:`agents_required` - staffing per interval for a service level target, with shrinkage, an
  occupancy ceiling and optionally Erlang A (:class:`StaffingResult`)
* :func:`forecast_intervals` - contacts per 15 / 30-minute interval from history (Holt-Winters on
  the days, intraday profiles per weekday) with a backtest (:class:`IntervalForecast`)
* :func:`call_kpis` - offered, answered, abandoned, service level, ASA, AHT, abandonment,
  occupancy, first contact resolution per interval and group (:class:`CallKpis`);
  :func:`estimate_patience` - the callers' mean patience for Erlang A
* :func:`parse_events`, :func:`fold_events` - the CTI webhook's events validated
  (:class:`CtiEvent`, :class:`CtiPayloadError`) and the state of a call folded from them in any order
  (:class:`CallState`)
* :func:`available_periods`, :func:`available_seconds` - the agents' available time from the PBX's
  agent events (log-in, pause), for the occupancy
* :func:`route` - the agent for a contact by skills and level, load and idle time (:class:`Agents`)

* :func:`recovery_loyalty` - repurchase and revenue after a complaint, recovered vs not recovered vs
  no complaint, by value band (:class:`LoyaltyEffect`, :data:`GROUPS`)
"""

from .cti import (
    DIRECTIONS,
    EVENT_TYPES,
    HANGUP_OUTCOMES,
    MAX_EVENTS,
    CallState,
    CtiEvent,
    CtiPayloadError,
    fold_events,
    parse_event,
    parse_events,
)
from .erlang import (
    ErlangAResult,
    StaffingResult,
    agents_required,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from .forecast import IntervalForecast, forecast_intervals
from .kpis import OUTCOMES, CallKpis, call_kpis, estimate_patience, first_contact_resolved
from .loyalty import GROUPS, LoyaltyEffect, recovery_loyalty
from .presence import AGENT_EVENT_TYPES, available_periods, available_seconds
from .routing import Agents, eligible, route

__all__ = [
    "AGENT_EVENT_TYPES",
    "DIRECTIONS",
    "EVENT_TYPES",
    "GROUPS",
    "HANGUP_OUTCOMES",
    "MAX_EVENTS",
    "OUTCOMES",
    "Agents",
    "CallKpis",
    "CallState",
    "CtiEvent",
    "CtiPayloadError",
    "ErlangAResult",
    "IntervalForecast",
    "LoyaltyEffect",
    "StaffingResult",
    "agents_required",
    "available_periods",
    "available_seconds",
    "average_speed_of_answer",
    "call_kpis",
    "eligible",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "estimate_patience",
    "first_contact_resolved",
    "fold_events",
    "forecast_intervals",
    "occupancy",
    "parse_event",
    "parse_events",
    "recovery_loyalty",
    "route",
    "service_level",
]
