import base64

from odoo import api, fields, models


class CrmSuiteExport(models.Model):
    """A generated file waiting to be downloaded by the user who asked for it.

    Files are kept one day (autovacuum) and only their creator can read them (record rule).
    """

    _name = "crm.suite.export"
    _description = "CRM Intelligence export"
    _order = "id desc"

    name = fields.Char(string="File Name", required=True)
    data = fields.Binary(string="File", attachment=True, required=True)
    mimetype = fields.Char(
        default="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required=True
    )

    def download(self, filename, data_bytes, mimetype=None):
        """Store ``data_bytes`` and return the action that downloads it through the export route."""
        vals = {"name": filename, "data": base64.b64encode(data_bytes)}
        if mimetype:
            vals["mimetype"] = mimetype
        export = self.create(vals)
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_suite/export/{export.id}",
            "target": "self",
        }

    @api.autovacuum
    def _gc_exports(self):
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        self.sudo().search([("create_date", "<", limit)]).unlink()
