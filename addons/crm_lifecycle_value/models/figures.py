"""The per-customer figures of the lifecycle addon, declared once.

The engine (``crm_lifecycle.FIGURE_KINDS``) names each figure and its kind; here each gets its
label and help. Everything that shows or moves the figures is derived from this declaration:

* the stored columns of ``crm.lifecycle.run.line`` (:func:`figure_field` with ``stored=True``);
* the read-only fields and the SQL columns of the ``crm.customer.value`` view (:data:`VIEW_FIGURES`);
* the binary COPY columns of a run (:data:`COPY_KINDS`);
* the value fields of the partner form (:data:`PARTNER_FIGURES`);
* the columns of the Excel workbook (:data:`EXPORT_FIGURES`).
"""

from odoo import fields

from crm_lifecycle import FIGURE_KINDS

from .selections import (
    QUADRANT_SELECTION,
    RETENTION_REASON_SELECTION,
    STAGE_SELECTION,
    TIER_SELECTION,
)

#: name -> (kind, field attributes); kinds: date, int, float, money, percent, selection, bool
FIGURES = {
    'first_purchase_date': ('date', {
        'string': 'First Purchase',
        'help': 'Date of the first posted customer invoice of the customer in this company, also '
                'when it lies before the analysis window: the customer\'s tenure and model age '
                'start there.'}),
    'last_purchase_date': ('date', {
        'string': 'Last Purchase',
        'help': 'Date of the most recent purchase (an invoice not fully refunded).'}),
    'purchase_count': ('int', {
        'string': 'Purchases (window)',
        'help': 'Number of purchase days in the analysis window (a fully refunded invoice is no '
                'purchase).'}),
    'frequency': ('int', {
        'string': 'Repeat Purchases (window)',
        'help': 'Purchase days of the analysis window after the first-ever purchase (the '
                'frequency x of the purchase models).'}),
    'recency_days': ('int', {
        'string': 'Days Since Last Purchase', 'aggregator': 'avg'}),
    'tenure_days': ('int', {
        'string': 'Tenure (days)', 'aggregator': 'avg',
        'help': 'Days from the first-ever purchase to the end of the analysis window.'}),
    'revenue': ('money', {
        'string': 'Revenue (window)',
        'help': 'Invoiced revenue of the analysis window, net of credit notes, in company '
                'currency.'}),
    'margin': ('money', {
        'string': 'Margin (window)',
        'help': 'Revenue minus cost of goods sold (or product cost) of the analysis window.'}),
    'average_order_value': ('money', {
        'string': 'Average Purchase Value', 'aggregator': 'avg',
        'help': 'Revenue (window) divided by the purchases of the window, net of credit notes.'}),
    'historical_clv': ('money', {
        'string': 'Historical CLV (margin to date)',
        'help': 'Historical customer lifetime value: the margin the customer brought in the '
                'analysis window, sum of (revenue - cost) of its invoices and credit notes.'}),
    'expected_purchases': ('float', {
        'string': 'Expected Purchases (horizon)', 'digits': (16, 2),
        'help': 'Purchases expected over the prediction horizon of the settings, '
                'E[Y(t) | x, t_x, T] of the run\'s purchase model (BG/NBD, MBG/NBD or Pareto/NBD).'}),
    'expected_value': ('money', {
        'string': 'Expected Revenue (horizon)',
        'help': 'Expected purchases over the horizon x expected average purchase value '
                '(Gamma-Gamma spend model, Fader, Hardie & Lee 2005).'}),
    'p_alive': ('percent', {
        'string': 'P(alive)', 'aggregator': 'avg',
        'help': 'Probability that the customer is still active, from the run\'s purchase model '
                '(BG/NBD: P = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); 1 for a customer '
                'without a repeat purchase under BG/NBD, which cannot see such a customer leave). '
                'Empty for prospects.'}),
    'predicted_clv': ('money', {
        'string': 'Predicted CLV (horizon, discounted)',
        'help': 'Model-based customer lifetime value over the prediction horizon of the settings: '
                'sum over months k of the expected purchases of month k x expected purchase value '
                'x the customer\'s margin rate / (1 + monthly discount rate)^k '
                '(purchase model x Gamma-Gamma, Fader, Hardie & Lee 2005).'}),
    'retention_clv': ('money', {
        'string': 'Retention CLV (yearly margin x retention)',
        'help': 'Textbook retention-based CLV over the years of the settings: '
                'm x p x sum_{t=1..N} r^(t-1) / (1 + d)^t, with m the yearly margin, p the '
                'customer\'s P(alive) (0 once churned), r the retention rate and d the discount '
                'rate (Gupta, Lehmann & Stuart 2004).'}),
    'stage': ('selection', {
        'selection': STAGE_SELECTION, 'string': 'Lifecycle Stage', 'group_expand': True,
        'help': 'Prospect, acquisition, formation, stability, decline or churned, from the '
                'purchase rhythm, P(alive) and the revenue trend (thresholds in the settings).'}),
    'at_risk': ('bool', {
        'string': 'At Risk',
        'help': 'Not churned, and P(alive) is below the at-risk threshold of the settings.'}),
    'tier': ('selection', {
        'selection': TIER_SELECTION, 'string': 'Value Tier', 'group_expand': True,
        'help': 'Customer pyramid tier by predicted CLV (platinum: top 1%, gold: next 4%, iron: '
                'next 15%, lead: the rest, by default; Zeithaml, Rust & Lemon 2001).'}),
    'value_quadrant': ('selection', {
        'selection': QUADRANT_SELECTION, 'string': 'Value Matrix',
        'help': 'Quadrant of the value matrix: current value (historical CLV) against potential '
                '(predicted CLV), each split at the median.'}),
    'previous_stage': ('selection', {
        'selection': STAGE_SELECTION, 'string': 'Previous Stage'}),
    'stage_since': ('date', {
        'string': 'Stage Since',
        'help': 'When the customer entered the stage: the end of the analysis window of the run '
                'that saw the change; at the first classification, estimated from the purchase '
                'history (acquisition: first purchase; formation / stability: when the '
                'acquisition period / stability tenure was reached; decline / churned: when the '
                'silence since the last purchase passed the rule\'s limit).'}),
    'stage_changed': ('bool', {
        'string': 'Stage Changed',
        'help': 'The stage differs from the one published before the run.'}),
    'retention_reason': ('selection', {
        'selection': RETENTION_REASON_SELECTION, 'string': 'Retention Reason',
        'help': 'Set when the run schedules a retention activity for the customer.'}),
}

