import base64

from odoo import http
from odoo.http import content_disposition, request


class CrmSuiteExportController(http.Controller):
    @http.route("/crm_suite/export/<int:export_id>", type="http", auth="user", methods=["GET"], readonly=True)
    def crm_suite_export(self, export_id):
        """Send an export file to its creator, a member of the Intelligence groups; 404 to anyone else."""
        if not request.env.user.has_group("crm_suite_base.group_crm_intelligence_user"):
            raise request.not_found()
        # The record rule restricts exports to their creator: search, not browse, to apply it.
        export = request.env["crm.suite.export"].search([("id", "=", export_id)], limit=1)
        if not export:
            raise request.not_found()
        data = base64.b64decode(export.data or b"")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", export.mimetype),
                ("Content-Length", str(len(data))),
                ("Content-Disposition", content_disposition(export.name)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
