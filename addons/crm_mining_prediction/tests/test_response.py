import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import PredictionCommon


@tagged('post_install', '-at_install')
class TestResponse(PredictionCommon):
    """A response model learned from a campaign's opportunities: contacts, responses (orders within
    the window), the tree's rules, the scored targets as a segment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({'crm_response_min_leaf': 5, 'crm_response_window_days': 30})
        cls.campaign = cls.env['utm.campaign'].create({'name': 'PRED Spring Campaign'})
        contact_day = cls.today - datetime.timedelta(days=60)
        # 8 regular buyers (invoices before the contact) respond; 16 customers without purchases
        # do not; one buyer does not either
        cls.buyers = cls.customers[:9]
        for partner in cls.buyers:
            for days in (400, 250, 120, 75):
                cls._suite_invoice(partner, cls.today - datetime.timedelta(days=days), [(cls.desk, 1, 100.0)])
        leads = cls.env['crm.lead'].create(
            [
                {
                    'name': f'Offer {p.name}',
                    'partner_id': p.id,
                    'campaign_id': cls.campaign.id,
                    'type': 'opportunity',
                }
                for p in cls.customers
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL("UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)", contact_day, leads.ids)
        )
        cls.responders = cls.buyers[:8]
        for partner in cls.responders:
            cls._order(partner, (cls.chair,), days_ago=50)
        # an order too late (after the 30-day window) is no response
        cls._order(cls.customers[20], (cls.chair,), days_ago=5)
        cls.Run = cls.env['crm.response.run']

    def _learn(self, campaigns=None):
        run = self.Run.create({'campaign_ids': [(6, 0, (campaigns or self.campaign).ids)]})
        run._execute()
        return run

    def test_model_rules_and_targets(self):
        run = self._learn()
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)
        self.assertEqual(run.contact_count, 24)
        self.assertEqual(run.responder_count, 8)
        self.assertAlmostEqual(run.base_rate, 100 * 8 / 24, places=1)
        self.assertTrue(run.rule_ids)
        best = run.rule_ids[0]
        self.assertGreater(best.lift, 2.5)
        self.assertTrue(best.name.startswith('if '))
        self.assertIn('then responds:', best.name)
        self.assertEqual(sum(run.rule_ids.mapped('samples')), 24)
        # the customers scored are those with a purchase in the history: the 9 buyers
        self.assertEqual(run.customer_count, 9)
        segment = self.env.ref('crm_mining_prediction.crm_segment_response_targets')
        targets = segment._member_partner_ids()
        self.assertEqual(len(targets), run.target_count)
        self.assertTrue(set(targets) <= set(self.buyers.ids))
        self.assertTrue(targets)
        action = run.action_open_targets()
        self.assertEqual(set(action['domain'][0][2]), set(targets))

    def test_campaign_without_contacts(self):
        empty = self.env['utm.campaign'].create({'name': 'PRED Empty'})
        with self.assertRaisesRegex(UserError, 'reached no customer'):
            self._learn(empty)

    def test_learned_model_cannot_be_learned_again(self):
        run = self._learn()
        with self.assertRaises(UserError):
            run.action_learn()
        with self.assertRaises(UserError):
            self.Run.action_refresh_company()
