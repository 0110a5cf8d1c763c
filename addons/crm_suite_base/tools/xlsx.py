"""In-memory Excel workbooks with the suite's house style and native Excel charts (xlsxwriter)."""

import dataclasses
import datetime
import io
import math
import re

import xlsxwriter

KINDS = ("text", "int", "float", "money", "percent", "date")
CHART_TYPES = ("column", "bar", "line", "pie", "doughnut", "radar", "area", "scatter")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclasses.dataclass(frozen=True)
class TableRef:
    """Where a table landed: zero-based rows/columns of its data (header excluded)."""

    sheet: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int

    def column(self, index):
        """``(sheet, col, first_row, last_row)`` of the table's column ``index``, for charts."""
        return (self.sheet, self.first_col + index, self.first_row, self.last_row)


class XlsxReport:
    """A workbook built in memory.

    >>> report = XlsxReport()
    >>> ref = report.add_table("Customers", [("Name", "text"), ("Value", "money")], [("A", 1.0)])
    >>> report.add_chart("Customers", "column", "Value", ref.column(0), [("Value", ref.column(1))])
    >>> data = report.to_bytes()
    """

    def __init__(self, currency_symbol=""):
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        self._sheets = {}
        self._next_row = {}
        money = f'#,##0.00 "{currency_symbol}"' if currency_symbol else "#,##0.00"
        add = self.workbook.add_format
        self.styles = {
            "title": add({"bold": True, "font_size": 14, "font_color": "#1F3864"}),
            "header": add({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1,
                           "text_wrap": True, "valign": "vcenter"}),
            "text": add({}),
            "int": add({"num_format": "#,##0"}),
            "float": add({"num_format": "#,##0.00"}),
            "money": add({"num_format": money}),
            "percent": add({"num_format": "0.0%"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "label": add({"bold": True}),
        }

    def sheet(self, name):
        """The worksheet called ``name`` (created on first use; Excel limits names to 31 characters)."""
        name = _BAD_SHEET_CHARS.sub("-", str(name)).strip("'")[:31] or "Sheet"
        if name not in self._sheets:
            self._sheets[name] = self.workbook.add_worksheet(name)
            self._next_row[name] = 0
        return self._sheets[name]

    def _write(self, ws, row, col, value, kind):
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()  # numpy scalar -> Python (datetime64[D] -> datetime.date)
        if value is None or value is False or (isinstance(value, float) and not math.isfinite(value)):
            ws.write_blank(row, col, None, self.styles[kind])
        elif kind == "date" and isinstance(value, (datetime.date, datetime.datetime)):
            ws.write_datetime(row, col, datetime.datetime.combine(value, datetime.time())
                              if not isinstance(value, datetime.datetime) else value, self.styles[kind])
        elif kind in ("int", "float", "money", "percent"):
            ws.write_number(row, col, float(value), self.styles[kind])
        else:
            ws.write_string(row, col, str(value), self.styles[kind])

    def add_summary(self, sheet_name, title, items):
        """Write ``title`` then ``(label, value, kind)`` pairs, one per row."""
        ws = self.sheet(sheet_name)
        row = self._next_row[ws.name]
        ws.write_string(row, 0, title, self.styles["title"])
        row += 2
        for label, value, kind in items:
            ws.write_string(row, 0, label, self.styles["label"])
            self._write(ws, row, 1, value, kind)
            row += 1
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 18)
        self._next_row[ws.name] = row + 1
        return row

    def add_table(self, sheet_name, columns, rows, title=None):
        """Write a table with a styled header, typed cells, autofilter and frozen header.

        :param columns: list of ``(label, kind)``, kind in :data:`KINDS`
        :param rows: iterable of sequences aligned with ``columns``
        :rtype: TableRef
        """
        for _label, kind in columns:
            if kind not in KINDS:
                raise ValueError(f"unknown column kind {kind!r}; expected one of {KINDS}")
        ws = self.sheet(sheet_name)
        row = self._next_row[ws.name]
        if title:
            ws.write_string(row, 0, title, self.styles["title"])
            row += 2
        header_row = row
        for col, (label, _kind) in enumerate(columns):
            ws.write_string(header_row, col, label, self.styles["header"])
            ws.set_column(col, col, max(12, min(40, len(label) + 4)))
        row = header_row + 1
        for values in rows:
            for col, (_label, kind) in enumerate(columns):
                self._write(ws, row, col, values[col], kind)
            row += 1
        last_row = max(row - 1, header_row + 1)
        ws.autofilter(header_row, 0, last_row, len(columns) - 1)
        if header_row == 0:
            ws.freeze_panes(1, 0)
        self._next_row[ws.name] = row + 2
        return TableRef(ws.name, header_row + 1, last_row, 0, len(columns) - 1)

    def add_chart(self, sheet_name, chart_type, title, categories, series, anchor="H2", y_title=None):
        """Insert a native Excel chart.

        :param chart_type: column, bar, line, pie, radar, area or scatter
        :param categories: ``(sheet, col, first_row, last_row)``
        :param series: list of ``(name, (sheet, col, first_row, last_row))``
        """
        if chart_type not in CHART_TYPES:
            raise ValueError(f"unknown chart type {chart_type!r}; expected one of {CHART_TYPES}")
        if not series:
            raise ValueError("a chart needs at least one series")
        chart = self.workbook.add_chart({"type": chart_type})
        for name, (sheet, col, first_row, last_row) in series:
            cat_sheet, cat_col, cat_first, cat_last = categories
            chart.add_series({
                "name": name,
                "categories": [cat_sheet, cat_first, cat_col, cat_last, cat_col],
                "values": [sheet, first_row, col, last_row, col],
            })
        chart.set_title({"name": title})
        if y_title and chart_type not in ("pie", "radar"):
            chart.set_y_axis({"name": y_title})
        chart.set_size({"width": 640, "height": 360})
        self.sheet(sheet_name).insert_chart(anchor, chart)
        return chart

    def to_bytes(self):
        """Close the workbook and return the .xlsx file content."""
        if not self._sheets:
            self.sheet("Sheet1")
        self.workbook.close()
        return self._buffer.getvalue()
