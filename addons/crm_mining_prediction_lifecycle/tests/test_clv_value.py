from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_mining_prediction.tests.common import PredictionCommon, synthetic_transactions


@tagged('post_install', '-at_install')
class TestClvValue(PredictionCommon):
    """The value of the churn list is the predicted CLV of the published lifecycle run."""

    def test_value_is_the_predicted_clv(self):
        population = self.env['res.partner'].create(
            [{'name': f'PRED L {i}', 'is_company': True} for i in range(300)]
        )
        tx = synthetic_transactions(population, seed=11)
        Run = self.env['crm.churn.run']
        with patch.object(type(Run), '_load_transactions', lambda run: tx):
            Run._refresh_company_now(self.company)
        Member = self.env['crm.churn.member']
        members = Member.search([])
        # no lifecycle run: the margin of the last twelve months
        self.assertEqual(members.mapped('value'), members.mapped('annual_margin'))
        lifecycle = (
            self.env['crm.lifecycle.run'].sudo().create({'company_id': self.company.id, 'state': 'done'})
        )
        lifecycle._publish()
        chosen = members[:3]
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_lifecycle_run_line (run_id, company_id, partner_id, predicted_clv)
               SELECT %s, %s, p, 1000.0 * ord FROM unnest(%s::int4[]) WITH ORDINALITY AS u(p, ord)""",
                lifecycle.id,
                self.company.id,
                chosen.partner_id.ids,
            )
        )
        self.env.invalidate_all()
        by_partner = {m.partner_id.id: m for m in Member.search([])}
        for k, partner in enumerate(chosen.partner_id, start=1):
            member = by_partner[partner.id]
            self.assertEqual(member.value, 1000.0 * k)
            self.assertAlmostEqual(member.clv_at_risk, member.churn_probability * 1000.0 * k)
        others = [m for pid, m in by_partner.items() if pid not in chosen.partner_id.ids]
        self.assertTrue(all(m.value == 0.0 for m in others))  # no CLV in the lifecycle run
        at_risk = Member.search([('is_at_risk_high_value', '=', True)])
        self.assertTrue(set(at_risk.partner_id.ids) <= set(chosen.partner_id.ids))
