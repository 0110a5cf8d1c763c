import base64
import io
import zipfile

import openpyxl

from odoo.tests import tagged

from .common import CapabilityTestCommon


@tagged("post_install", "-at_install")
class TestCapabilityXlsx(CapabilityTestCommon):
    """The Excel report of an evaluated assessment (and of a CRM project)."""

    def _download(self, action):
        export_id = int(action["url"].rsplit("/", 1)[1])
        return base64.b64decode(self.env["crm.suite.export"].browse(export_id).data)

    def test_assessment_workbook(self):
        self._opportunities(won=3, lost=1)
        assessment = self._assessment()
        self._collect(assessment)
        assessment.action_evaluate()
        data = self._download(assessment.action_export_xlsx())
        book = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(book.sheetnames, ["Summary", "Indicators", "Dimensions", "Improvement"])
        sheet = book["Indicators"]
        header = [cell.value for cell in sheet[3]]
        self.assertIn("Global Weight", header)
        self.assertIn("Consistency Ratio", header)
        self.assertIn("Excellent", header)
        rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
        score = header.index("Score")
        self.assertAlmostEqual(rows["T.R"][score], 87.5)
        self.assertAlmostEqual(rows["T.D1"][header.index("Excellent")], 0.75)
        self.assertAlmostEqual(rows["T.S1"][header.index("Global Weight")], 0.375)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            charts = [name for name in archive.namelist() if name.startswith("xl/charts/")]
            self.assertEqual(len(charts), 1)
            self.assertIn(b"<c:radarChart>", archive.read(charts[0]))

    def test_project_workbook(self):
        project = self.env["crm.capability.project"].create(
            {
                "name": "Roll-out",
                "years": 1,
                "discount_rate": 10.0,
                "cost_ids": [(0, 0, {"year": 0, "category": "training", "amount": 100.0})],
                "benefit_ids": [(0, 0, {"year": 1, "name": "Sales", "amount": 220.0})],
            }
        )
        book = openpyxl.load_workbook(io.BytesIO(self._download(project.action_export_xlsx())))
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertAlmostEqual(summary["Net Present Value"], -100 + 220 / 1.1)
        self.assertAlmostEqual(summary["Internal Rate of Return"], 1.2)
