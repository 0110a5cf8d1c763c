from odoo import fields, models

AGENT_EVENT_SELECTION = [
    ("agent_login", "Logged In"),
    ("agent_logout", "Logged Out"),
    ("agent_pause", "Paused"),
    ("agent_unpause", "Back from Pause"),
]


class CrmServiceAgentEvent(models.Model):
    """An agent's log-in, log-out or pause as the PBX reported it through the CTI webhook, kept raw;
    each (company, PBX agent, event id) once. The agents' available time, and so the occupancy, is
    read from them (``crm_callcenter.available_periods``)."""

    _name = "crm.service.agent.event"
    _description = "Agent event"
    _order = "occurred_at desc, id desc"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    pbx_agent = fields.Char(string="PBX Agent", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True, index="btree_not_null")
    pbx_event_id = fields.Char(string="PBX Event ID", required=True, readonly=True)
    event_type = fields.Selection(AGENT_EVENT_SELECTION, string="Event", required=True, readonly=True)
    occurred_at = fields.Datetime(string="Occurred", required=True, readonly=True)
    received_at = fields.Datetime(string="Received", required=True, readonly=True)
    payload = fields.Text(string="Raw Event", readonly=True, help="The event exactly as the PBX sent it.")

    _pbx_event_uniq = models.UniqueIndex(
        "(company_id, pbx_agent, pbx_event_id)", "The PBX sent this agent event already."
    )
    _agent_time_idx = models.Index("(company_id, pbx_agent, occurred_at)")
