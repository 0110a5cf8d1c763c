"""The per-customer churn figures, declared once.

The engine (``crm_mining.CHURN_FIGURE_KINDS``) names each figure and its kind; here each gets its
label and help. The stored columns of ``crm.churn.run.line``, the binary COPY columns of a run and
the fields of the ``crm.churn.member`` view are derived from this declaration.
"""

from odoo import fields, models

from crm_mining import CHURN_FIGURE_KINDS

#: name -> (kind, field attributes); kinds: int, float, percent, money, band
CHURN_FIGURES = {
    'churn_probability': (
        'percent',
        {
            'string': 'Churn Risk',
            'aggregator': 'avg',
            'help': 'Calibrated probability that the customer buys nothing within the churn horizon.',
        },
    ),
    'risk_band': ('band', {'string': 'Risk Band'}),
    'risk_decile': (
        'int',
        {
            'string': 'Risk Decile',
            'aggregator': False,
            'help': '1: the tenth of the customers with the highest churn risk, 10: the lowest.',
        },
    ),
    'p_alive': (
        'percent',
        {
            'string': 'P(alive)',
            'aggregator': 'avg',
            'help': 'Probability that the customer is still active under the BG/NBD model (Fader, '
            'Hardie & Lee 2005): the simple baseline of the churn model.',
        },
    ),
    'recency_days': (
        'int',
        {'string': 'Recency (days)', 'aggregator': 'avg', 'help': 'Days since the last purchase.'},
    ),
    'frequency': (
        'int',
        {
            'string': 'Purchase Days',
            'aggregator': 'avg',
            'help': 'Days with a purchase in the history the model reads (two years).',
        },
    ),
    'monetary': ('money', {'string': 'Revenue (history)'}),
    'annual_margin': (
        'money',
        {
            'string': 'Margin (12 months)',
            'help': 'Margin of the last twelve months: the value the company stands to lose.',
        },
    ),
    'value_at_risk': (
        'money',
        {'string': 'Margin at Risk', 'help': 'Churn risk times the margin of the last twelve months.'},
    ),
}
BAND_SELECTION = [('high', 'High'), ('medium', 'Medium'), ('low', 'Low')]
_COPY_KIND = {'int': 'int4', 'float': 'float8', 'percent': 'float8', 'money': 'float8', 'band': 'text'}
_ENGINE_KIND = {'int': 'int', 'float': 'float', 'percent': 'float', 'money': 'float', 'band': 'text'}

if {name: _ENGINE_KIND[kind] for name, (kind, _attrs) in CHURN_FIGURES.items()} != CHURN_FIGURE_KINDS:
    raise ImportError('the churn figures differ from the engine')

#: binary COPY kind of each stored figure, in the engine's order
COPY_KINDS = {name: _COPY_KIND[CHURN_FIGURES[name][0]] for name in CHURN_FIGURE_KINDS}


def churn_field(name, stored=False, currency_field='currency_id', **overrides):
    """A new field object for the churn figure ``name`` (``stored``: the run line's column)."""
    kind, attrs = CHURN_FIGURES[name]
    attrs = dict(attrs)
    if kind == 'band':
        field = fields.Selection(BAND_SELECTION, **attrs, **overrides)
    elif kind == 'int':
        field = fields.Integer(**attrs, **overrides)
    elif kind == 'money' and not stored:
        field = fields.Monetary(currency_field=currency_field, **attrs, **overrides)
    elif kind == 'percent' and not stored:
        field = fields.Float(digits=(16, 4), **attrs, **overrides)
    else:
        field = fields.Float(**attrs, **overrides)
    return field


class CrmChurnRunLine(models.Model):
    """The churn figures of one customer computed by one churn run: written by binary ``COPY`` in
    committed batches, the lines of the company's published run are what the partner form, the
    churn risk list and the risk band segments show."""

    _name = 'crm.churn.run.line'
    _description = 'Churn Run Line'
    _log_access = False
    _order = 'run_id, partner_id'

    run_id = fields.Integer(required=True)
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    for _figure in CHURN_FIGURES:
        locals()[_figure] = churn_field(_figure, stored=True)
    del _figure

    _partner_run_uniq = models.UniqueIndex('(partner_id, run_id)', 'One line per run and customer.')
    _run_band_idx = models.Index('(run_id, risk_band)')
