"""Selection lists shared by the lifecycle models.

The codes are the engine's codes (``crm_lifecycle``); the labels live here so Odoo translates them.
"""

from odoo.tools import SQL

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


def selection_orderby(model, super_orderby, order, groupby_terms, query, ordered_groups):
    """``_read_group_orderby`` for models whose selection groups follow their selection order (the
    lifecycle, the pyramid) instead of the alphabet: groups of the fields of ``ordered_groups``
    (field name -> codes in order) sort by their code's position; other terms as Odoo sorts them.

    :param super_orderby: the model's ``super()._read_group_orderby``
    """
    if not any(term in ordered_groups for term in groupby_terms):
        return super_orderby(order, groupby_terms, query)
    parts = []
    for part in (order or ','.join(groupby_terms)).split(','):
        words = part.split()
        if not words:
            continue
        term = words[0]
        if term in ordered_groups and term in groupby_terms:
            direction = SQL('DESC') if len(words) > 1 and words[1].upper() == 'DESC' else SQL('ASC')
            parts.append(SQL('array_position(%s::varchar[], %s::varchar) %s NULLS LAST',
                             ordered_groups[term], groupby_terms[term], direction))
        else:
            parts.append(super_orderby(part, groupby_terms, query))
    return SQL(', ').join(parts)


STAGE_CODES = [code for code, _label in STAGE_SELECTION]
TIER_CODES = [code for code, _label in TIER_SELECTION]