_FIELD_CLASSES = {
    'date': fields.Date, 'int': fields.Integer, 'float': fields.Float, 'money': fields.Monetary,
    'percent': fields.Float, 'selection': fields.Selection, 'bool': fields.Boolean,
}
_COPY_KIND = {'date': 'date', 'int': 'int4', 'float': 'float8', 'text': 'text', 'bool': 'bool'}

if set(FIGURES) != set(FIGURE_KINDS):  # the engine and the addon must name the same figures
    raise ImportError(f'figures differ from the engine: {sorted(set(FIGURES) ^ set(FIGURE_KINDS))}')

#: binary COPY kind of each stored figure, in the engine's order
COPY_KINDS = {name: _COPY_KIND[kind] for name, kind in FIGURE_KINDS.items()}
#: figures shown by the crm.customer.value view (the run's bookkeeping columns are left out)
VIEW_FIGURES = tuple(name for name in FIGURE_KINDS if name not in ('stage_changed', 'retention_reason'))
#: partner field -> figure, on the partner form's Value tab
PARTNER_FIGURES = {
    'crm_value_stage': 'stage',
    'crm_value_stage_since': 'stage_since',
    'crm_value_tier': 'tier',
    'crm_value_quadrant': 'value_quadrant',
    'crm_value_p_alive': 'p_alive',
    'crm_value_at_risk': 'at_risk',
    'crm_value_first_purchase': 'first_purchase_date',
    'crm_value_last_purchase': 'last_purchase_date',
    'crm_value_purchase_count': 'purchase_count',
    'crm_value_revenue': 'revenue',
    'crm_value_historical_clv': 'historical_clv',
    'crm_value_predicted_clv': 'predicted_clv',
    'crm_value_retention_clv': 'retention_clv',
    'crm_value_expected_purchases': 'expected_purchases',
    'crm_value_expected_value': 'expected_value',
}
#: columns of the Customers sheet of the workbook, in order
EXPORT_FIGURES = (
    'stage', 'stage_since', 'tier', 'value_quadrant', 'first_purchase_date', 'last_purchase_date',
    'purchase_count', 'frequency', 'recency_days', 'tenure_days', 'revenue', 'margin',
    'average_order_value', 'historical_clv', 'expected_purchases', 'expected_value', 'p_alive',
    'predicted_clv', 'retention_clv', 'at_risk',
)


def figure_kind(name):
    return FIGURES[name][0]


def figure_field(name, stored=False, currency_field='currency_id', **overrides):
    """A new field object for the figure ``name``.

    :param stored: the column of the run lines: amounts are plain floats there (the lines carry no
        currency) and selections do not expand their groups
    """
    kind, attrs = FIGURES[name]
    attrs = dict(attrs)
    if stored:
        attrs.pop('group_expand', None)
        attrs.pop('digits', None)  # float8 columns (written by binary COPY), not numeric
        field_class = fields.Float if kind == 'money' else _FIELD_CLASSES[kind]
    else:
        field_class = _FIELD_CLASSES[kind]
        if kind == 'money':
            attrs['currency_field'] = currency_field
    attrs.update(overrides)
    return field_class(**attrs)
