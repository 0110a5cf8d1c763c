import base64

from odoo import http
from odoo.http import content_disposition, request


class CrmSuiteExportController(http.Controller):
    @http.route("/crm_suite/export/<int:export_id>", type="http", auth="user", methods=["GET"], readonly=True)
    def crm_suite_export(self, export_id):
        """Send an export file to its creator, a user with access to the exports (the Intelligence
        groups, and the groups the suite's addons grant it to); 404 to anyone else."""
        if not request.env["crm.suite.export"].has_access("read"):
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
