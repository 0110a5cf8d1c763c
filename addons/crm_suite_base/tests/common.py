from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CrmSuiteTestCommon(AccountTestInvoicingCommon):
    """Real posted customer invoices for the suite's tests (reused by the other suite addons)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.crm_intel_margin_fallback = 25.0

    @classmethod
    def _suite_invoice(cls, partner, invoice_date, lines, refund=False, currency=None, company=None,
                       post=True):
        """Create (and post) a customer invoice or credit note.

        :param lines: list of ``(product, quantity, price_unit)``; taxes are left out so that the
            expected revenue is simply quantity x price.
        """
        company = company or cls.env.company
        move = cls.env["account.move"].with_company(company).create({
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.to_date(invoice_date),
            "date": fields.Date.to_date(invoice_date),
            "currency_id": (currency or company.currency_id).id,
            "invoice_line_ids": [
                Command.create({
                    "product_id": product.id,
                    "quantity": qty,
                    "price_unit": price,
                    "tax_ids": [Command.clear()],
                })
                for product, qty, price in lines
            ],
        })
        if post:
            move.action_post()
        return move


class CrmSuiteWebClientMixin:
    """Call the server the way the Odoo web client does, for HttpCase tests of buttons and wizards.

    A form button sends the record's id, a list-header button the selected ids (possibly none): an
    ``@api.model`` method receives them as an extra positional argument and fails, which calling the
    Python method directly never shows.
    """

    def _web_call_kw(self, model, method, args=(), kwargs=None):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}.{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs or {},
        })

    def _web_call_button(self, model, method, ids, context=None):
        return self.make_jsonrpc_request(f"/web/dataset/call_button/{model}.{method}", {
            "model": model, "method": method, "args": [list(ids)], "kwargs": {"context": context or {}},
        })
