from odoo import fields, models


class CrmServiceStaffingLine(models.Model):
    """One interval of a staffing plan: the forecast calls and the agents they need."""

    _name = "crm.service.staffing.line"
    _description = "Staffing plan interval"
    _order = "plan_id, interval_start"

    plan_id = fields.Many2one("crm.service.staffing.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    team_id = fields.Many2one(related="plan_id.team_id", store=True)
    interval_start = fields.Datetime(string="Interval", required=True)
    day = fields.Date(required=True, help="The day in the queue's time zone.")
    time_slot = fields.Char(
        string="Time", required=True, help="The interval's start in the queue's time zone."
    )
    forecast_calls = fields.Float(digits=(16, 1))
    agents = fields.Integer(string="Agents on the Phones")
    scheduled = fields.Integer(string="Agents to Schedule", help="Agents on the phones / (1 - shrinkage).")
    service_level = fields.Float(string="Service Level (%)", digits=(16, 1), aggregator="avg")
    asa = fields.Float(string="ASA (s)", digits=(16, 1), aggregator="avg", help="Average speed of answer.")
    occupancy = fields.Float(string="Occupancy (%)", digits=(16, 1), aggregator="avg")
    p_abandon = fields.Float(string="Abandonment (%)", digits=(16, 1), aggregator="avg")
