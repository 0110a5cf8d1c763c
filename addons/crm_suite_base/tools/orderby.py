"""Group order of selection fields that follow their selection order, not the alphabet."""

from odoo.tools import SQL


def selection_orderby(model, super_orderby, order, groupby_terms, query, ordered_groups):
    """``_read_group_orderby`` for models whose selection groups follow their selection order (the
    lifecycle, the pyramid, the kinds of segments) instead of the alphabet: groups of the fields
    of ``ordered_groups`` (field name -> codes in order) sort by their code's position; other terms
    as Odoo sorts them.

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
