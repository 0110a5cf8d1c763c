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
        complaint = self._case(type_id=self.type_complaint.id)
        self._case(type_id=self.type_inquiry.id).stage_id = self.stage_done
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
            self.assertEqual(partner.crm_service_open_count, 1)
            self.assertEqual(partner.crm_service_complaint_count, 1)
            self.assertEqual(partner.crm_service_last_rating, 4)
