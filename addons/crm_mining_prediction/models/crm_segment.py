from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class CrmSegment(models.Model):
    """Churn risk bands and campaign targets as segments: their members come from the company's
    published churn run (``code`` = the band) and response model (its targets), so the segment
    actions (tags, mailing lists, teams, opportunities, activities) apply to them."""

    _inherit = 'crm.segment'

    kind = fields.Selection(
        selection_add=[('churn', 'Churn Risk'), ('response', 'Campaign Targets'), ('manual',)],
        ondelete={'churn': 'cascade', 'response': 'cascade'},
    )

    _churn_code_uniq = models.UniqueIndex(
        "(kind, code) WHERE kind IN ('churn', 'response')", 'A churn band or target segment exists once.'
    )

    def _is_prediction(self):
        return self.kind in ('churn', 'response')

    @api.depends_context('company')
    def _compute_stats(self):
        result = super()._compute_stats()
        predicted = self.filtered(lambda s: s._is_prediction())
        for segment in predicted:
            segment.member_count = len(segment._member_partner_ids())
        return result

    @api.depends('kind', 'code', 'domain')
    def _compute_definition(self):
        result = super()._compute_definition()
        company = self.env.company
        for segment in self.filtered(lambda s: s.kind == 'churn'):
            threshold = {'high': company.crm_churn_high_risk, 'medium': company.crm_churn_medium_risk}
            if segment.code == 'high':
                segment.definition = self.env._('Churn risk of at least %(high)s%%.', high=threshold['high'])
            elif segment.code == 'medium':
                segment.definition = self.env._(
                    'Churn risk from %(medium)s%% to below %(high)s%%.', **threshold
                )
            else:
                segment.definition = self.env._('Churn risk below %(medium)s%%.', medium=threshold['medium'])
        for segment in self.filtered(lambda s: s.kind == 'response'):
            segment.definition = self.env._(
                'Customers whose predicted response rate reaches %(lift)s times the average of the '
                'published campaign response model.',
                lift=company.crm_response_target_lift,
            )
        return result

    def _member_partner_ids(self):
        if not self._is_prediction():
            return super()._member_partner_ids()
        company = self.env.company
        if self.kind == 'churn':
            run = self.env['crm.churn.run'].sudo()._published_run_of(company)
            table, condition = SQL('crm_churn_run_line'), SQL('l.risk_band = %s', self.code)
        else:
            run = self.env['crm.response.run'].sudo()._published_run_of(company)
            table, condition = SQL('crm_response_run_line'), SQL('l.is_target')
        if not run:
            return []
        self.env['crm.churn.run.line'].flush_model()
        self.env['crm.response.run.line'].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT l.partner_id FROM %s l JOIN res_partner p ON p.id = l.partner_id
                WHERE l.run_id = %s AND l.company_id = %s AND %s ORDER BY l.partner_id""",
                table,
                run.id,
                company.id,
                condition,
            )
        )
        return [row[0] for row in rows]

    def action_open_members(self):
        if not self._is_prediction():
            return super().action_open_members()
        self.ensure_one()
        if self.kind == 'churn':
            action = self.env['ir.actions.act_window']._for_xml_id(
                'crm_mining_prediction.crm_churn_member_action'
            )
            action['domain'] = list(
                Domain('risk_band', '=', self.code) & Domain('company_id', '=', self.env.company.id)
            )
            action['name'] = self.display_name
            action['context'] = {}
            return action
        return {
            'type': 'ir.actions.act_window',
            'name': self.display_name,
            'res_model': 'res.partner',
            'view_mode': 'list,form',
            'views': [(False, 'list'), (False, 'form')],
            'domain': [('id', 'in', self._member_partner_ids())],
        }
