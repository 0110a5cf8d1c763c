import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import CapabilityTestCommon


@tagged("post_install", "-at_install")
class TestCapabilityMeasures(CapabilityTestCommon):
    """Each measured indicator against hand-computed values, and *not available* without its data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Measure = cls.env["crm.capability.measure"]
        cls.date_to = cls.today
        cls.date_from = cls.today - relativedelta(days=99)  # a 100-day period
        before = cls.date_from - relativedelta(days=50)  # in the previous 100 days
        product = cls.product_a
        Partner = cls.env["res.partner"]
        cls.p_kept = Partner.create(
            {
                "name": "Kept",
                "is_company": True,
                "email": "kept@example.com",
                "phone": "+3222",
                "street": "Rue 1",
                "city": "Brussels",
                "zip": "1000",
                "country_id": cls.env.ref("base.be").id,
                "vat": "BE0477472701",
            }
        )
        cls.p_lost = Partner.create({"name": "Lost", "is_company": True})
        cls.p_new = Partner.create({"name": "New", "is_company": True, "email": "new@example.com"})
        cls._suite_invoice(cls.p_kept, before, [(product, 1, 50.0)])
        cls._suite_invoice(cls.p_kept, cls.date_from + relativedelta(days=10), [(product, 1, 100.0)])
        cls._suite_invoice(cls.p_lost, before, [(product, 1, 80.0)])
        cls._suite_invoice(cls.p_new, cls.date_to, [(product, 3, 100.0)])

    def _measure(self, key, date_from=None, date_to=None):
        return self.Measure._measure(key, self.company, date_from or self.date_from, date_to or self.date_to)

    def test_retention_rate(self):
        # previous period: Kept, Lost; period: Kept, New -> 1 of 2 retained
        value = self._measure("retention_rate")
        self.assertAlmostEqual(value.value, 50.0)
        self.assertEqual((value.numerator, value.denominator), (1, 2))
        self.assertEqual(value.res_ids, self.p_kept.ids)

    def test_repeat_revenue_share(self):
        # period revenue: Kept 100 (bought before) + New 300 -> 25%
        value = self._measure("repeat_revenue_share")
        self.assertAlmostEqual(value.value, 25.0)
        self.assertEqual(value.res_ids, self.p_kept.ids)

    def test_master_data_completeness(self):
        # period customers Kept (7 of 7 fields) and New (email only: 1 of 7) -> 8 / 14
        value = self._measure("master_data_completeness")
        self.assertAlmostEqual(value.value, 100.0 * 8 / 14)
        self.assertEqual(sorted(value.res_ids), sorted((self.p_kept | self.p_new).ids))

    def test_invoice_measures_not_available(self):
        long_ago = datetime.date(2001, 1, 1)
        for key in ("retention_rate", "repeat_revenue_share", "master_data_completeness", "contacted_90d"):
            value = self._measure(key, long_ago, long_ago + relativedelta(days=30))
            self.assertFalse(value.available, key)
            self.assertIsNone(value.value)
            self.assertTrue(value.reason)

    def test_win_rate(self):
        self.assertFalse(self._measure("win_rate").available)
        leads = self._opportunities(won=3, lost=2)
        value = self._measure("win_rate")
        self.assertAlmostEqual(value.value, 60.0)
        self.assertEqual(sorted(value.res_ids), sorted(leads.ids))
        other = self._measure("win_rate", date_to=self.date_from)  # a period that ended before they closed
        self.assertFalse(other.available)

    def _post(self, record, hours_after, note=False, author=None):
        author = author or self.manager
        message = record.sudo().message_post(
            body="Hello",
            message_type="comment",
            author_id=author.partner_id.id,
            subtype_xmlid="mail.mt_note" if note else "mail.mt_comment",
        )
        message.sudo().date = fields.Datetime.to_datetime(record.create_date) + datetime.timedelta(
            hours=hours_after
        )
        return message

    def test_lead_response_hours(self):
        self.assertFalse(self._measure("lead_response_hours").available)
        Lead = self.env["crm.lead"]
        fast, slow, silent = Lead.create(
            [{"name": n, "company_id": self.company.id} for n in ("fast", "slow", "silent")]
        )
        # the answers lie in the past (created 12 hours ago), whatever the time of day the test runs
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = create_date - interval '12 hours' WHERE id = ANY(%s)",
            [(fast | slow).ids],
        )
        (fast | slow).invalidate_recordset(["create_date"])
        self._post(fast, 1, note=True)  # an internal note is no response
        self._post(fast, 3)
        self._post(slow, 5)
        self._post(slow, 9)  # only the first response counts
        self._post(silent, 2, note=True)
        # the silent lead has waited 10 hours so far: it counts with 10 h, not left out
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = create_date - interval '10 hours' WHERE id = %s", [silent.id]
        )
        value = self._measure("lead_response_hours")
        self.assertAlmostEqual(value.value, 5.0, places=3)  # median of 3 h, 5 h and 10 h waited
        self.assertEqual(sorted(value.res_ids), sorted((fast | slow | silent).ids))
        self.assertEqual((value.numerator, value.denominator), (2, 3))

    def test_contacted_90d(self):
        # period customers: Kept and New; Kept contacted (a message on its opportunity), New only noted
        lead = self.env["crm.lead"].create(
            {"name": "Kept deal", "partner_id": self.p_kept.id, "company_id": self.company.id}
        )
        self._post(lead, 0)
        self._post(self.p_new, 0, note=True)
        value = self._measure("contacted_90d")
        self.assertAlmostEqual(value.value, 50.0)
        self.assertEqual((value.numerator, value.denominator), (1, 2))
        activity_done = self.p_new.activity_schedule("mail.mail_activity_data_call", user_id=self.manager.id)
        activity_done.action_feedback(feedback="Called")
        self.assertAlmostEqual(self._measure("contacted_90d").value, 100.0)

    def test_satisfaction(self):
        self.assertFalse(self._measure("satisfaction").available)
        lead = self.env["crm.lead"].create({"name": "Rated", "company_id": self.company.id})
        other_company = self.setup_other_company()["company"]
        foreign = self.env["crm.lead"].create({"name": "Elsewhere", "company_id": other_company.id})
        Rating = self.env["rating.rating"].sudo()
        model = self.env["ir.model"]._get("crm.lead")
        for record, value in ((lead, 5), (lead, 4), (lead, 1), (foreign, 1)):
            Rating.create(
                {
                    "res_model_id": model.id,
                    "res_id": record.id,
                    "rating": value,
                    "consumed": True,
                    "rated_on": fields.Datetime.now(),
                    "partner_id": self.p_kept.id,
                }
            )
        Rating.create({"res_model_id": model.id, "res_id": lead.id, "rating": 1, "consumed": False})
        value = self._measure("satisfaction")
        self.assertAlmostEqual(value.value, 100.0 * 2 / 3)  # 5 and 4 satisfied, 1 not; other company left out

    def test_on_time_delivery(self):
        if "stock.picking" not in self.env:
            value = self._measure("on_time_delivery")
            self.assertFalse(value.available)
            self.assertIn("Inventory", value.reason)
            return
        self.assertFalse(self._measure("on_time_delivery").available)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        Picking = self.env["stock.picking"]
        now = fields.Datetime.now()
        pickings = Picking.create(
            [
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.p_kept.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "scheduled_date": now + datetime.timedelta(days=offset),
                }
                for offset in (1, 2, -3)
            ]
        )
        pickings.write({"state": "done", "date_done": now})
        value = self._measure("on_time_delivery")
        self.assertAlmostEqual(value.value, 100.0 * 2 / 3)  # the third was due three days ago
        self.assertEqual(sorted(value.res_ids), sorted(pickings.ids))

    def test_service_measures_need_the_service_center(self):
        bridge = self.env["ir.module.module"]._get("crm_callcenter_service_capability")
        for key in ("complaint_sla", "first_contact_resolution"):
            value = self._measure(key)
            self.assertFalse(value.available)
            if bridge.state == "installed":
                # measured from the service cases (crm_callcenter_service_capability): none was closed
                self.assertIn("closed in the assessment period", value.reason)
            else:
                self.assertIn("Service Center", value.reason)

    def test_clv_trend(self):
        value = self._measure("clv_trend")
        company = self.company
        if not hasattr(company, "_crm_lcv_scoring_config"):
            self.assertFalse(value.available)
            self.assertIn("Lifecycle", value.reason)
            return
        from crm_lifecycle import score_customers

        averages = []
        for cutoff in (self.date_from, self.date_to):
            window_from, _to = company._crm_intel_window(today=cutoff)
            facts = self.env["crm.suite.facts"]._get_customer_facts(company, window_from, cutoff)
            scores = score_customers(
                facts.partner_ids,
                facts.dates,
                facts.revenue,
                facts.margin,
                company._crm_lcv_scoring_config(window_from, cutoff),
            )
            if scores.figures.get("predicted_clv") is None:
                self.assertFalse(value.available)
                return
            averages.append(scores.figures["predicted_clv"].mean())
        self.assertAlmostEqual(value.value, 100.0 * (averages[1] - averages[0]) / averages[0], places=6)
