"""Selection lists shared by the lifecycle models.

The codes are the engine's codes (``crm_lifecycle``); the labels live here so Odoo translates them.
"""

from odoo.addons.crm_suite_base.tools.orderby import selection_orderby  # noqa: F401 (re-exported)

STAGE_SELECTION = [
    ('prospect', 'Prospect'),
    ('acquisition', 'Acquisition'),
    ('formation', 'Formation'),
    ('stability', 'Stability'),
    ('decline', 'Decline'),
    ('churned', 'Churned'),
]

TIER_SELECTION = [
    ('platinum', 'Platinum'),
    ('gold', 'Gold'),
    ('iron', 'Iron'),
    ('lead', 'Lead'),
]

QUADRANT_SELECTION = [
    ('core', 'Core (high value, high potential)'),
    ('harvest', 'Harvest (high value, low potential)'),
    ('develop', 'Develop (low value, high potential)'),
    ('minimal', 'Minimal (low value, low potential)'),
]

RETENTION_REASON_SELECTION = [
    ('decline', 'Customer entered decline'),
    ('at_risk', 'Probability alive below threshold'),
]


STAGE_CODES = [code for code, _label in STAGE_SELECTION]
TIER_CODES = [code for code, _label in TIER_SELECTION]
