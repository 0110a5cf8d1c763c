import base64
import os

from odoo import api, fields, models
from odoo.exceptions import UserError

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmSuiteExport(models.Model):
    """A generated file waiting to be downloaded by the user who asked for it.

    Files are kept one day (autovacuum) and only their creator can read them (record rule); the
    route ``/crm_suite/export/<id>`` sends them to the users with access to the exports only.
    """

    _name = "crm.suite.export"
    _description = "CRM Intelligence export"
    _order = "id desc"

    name = fields.Char(string="File Name", required=True)
    data = fields.Binary(string="File", attachment=True, required=True)
    mimetype = fields.Char(default=XLSX_MIMETYPE, required=True)

    def download(self, filename, data_bytes, mimetype=None, close_dialog=False):
        """Store ``data_bytes`` and return the ``ir.actions.act_url`` that downloads it.

        :param filename: name offered to the browser (any directory part is dropped)
        :param data_bytes: the file content (``bytes``)
        :param close_dialog: the action also closes the wizard dialog it is returned from
        """
        if not isinstance(data_bytes, (bytes, bytearray)) or not data_bytes:
            raise UserError(self.env._("The file to download is empty."))
        filename = os.path.basename(str(filename or "").replace("\\", "/")).strip()
        if not filename:
            raise UserError(self.env._("The file to download has no name."))
        vals = {"name": filename, "data": base64.b64encode(bytes(data_bytes))}
        if mimetype:
            vals["mimetype"] = mimetype
        export = self.create(vals)
        if close_dialog:
            return {"type": "ir.actions.act_url", "url": f"/crm_suite/export/{export.id}",
                    "target": "new", "close": True}
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_suite/export/{export.id}",
            "target": "self",
        }

    @api.autovacuum
    def _gc_exports(self):
        """Exports are single-use downloads: drop those older than a day."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        self.sudo().search([("create_date", "<", limit)]).unlink()
