import datetime

import numpy as np

from odoo import Command, fields, models
from odoo.tools import SQL

#: (case kind xmlid, share of the cases, titles)
DEMO_CASES = (
    (
        "ticket_type_inquiry",
        0.4,
        ("Question about delivery times", "Price list request", "How to configure it"),
    ),
    (
        "ticket_type_complaint",
        0.25,
        ("Product arrived damaged", "Wrong item delivered", "Invoice amount wrong", "Late delivery"),
    ),
    ("ticket_type_repair_return", 0.2, ("Device stopped working", "Return under warranty")),
    ("ticket_type_request", 0.15, ("Change of delivery address", "Copy of an invoice")),
)
ROOT_CAUSES = ("root_cause_product", "root_cause_delivery", "root_cause_billing", "root_cause_service")


class CrmSuiteDemoGenerator(models.AbstractModel):
    _inherit = "crm.suite.demo.generator"

    def _crm_suite_after_demo(self, company, today=None):
        result = super()._crm_suite_after_demo(company, today)
        if "crm.service.recovery.wizard" in self.env:
            self.sudo()._demo_service(company, today)
        return result

    def _demo_service(self, company, today=None, n_cases=80, seed=42):
        """A year of service cases of every kind for the demo customers: SLA policies on the team's
        calendar, cases closed in time or late, open ones on track, at risk or breached, complaints
        recovered with credit notes and returns, satisfaction ratings."""
        rng = np.random.default_rng(seed + 20)
        today = today or fields.Date.context_today(self)
        ref = self.env.ref
        logins = [f"crm_suite_demo_{stub}_{company.id}" for stub in ("alice", "bruno", "chen")]
        agents = self.env["res.users"].search([("login", "in", logins)], order="id")
        # the demo customers the company invoiced (whatever seed made them)
        customers = self._demo_invoiced_customers(company)
        if len(agents) < 3 or not customers:
            return
        agents.write({"group_ids": [Command.link(ref("helpdesk_mgmt.group_helpdesk_user").id)]})
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": self.env._("Customer Service"),
                "company_id": company.id,
                "use_sla": True,
                "user_id": agents[0].id,
                "user_ids": [Command.set(agents.ids)],
                "resource_calendar_id": company.resource_calendar_id.id,
            }
        )
        stage_progress = ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Sla = self.env["helpdesk.sla"]
        slas = Sla.create(
            [
                {
                    "name": self.env._("First response within 4 working hours"),
                    "team_ids": [Command.set(team.ids)],
                    "stage_id": stage_progress.id,
                    "hours": 4,
                    "sla_target": "first_response",
                    "company_id": company.id,
                },
                {
                    "name": self.env._("Resolution within 3 working days"),
                    "team_ids": [Command.set(team.ids)],
                    "stage_id": stage_done.id,
                    "days": 3,
                    "sla_target": "resolution",
                    "company_id": company.id,
                },
            ]
        )
        complaint = ref("crm_callcenter_service.ticket_type_complaint")
        urgent = {
            "name": self.env._("Urgent complaints: resolution within 1 working day"),
            "team_ids": [Command.set(team.ids)],
            "type_ids": [Command.set(complaint.ids)],
            "min_priority": "2",
            "stage_id": stage_done.id,
            "days": 1,
            "sla_target": "resolution",
            "company_id": company.id,
        }
        if "min_value_tier" in Sla._fields:
            Sla.create(
                {
                    **urgent,
                    "name": self.env._("Gold and platinum customers: resolution within 1 working day"),
                    "type_ids": False,
                    "min_priority": False,
                    "min_value_tier": "gold",
                }
            )
        slas |= Sla.create(urgent)
        tickets = self._demo_service_cases(company, team, agents, customers, today, n_cases, rng)
        self._demo_service_history(tickets, stage_done, today, rng)
        self._demo_service_recovery(company, tickets, rng)
        self.env["helpdesk.ticket"]._cron_crm_escalate()
        return tickets

    def _demo_service_cases(self, company, team, agents, customers, today, n_cases, rng):
        ref = self.env.ref
        kinds = [ref(f"crm_callcenter_service.{xmlid}") for xmlid, _share, _titles in DEMO_CASES]
        shares = np.array([share for _x, share, _t in DEMO_CASES])
        channels = [ref(f"helpdesk_mgmt.helpdesk_ticket_channel_{c}") for c in ("email", "phone", "web")]
        # complaints mostly come from customers whose order was delivered (the recovery has documents)
        delivered = (
            self.env["sale.order"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("picking_ids.state", "=", "done"),
                    ("partner_id.commercial_partner_id", "in", customers.ids),
                ]
            )
            .partner_id.commercial_partner_id
        )
        vals_list, created = [], []
        for k in range(n_cases):
            kind = int(rng.choice(len(kinds), p=shares / shares.sum()))
            titles = DEMO_CASES[kind][2]
            pool = (
                delivered
                if kinds[kind].case_kind == "complaint" and delivered and rng.random() < 0.7
                else customers
            )
            customer = pool[int(rng.integers(0, len(pool)))]
            # most cases in the last year, a dozen in the last days (open ones)
            age = int(rng.integers(0, 10)) if k >= n_cases - 12 else int(rng.integers(10, 365))
            created.append(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=age),
                    datetime.time(int(rng.integers(8, 17)), int(rng.integers(0, 60))),
                )
            )
            vals = {
                "name": titles[int(rng.integers(0, len(titles)))],
                "description": "<p>.</p>",
                "team_id": team.id,
                "company_id": company.id,
                "partner_id": customer.id,
                "type_id": kinds[kind].id,
                "user_id": agents[int(rng.integers(0, len(agents)))].id,
                "channel_id": channels[int(rng.integers(0, len(channels)))].id,
                "priority": str(int(rng.choice(4, p=[0.2, 0.5, 0.2, 0.1]))),
            }
            if kinds[kind].case_kind == "complaint":
                vals.update(
                    {
                        "root_cause_id": ref(
                            f"crm_callcenter_service.{ROOT_CAUSES[int(rng.integers(0, 4))]}"
                        ).id,
                        "severity": ("low", "medium", "high", "critical")[
                            int(rng.choice(4, p=[0.3, 0.4, 0.2, 0.1]))
                        ],
                    }
                )
            vals_list.append(vals)
        tickets = self.env["helpdesk.ticket"].with_context(mail_notrack=True).create(vals_list)
        self.env.flush_all()
        for ticket, moment in zip(tickets, created, strict=True):
            self.env.cr.execute(
                SQL("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", moment, ticket.id)
            )
        tickets.invalidate_recordset(["create_date"])
        tickets.set_sla()
        return tickets

    def _demo_service_history(self, tickets, stage_done, today, rng):
        """The cases older than ten days were closed, each SLA reached in time with 85% chance; each
        closed case has a 60% chance of a rating, mostly good (worse after a late one)."""
        old = tickets.filtered(lambda t: t.create_date.date() < today - datetime.timedelta(days=10))
        Rating = self.env["rating.rating"]
        model = self.env["ir.model"]._get("helpdesk.ticket")
        ratings = []
        for ticket in old:
            # each SLA reached in time with 85% chance (its target stage reached before the deadline),
            # else hours after it; the case closes when its last SLA is reached
            late = False
            closed = ticket.create_date + datetime.timedelta(hours=2)
            for line in ticket.ticket_sla_ids:
                start, deadline = ticket.create_date, line.deadline or ticket.create_date
                line_late = rng.random() < 0.15
                if line_late:
                    reached = deadline + datetime.timedelta(hours=int(rng.integers(1, 30)))
                else:
                    reached = start + (deadline - start) * float(rng.uniform(0.2, 0.95))
                late = late or line_late
                self.env.cr.execute(
                    SQL(
                        "UPDATE helpdesk_ticket_sla SET state = %s WHERE id = %s",
                        "expired" if line_late else "accomplished",
                        line.id,
                    )
                )
                closed = max(closed, reached)
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET stage_id = %s, unattended = FALSE, closed_date = %s, "
                    "last_stage_update = %s WHERE id = %s",
                    stage_done.id,
                    closed,
                    closed,
                    ticket.id,
                )
            )
            if rng.random() < 0.6:
                value = int(
                    rng.choice(
                        [5, 4, 3, 2, 1],
                        p=[0.45, 0.3, 0.1, 0.1, 0.05] if not late else [0.15, 0.25, 0.2, 0.25, 0.15],
                    )
                )
                ratings.append(
                    {
                        "res_model_id": model.id,
                        "res_id": ticket.id,
                        "rating": value,
                        "consumed": True,
                        "rated_on": closed,
                        "partner_id": ticket.partner_id.id,
                        "rated_partner_id": ticket.user_id.partner_id.id,
                    }
                )
        Rating.create(ratings)
        old.invalidate_recordset()
        old.ticket_sla_ids.invalidate_recordset()
        old._crm_update_sla_status()

    def _demo_service_recovery(self, company, tickets, rng):
        """Complaints of customers with a delivered and invoiced order get a credit note (and a return
        for half of them), through the service recovery wizard."""
        complaints = tickets.filtered(lambda t: t.case_kind == "complaint")
        orders = self.env["sale.order"].search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", complaints.commercial_partner_id.ids),
                ("state", "=", "sale"),
                ("invoice_ids.state", "=", "posted"),
                ("picking_ids.state", "=", "done"),
            ]
        )
        used = set()
        for ticket in complaints:
            order = orders.filtered(
                lambda o, t=ticket: (
                    o.partner_id.commercial_partner_id == t.commercial_partner_id and o.id not in used
                )
            )[:1]
            if not order:
                continue
            used.add(order.id)
            invoice = order.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )[:1]
            ticket.write(
                {
                    "sale_order_id": order.id,
                    "invoice_id": invoice.id,
                    "product_id": invoice.invoice_line_ids.product_id[:1].id,
                    "resolution_summary": self.env._("Credit note issued for the damaged unit."),
                }
            )
            wizard = self.env["crm.service.recovery.wizard"].create(
                {"ticket_id": ticket.id, "return_goods": bool(rng.random() < 0.5)}
            )
            creditable = wizard.credit_line_ids.filtered(lambda line: line.available_qty >= 1)[:1]
            if not creditable:
                continue
            creditable.quantity = 1.0
            if wizard.return_goods:
                returnable = wizard.return_line_ids.filtered(lambda line: line.available_qty >= 1)[:1]
                if returnable:
                    returnable.quantity = 1.0
                else:
                    wizard.return_goods = False
            wizard.action_apply()
