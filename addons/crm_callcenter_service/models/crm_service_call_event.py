from odoo import fields, models

EVENT_TYPE_SELECTION = [
    ("ringing", "Ringing"),
    ("answered", "Answered"),
    ("hold", "On Hold"),
    ("unhold", "Off Hold"),
    ("transferred", "Transferred"),
    ("hangup", "Hangup"),
]


class CrmServiceCallEvent(models.Model):
    """A PBX event as received by the CTI webhook, kept raw for audit. Each (call, event id) is stored
    once, whatever the PBX retries (a unique index, written with INSERT ... ON CONFLICT DO NOTHING)."""

    _name = "crm.service.call.event"
    _description = "Call event"
    _order = "occurred_at, id"
    _log_access = False

    call_id = fields.Many2one(
        "crm.service.call", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="call_id.company_id", store=True, index=True)
    pbx_event_id = fields.Char(string="PBX Event ID", required=True, readonly=True)
    event_type = fields.Selection(EVENT_TYPE_SELECTION, string="Event", required=True, readonly=True)
    occurred_at = fields.Datetime(string="Occurred", required=True, readonly=True)
    received_at = fields.Datetime(string="Received", required=True, readonly=True)
    payload = fields.Text(string="Raw Event", readonly=True, help="The event exactly as the PBX sent it.")

    _pbx_event_uniq = models.UniqueIndex("(call_id, pbx_event_id)", "The PBX sent this event already.")
