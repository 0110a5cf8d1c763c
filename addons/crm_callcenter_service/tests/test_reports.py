import datetime

from odoo.tests import tagged

from .common import ServiceTestCommon


@tagged("post_install", "-at_install")
class TestServiceReports(ServiceTestCommon):
    def test_sla_report_outcomes(self):
        self._sla("Resolution in 4 working hours", hours=4)
        late = self._case()  # created Friday 10:00, deadline 15:00: long past now
        on_time = self._case(created=datetime.datetime.now() - datetime.timedelta(minutes=5))
        on_time.stage_id = self.stage_done
        self.env.flush_all()
        rows = self.env["crm.service.sla.report"].search([("ticket_id", "in", (late | on_time).ids)])
        by_case = {row.ticket_id: row for row in rows}
        self.assertEqual(by_case[late].state, "breached")
        self.assertEqual(by_case[on_time].state, "met")
        [group] = self.env["crm.service.sla.report"].formatted_read_group(
            [("id", "in", rows.ids)], aggregates=["case_count:sum", "breached_count:sum", "breach_rate:avg"]
        )
        self.assertEqual((group["case_count:sum"], group["breached_count:sum"]), (2, 1))
        self.assertAlmostEqual(group["breach_rate:avg"], 50.0)

    def test_csat_report(self):
        cases = self._case() | self._case(type_id=self.type_complaint.id)
        model = self.env["ir.model"]._get("helpdesk.ticket")
        Rating = self.env["rating.rating"].sudo()
        for case, value in ((cases[0], 5), (cases[0], 2), (cases[1], 4)):
            Rating.create(
                {
                    "res_model_id": model.id,
                    "res_id": case.id,
                    "rating": value,
                    "consumed": True,
                    "rated_on": datetime.datetime(2026, 6, 20),
                    "partner_id": self.customer.id,
                }
            )
        Rating.create({"res_model_id": model.id, "res_id": cases[1].id, "rating": 1, "consumed": False})
        self.env.flush_all()
        [group] = self.env["crm.service.csat.report"].formatted_read_group(
            [("ticket_id", "in", cases.ids)], aggregates=["csat:avg", "rating:avg", "rating_count:sum"]
        )
        self.assertEqual(group["rating_count:sum"], 3)
        self.assertAlmostEqual(group["csat:avg"], 100.0 * 2 / 3)
        self.assertAlmostEqual(group["rating:avg"], 11 / 3)

    def test_partner_service_figures(self):
        recent = datetime.datetime.now() - datetime.timedelta(days=30)
        complaint = self._case(type_id=self.type_complaint.id, created=recent)
        self._case(type_id=self.type_complaint.id, created=recent - datetime.timedelta(days=400))  # too old
        self._case(type_id=self.type_inquiry.id, created=recent).stage_id = self.stage_done
        model = self.env["ir.model"]._get("helpdesk.ticket")
        Rating = self.env["rating.rating"].sudo()
        Rating.create(
            {
                "res_model_id": model.id,
                "res_id": complaint.id,
                "rating": 2,
                "consumed": True,
                "rated_on": datetime.datetime(2026, 6, 1),
                "partner_id": self.customer.id,
            }
        )
        Rating.create(
            {
                "res_model_id": model.id,
                "res_id": complaint.id,
                "rating": 4,
                "consumed": True,
                "rated_on": datetime.datetime(2026, 6, 3),
                "partner_id": self.customer.id,
            }
        )
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.customer.id})
        for partner in (self.customer, contact):
            partner.invalidate_recordset()
            self.assertEqual(partner.crm_service_open_count, 2)  # both complaints are open
            self.assertEqual(partner.crm_service_complaint_count, 1)
            self.assertEqual(partner.crm_service_last_rating, 4)

    def test_loyalty_after_complaints(self):
        """Recovered complaint (A), complaint not recovered (B), no complaint (C, D): see
        tests/test_callcenter_loyalty.py for the engine's hand-worked case."""
        today = datetime.date.today()
        day = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
        Partner = self.env["res.partner"]
        a, b, c, d = (Partner.create({"name": name, "is_company": True}) for name in "ABCD")
        for partner in (a, b, c, d):
            self._suite_invoice(partner, day(400), [(self.product_a, 1, 100.0)])
        self._suite_invoice(a, day(250), [(self.product_a, 1, 50.0)])  # 50 days after its complaint
        self._suite_invoice(c, day(170), [(self.product_a, 1, 50.0)])  # 30 days after the reference
        recovered = self._case(
            partner_id=a.id,
            type_id=self.type_complaint.id,
            created=datetime.datetime.combine(day(300), datetime.time(9)),
        )
        recovered.stage_id = self.stage_done
        self.env["rating.rating"].sudo().create(
            {
                "res_model_id": self.env["ir.model"]._get("helpdesk.ticket").id,
                "res_id": recovered.id,
                "rating": 5,
                "consumed": True,
                "partner_id": a.id,
            }
        )
        self._case(
            partner_id=b.id,
            type_id=self.type_complaint.id,
            created=datetime.datetime.combine(day(200), datetime.time(9)),
        )
        report = self.env["crm.service.loyalty.report"].create(
            {"date_from": day(700), "date_to": day(100), "horizon_months": 6, "value_bands": 1}
        )
        report.action_compute()
        totals = {line.group: line for line in report.line_ids if line.band == 0}
        self.assertEqual((totals["recovered"].customers, totals["recovered"].repurchase_rate), (1, 1.0))
        self.assertAlmostEqual(totals["recovered"].revenue_per_customer, 50.0)
        self.assertEqual(
            (totals["not_recovered"].customers, totals["not_recovered"].repurchase_rate), (1, 0.0)
        )
        self.assertEqual((totals["no_complaint"].customers, totals["no_complaint"].repurchase_rate), (2, 0.5))
        self.assertAlmostEqual(totals["no_complaint"].revenue_per_customer, 25.0)
        self.assertTrue(report.paradox)
        self.assertAlmostEqual(report.recovered_rate, 1.0)

    def test_rating_requested_on_closure(self):
        case = self._case()
        case.stage_id = self.stage_done
        request = (
            self.env["rating.rating"]
            .sudo()
            .search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", case.id)])
        )
        self.assertEqual(len(request), 1)
        self.assertFalse(request.consumed)
        self.assertEqual(request.partner_id, self.customer)
