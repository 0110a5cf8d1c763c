import datetime

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    def test_defaults(self):
        company = self.env["res.company"].create({"name": "Fresh Co"})
        self.assertEqual(company.crm_intel_analysis_months, 36)
        self.assertEqual(company.crm_intel_discount_rate, 10.0)
        self.assertEqual(company.crm_intel_horizon_months, 12)
        self.assertEqual(company.crm_intel_alive_threshold, 0.5)
        self.assertEqual(company.crm_intel_margin_fallback, 30.0)
        self.assertFalse(company.crm_intel_currency_id)
        self.assertEqual(company._crm_intel_currency(), company.currency_id)
        self.assertEqual(company._crm_intel_display_rate(), 1.0)

    def test_window(self):
        company = self.env.company
        company.crm_intel_analysis_months = 18
        date_from, date_to = company._crm_intel_window(today=datetime.date(2026, 3, 31))
        self.assertEqual(date_from, datetime.date(2024, 9, 30))
        self.assertEqual(date_to, datetime.date(2026, 3, 31))

    def test_bad_values_are_refused(self):
        company = self.env.company
        for field, value in [
            ("crm_intel_analysis_months", 0),
            ("crm_intel_horizon_months", -3),
            ("crm_intel_discount_rate", 120.0),
            ("crm_intel_alive_threshold", 1.5),
            ("crm_intel_margin_fallback", -1.0),
        ]:
            with self.subTest(field=field), self.assertRaises(ValidationError):
                company.write({field: value})

    def test_error_message_is_clear(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 1"):
            self.env.company.crm_intel_alive_threshold = -0.1

    def test_reporting_currency(self):
        company = self.env.company
        other = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", company.currency_id.id)], limit=1
        )
        other.active = True
        self.env["res.currency.rate"].create({
            "name": "2020-01-01", "rate": 4.0, "currency_id": other.id, "company_id": company.id,
        })
        company.crm_intel_currency_id = other
        self.assertEqual(company._crm_intel_currency(), other)
        self.assertAlmostEqual(company._crm_intel_display_rate(datetime.date(2021, 1, 1)), 4.0)

    def test_settings_form_writes_company(self):
        settings = self.env["res.config.settings"].create({"crm_intel_discount_rate": 7.5})
        settings.execute()
        self.assertEqual(self.env.company.crm_intel_discount_rate, 7.5)
