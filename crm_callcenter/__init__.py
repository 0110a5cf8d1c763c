"""Call-center and service engine (pure Python on numpy / scipy; forecasting, KPIs and routing
planned).

Public API (no ``odoo`` import):

* :func:`erlang_b`, :func:`erlang_c`, :func:`service_level`, :func:`average_speed_of_answer`,
  :func:`occupancy` - Erlang C figures per interval, vectorised
* :func:`erlang_a` - the exact M/M/n+M figures with abandonment (:class:`ErlangAResult`)
* :func:`agents_required` - staffing per interval for a service level target, with shrinkage, an
  occupancy ceiling and optionally Erlang A (:class:`StaffingResult`)

* :func:`recovery_loyalty` - repurchase and revenue after a complaint, recovered vs not recovered vs
  no complaint, by value band (:class:`LoyaltyEffect`, :data:`GROUPS`)
"""

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
from .loyalty import GROUPS, LoyaltyEffect, recovery_loyalty

__all__ = [
    "GROUPS",
    "ErlangAResult",
    "LoyaltyEffect",
    "StaffingResult",
    "agents_required",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "recovery_loyalty",
    "service_level",
]
