"""The per-customer figures of the segmentation addon, declared once.

The engine (``crm_mining.FIGURE_KINDS``) names each figure and its kind; here each gets its
label and help. The stored columns of ``crm.segmentation.run.line``, the fields and SQL columns of
the ``crm.segment.member`` view, the binary COPY columns of a run and the partner form fields are
derived from this declaration.
"""

from odoo import fields

from crm_mining import FIGURE_KINDS

#: name -> (kind, field attributes); kinds: int, float, money, text
FIGURES = {
    'recency_days': ('int', {
        'string': 'Recency (days)', 'aggregator': 'avg',
        'help': 'Days from the last purchase to the end of the analysis window (R of RFM).'}),
    'frequency': ('int', {
        'string': 'Frequency', 'aggregator': 'avg',
        'help': 'Purchase days in the analysis window (F of RFM): days with a posted invoice not '
                'cancelled by a credit note.'}),
    'monetary': ('money', {
        'string': 'Monetary (window)',
        'help': 'Revenue of the analysis window, net of credit notes, in company currency '
                '(M of RFM).'}),
    'margin': ('money', {
        'string': 'Margin (window)',
        'help': 'Revenue minus cost of goods sold (or product cost) of the analysis window.'}),
    'r_score': ('int', {
        'string': 'R Score', 'aggregator': 'avg',
        'help': 'Recency quantile score: higher is more recent. Customers with equal recency '
                'always get the same score.'}),
    'f_score': ('int', {
        'string': 'F Score', 'aggregator': 'avg',
        'help': 'Frequency quantile score: higher is more frequent.'}),
    'm_score': ('int', {
        'string': 'M Score', 'aggregator': 'avg',
        'help': 'Monetary quantile score: higher is more revenue.'}),
    'rfm_code': ('text', {
        'string': 'RFM Code',
        'help': 'The three scores R, F and M, for example 545 (Hughes 1994, "Strategic Database '
                'Marketing").'}),
    'rfm_segment': ('text', {'string': 'RFM Segment Code'}),
    'cluster': ('int', {
        'string': 'Cluster Identity', 'aggregator': False,
        'help': 'Identity of the customer\'s k-means cluster, kept from run to run.'}),
}

_FIELD_CLASSES = {
    'int': fields.Integer, 'float': fields.Float, 'money': fields.Monetary, 'text': fields.Char,
}
_COPY_KIND = {'int': 'int4', 'float': 'float8', 'text': 'text'}

if set(FIGURES) != set(FIGURE_KINDS):  # the engine and the addon must name the same figures
    raise ImportError(f'figures differ from the engine: {sorted(set(FIGURES) ^ set(FIGURE_KINDS))}')

#: binary COPY kind of each stored figure, in the engine's order
COPY_KINDS = {name: _COPY_KIND[kind] for name, kind in FIGURE_KINDS.items()}
#: figures shown by the crm.segment.member view
VIEW_FIGURES = tuple(name for name in FIGURE_KINDS if name not in ('rfm_segment', 'cluster'))


def figure_field(name, stored=False, currency_field='currency_id', **overrides):
    """A new field object for the figure ``name`` (``stored``: the float8 column of the lines)."""
    kind, attrs = FIGURES[name]
    attrs = dict(attrs)
    if stored:
        field_class = fields.Float if kind == 'money' else _FIELD_CLASSES[kind]
    else:
        field_class = _FIELD_CLASSES[kind]
        if kind == 'money':
            attrs['currency_field'] = currency_field
    attrs.update(overrides)
    return field_class(**attrs)
