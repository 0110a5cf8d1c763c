"""Call-center and service engine (pure Python on numpy; Erlang C / A, staffing, forecasting, KPIs and
routing planned).

Public API (no ``odoo`` import):

* :func:`recovery_loyalty` - repurchase and revenue after a complaint, recovered vs not recovered vs
  no complaint, by value band (:class:`LoyaltyEffect`, :data:`GROUPS`)
"""

from .loyalty import GROUPS, LoyaltyEffect, recovery_loyalty

__all__ = ["GROUPS", "LoyaltyEffect", "recovery_loyalty"]
