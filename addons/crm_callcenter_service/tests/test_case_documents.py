from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServiceTestCommon


@tagged("post_install", "-at_install")
class TestCaseDocuments(ServiceTestCommon):
    """A case refers only to the customer's own invoices, orders and products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.invoice = cls._suite_invoice(cls.customer, "2026-05-01", [(cls.product_a, 2, 100.0)])
        cls.foreign_invoice = cls._suite_invoice(cls.other, "2026-05-01", [(cls.product_b, 1, 50.0)])

    def test_own_invoice_and_product(self):
        ticket = self._case(type_id=self.type_complaint.id)
        self.assertEqual(ticket.case_kind, "complaint")
        self.assertIn(self.product_a, ticket.allowed_product_ids)
        self.assertNotIn(self.product_b, ticket.allowed_product_ids)
        ticket.write({"invoice_id": self.invoice.id, "product_id": self.product_a.id})
        self.assertEqual(ticket.allowed_product_ids, self.product_a)

    def test_foreign_documents_refused(self):
        ticket = self._case()
        for vals, message in (
            ({"invoice_id": self.foreign_invoice.id}, "is not one of"),
            ({"product_id": self.product_b.id}, "did not buy"),
        ):
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                ticket.write(vals)
            self.env.invalidate_all()
