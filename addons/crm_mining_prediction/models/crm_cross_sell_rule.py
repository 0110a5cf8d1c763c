from odoo import api, fields, models

LEVEL_SELECTION = [('product', 'Product'), ('category', 'Product Category')]


class CrmCrossSellRule(models.Model):
    """One association rule "customers who buy A also buy C" mined by a cross-sell run.

    Written in bulk by the run (binary ``COPY``) and removed with it; the items are product or
    category ids kept as comma-separated text (``antecedent_key``, ``consequent_key``), which the
    recommendation queries turn into integer arrays (``string_to_array``) to test "antecedent
    contained in what the customer has" in SQL.
    """

    _name = 'crm.cross.sell.rule'
    _description = 'Cross-Sell Rule'
    _order = 'run_id desc, level, lift desc, confidence desc, id'
    _log_access = False

    run_id = fields.Many2one(
        'crm.cross.sell.run', required=True, index=True, ondelete='cascade', readonly=True
    )
    company_id = fields.Many2one('res.company', required=True, index=True, readonly=True)
    published = fields.Boolean(related='run_id.published', string='Current Rules')
    level = fields.Selection(LEVEL_SELECTION, required=True, readonly=True)
    antecedent_key = fields.Char(required=True, readonly=True)
    consequent_key = fields.Char(required=True, readonly=True)
    antecedent_size = fields.Integer(string='Items Bought', readonly=True, aggregator=False)
    basket_count = fields.Integer(
        string='Baskets', readonly=True, help='Baskets holding all the items of the rule.'
    )
    support = fields.Float(string='Support (%)', readonly=True, aggregator='max')
    confidence = fields.Float(string='Confidence (%)', readonly=True, aggregator='max')
    lift = fields.Float(readonly=True, aggregator='max')
    leverage = fields.Float(readonly=True, aggregator='max')
    conviction = fields.Float(
        readonly=True,
        aggregator='max',
        help='(1 - support of the consequent) / (1 - confidence); empty when the confidence is 100% '
        '(infinite conviction).',
    )
    antecedent_names = fields.Char(string='Customers Who Buy', compute='_compute_names')
    consequent_names = fields.Char(string='Also Buy', compute='_compute_names')

    @api.depends('level', 'antecedent_key', 'consequent_key')
    def _compute_names(self):
        """The item names, with one read of the products and one of the categories for all rules."""
        ids = {'product': set(), 'category': set()}
        for rule in self:
            for key in (rule.antecedent_key, rule.consequent_key):
                ids[rule.level or 'product'].update(int(i) for i in (key or '').split(',') if i)
        names = {
            'product': dict(
                self.env['product.product']
                .browse(ids['product'])
                .exists()
                .mapped(lambda p: (p.id, p.display_name))
            ),
            'category': dict(
                self.env['product.category']
                .browse(ids['category'])
                .exists()
                .mapped(lambda c: (c.id, c.display_name))
            ),
        }
        for rule in self:
            level_names = names.get(rule.level or 'product', {})

            def label(key, level_names=level_names):
                return ', '.join(level_names.get(int(i), f'#{i}') for i in (key or '').split(',') if i)

            rule.antecedent_names = label(rule.antecedent_key)
            rule.consequent_names = label(rule.consequent_key)
