import datetime
import io

import openpyxl

from odoo.tests import TransactionCase, tagged

from ..tools.xlsx import XlsxReport


@tagged("post_install", "-at_install")
class TestXlsx(TransactionCase):
    def test_table_chart_and_summary(self):
        report = XlsxReport(currency_symbol="$")
        report.add_summary("Summary", "Customer value", [("Customers", 2, "int"), ("Revenue", 30.5, "money")])
        ref = report.add_table(
            "Customers",
            [("Name", "text"), ("Since", "date"), ("Revenue", "money"), ("Share", "percent")],
            [("Acme", datetime.date(2024, 1, 2), 20.5, 0.67), ("Beta", None, 10.0, 0.33)],
        )
        self.assertEqual((ref.first_row, ref.last_row), (1, 2))
        report.add_chart("Customers", "column", "Revenue", ref.column(0), [("Revenue", ref.column(2))])
        book = openpyxl.load_workbook(io.BytesIO(report.to_bytes()))
        self.assertEqual(book.sheetnames, ["Summary", "Customers"])
        sheet = book["Customers"]
        self.assertEqual([c.value for c in sheet[1]], ["Name", "Since", "Revenue", "Share"])
        self.assertEqual(sheet["A2"].value, "Acme")
        self.assertEqual(sheet["B2"].value, datetime.datetime(2024, 1, 2))
        self.assertEqual(sheet["C3"].value, 10.0)
        self.assertIsNone(sheet["B3"].value)
        self.assertEqual(len(sheet._charts), 1)
        self.assertEqual(book["Summary"]["B4"].value, 30.5)

    def test_unknown_kind_is_refused(self):
        with self.assertRaises(ValueError):
            XlsxReport().add_table("X", [("A", "money-ish")], [])

    def test_bad_chart_and_sheet_names(self):
        report = XlsxReport()
        ref = report.add_table("Q1/Q2: [draft]?", [("Name", "text"), ("Value", "float")], [("a", 1.5)])
        self.assertEqual(ref.sheet, "Q1-Q2- -draft--")
        with self.assertRaises(ValueError):
            report.add_chart(ref.sheet, "spiral", "X", ref.column(0), [("V", ref.column(1))])
        report.add_chart(ref.sheet, "radar", "Radar", ref.column(0), [("V", ref.column(1))])
        report.add_chart(ref.sheet, "pie", "Pie", ref.column(0), [("V", ref.column(1))], anchor="H20")
        book = openpyxl.load_workbook(io.BytesIO(report.to_bytes()))
        self.assertEqual(len(book[ref.sheet]._charts), 2)
        self.assertEqual(book[ref.sheet]["B2"].value, 1.5)

    def test_currency_position_widths_and_one_autofilter(self):
        """The symbol goes where the currency puts it; columns fit their content; a sheet's single
        autofilter stays on its first table; a matrix keeps blank cells."""
        report = XlsxReport(currency_symbol="$", symbol_position="before")
        long_name = "Very Long Customer Name Incorporated and Partners"
        report.add_table("Sheet", [("Name", "text"), ("Revenue", "money")], [(long_name, 1234.5)])
        report.add_table("Sheet", [("Tier", "text"), ("Count", "int")], [("gold", 3)], title="Tiers")
        report.add_matrix("Cohorts", "Cohorts", "Cohort", ["2024-01", "2024-02"], ["M+00", "M+01"],
                          [[1.0, 0.5], [1.0, float("nan")]],
                          extra_columns=[("Customers", "int", [10, 4])])
        book = openpyxl.load_workbook(io.BytesIO(report.to_bytes()))
        sheet = book["Sheet"]
        self.assertTrue(sheet["B2"].number_format.startswith('"$"'))
        self.assertGreaterEqual(sheet.column_dimensions["A"].width, len(long_name))
        self.assertEqual(sheet.auto_filter.ref, "A1:B2")
        cohorts = book["Cohorts"]
        header = [c.value for c in cohorts[3]]
        self.assertEqual(header, ["Cohort", "Customers", "M+00", "M+01"])
        self.assertEqual([c.value for c in cohorts[5]], ["2024-02", 4, 1.0, None])
        after = XlsxReport(currency_symbol="€", symbol_position="after")
        after.add_table("S", [("Revenue", "money")], [(1.0,)])
        book = openpyxl.load_workbook(io.BytesIO(after.to_bytes()))
        self.assertTrue(book["S"]["A2"].number_format.endswith('"€"'))
