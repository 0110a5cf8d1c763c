from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common import ServiceTestCommon


class RecoveryCommon(ServiceTestCommon):
    """A customer's sales order of 3 espresso machines, delivered and invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("stock.group_stock_manager") | cls.env.ref(
            "sales_team.group_sale_manager"
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Espresso machine",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "delivery",
            }
        )
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 10.0)
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 3,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.order.action_confirm()
        cls.delivery = cls.order.picking_ids
        cls.delivery.move_ids.quantity = 3
        cls.delivery.move_ids.picked = True
        cls.delivery.button_validate()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.back_office = new_test_user(
            cls.env,
            login="svc_back_office",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager,account.group_account_invoice,"
            "stock.group_stock_user,sales_team.group_sale_salesman_all_leads",
        )


@tagged("post_install", "-at_install")
class TestServiceRecovery(RecoveryCommon):
    """A complaint turned into a credit note (Odoo's reversal) and a return (Odoo's return wizard), both
    linked to the case and bounded by what was invoiced and delivered."""

    def _wizard(self, ticket, **vals):
        action = ticket.action_open_service_recovery()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for name, value in vals.items():
            setattr(form, name, value)
        return form

    def test_credit_note_and_return_linked_and_bounded(self):
        ticket = self._case(
            type_id=self.type_complaint.id,
            sale_order_id=self.order.id,
            invoice_id=self.invoice.id,
            root_cause_id=self.env.ref("crm_callcenter_service.root_cause_product").id,
        )
        self.assertEqual(self.delivery.state, "done")
        form = self._wizard(ticket, return_goods=True)
        self.assertEqual(form.invoice_id, self.invoice)
        self.assertEqual(form.picking_id, self.delivery)
        with form.credit_line_ids.edit(0) as line:
            self.assertEqual(line.available_qty, 3)
            line.quantity = 2
        with form.return_line_ids.edit(0) as line:
            self.assertEqual(line.available_qty, 3)
            line.quantity = 1
        form.save().action_apply()
        refund = ticket.credit_note_ids
        self.assertEqual(len(refund), 1)
        self.assertEqual(
            (refund.move_type, refund.state, refund.reversed_entry_id), ("out_refund", "posted", self.invoice)
        )
        self.assertEqual(refund.invoice_line_ids.quantity, 2)
        self.assertAlmostEqual(ticket.recovery_cost, 200.0)
        returned = ticket.return_picking_ids
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        self.assertEqual(returned.move_ids.origin_returned_move_id, self.delivery.move_ids)
        self.assertEqual((ticket.credit_note_count, ticket.return_count), (1, 1))

        # what is left: 1 to credit, 2 to return
        form = self._wizard(ticket, return_goods=True)
        with form.credit_line_ids.edit(0) as line:
            self.assertEqual(line.available_qty, 1)
            line.quantity = 2
        with self.assertRaisesRegex(UserError, "at most 1.0 can be credited"):
            form.save().action_apply()
        form = self._wizard(ticket, issue_credit_note=False, return_goods=True)
        with form.return_line_ids.edit(0) as line:
            self.assertEqual(line.available_qty, 2)
            line.quantity = 3
        with self.assertRaisesRegex(UserError, "at most 2.0 can be returned"):
            form.save().action_apply()

    def test_recovery_documents_hidden_from_other_companies(self):
        ticket = self._case(
            type_id=self.type_complaint.id, sale_order_id=self.order.id, invoice_id=self.invoice.id
        )
        form = self._wizard(ticket, return_goods=True)
        with form.credit_line_ids.edit(0) as line:
            line.quantity = 1
        with form.return_line_ids.edit(0) as line:
            line.quantity = 1
        form.save().action_apply()
        other = self.setup_other_company()["company"]
        user_b = new_test_user(
            self.env,
            login="svc_recovery_b",
            company_id=other.id,
            company_ids=[other.id],
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager,account.group_account_invoice,"
            "stock.group_stock_user",
        )
        for records in (ticket, ticket.credit_note_ids, ticket.return_picking_ids):
            self.assertFalse(records.with_user(user_b).search([("id", "in", records.ids)]), records._name)
            with self.assertRaises(AccessError):
                records.with_user(user_b).read(["id"])

    def test_nothing_chosen(self):
        ticket = self._case(type_id=self.type_complaint.id, sale_order_id=self.order.id)
        wizard = self._wizard(ticket, issue_credit_note=False).save()
        with self.assertRaisesRegex(UserError, "Choose a credit note, a return, or both"):
            wizard.action_apply()
        wizard = self._wizard(ticket).save()
        with self.assertRaisesRegex(UserError, "Enter the quantities to credit"):
            wizard.action_apply()


@tagged("post_install", "-at_install")
class TestServiceRecoveryTour(CrmSuiteWebClientMixin, RecoveryCommon, HttpCase):
    """The way an agent does it in the web client: the complaint's Service Recovery button, the
    quantity to credit, Apply, and the credit note on the case."""

    def test_buttons_through_call_button(self):
        ticket = self._case(
            type_id=self.type_complaint.id, sale_order_id=self.order.id, invoice_id=self.invoice.id
        )
        self.authenticate("svc_back_office", "svc_back_office")
        action = self._web_call_button("helpdesk.ticket", "action_open_service_recovery", ticket.ids)
        self.assertEqual(action["res_model"], "crm.service.recovery.wizard")
        for method in ("action_open_credit_notes", "action_open_returns"):
            self.assertEqual(
                self._web_call_button("helpdesk.ticket", method, ticket.ids)["type"], "ir.actions.act_window"
            )

    def test_tour_complaint_to_credit_note(self):
        ticket = self._case(
            type_id=self.type_complaint.id,
            sale_order_id=self.order.id,
            invoice_id=self.invoice.id,
            name="Broken espresso machine",
        )
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}", "crm_service_recovery_tour", login="svc_back_office"
        )
        refund = ticket.credit_note_ids
        self.assertEqual((len(refund), refund.state), (1, "posted"))
        self.assertEqual(refund.invoice_line_ids.quantity, 1)
