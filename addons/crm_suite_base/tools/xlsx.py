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

    def __init__(self, currency_symbol="", symbol_position="after"):
        """:param symbol_position: ``before`` or ``after`` the amount, as the currency's own
        ``position`` (``$ 1,234.00`` / ``1.234,00 €``)"""
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        self._sheets = {}
        self._next_row = {}
        symbol = str(currency_symbol or "").replace('"', "")
        if not symbol:
            money = "#,##0.00"
        elif symbol_position == "before":
            money = f'"{symbol}" #,##0.00'
        else:
            money = f'#,##0.00 "{symbol}"'
        self._widths = {}
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

    def _fit_column(self, ws, col, text, minimum=12, maximum=60):
        """Widen column ``col`` of ``ws`` to ``text`` (never narrower than before)."""
        width = max(minimum, min(maximum, len(str(text)) + 2))
        key = (ws.name, col)
        if width > self._widths.get(key, 0):
            self._widths[key] = width
            ws.set_column(col, col, width)

    @staticmethod
    def _display_width(value, kind):
        if kind == "date":
            return 10
        if kind in ("int", "float", "money", "percent"):
            return len(f"{value:,.2f}") + 4 if isinstance(value, (int, float)) else 12
        return len(str(value)) if value not in (None, False) else 0

    def add_summary(self, sheet_name, title, items):
        """Write ``title`` then ``(label, value, kind)`` pairs, one per row."""
        ws = self.sheet(sheet_name)
        row = self._next_row[ws.name]
        ws.write_string(row, 0, title, self.styles["title"])
        row += 2
        for label, value, kind in items:
            ws.write_string(row, 0, label, self.styles["label"])
            self._write(ws, row, 1, value, kind)
            self._fit_column(ws, 0, label, minimum=32)
            self._fit_column(ws, 1, "x" * self._display_width(value, kind), minimum=18)
            row += 1
        self._next_row[ws.name] = row + 1
        return row

    def add_table(self, sheet_name, columns, rows, title=None, autofilter=None):
        """Write a table with a styled header, typed cells and columns as wide as their content.

        :param columns: list of ``(label, kind)``, kind in :data:`KINDS`
        :param rows: iterable of sequences aligned with ``columns``
        :param autofilter: add the filter buttons to the header (a worksheet holds one autofilter:
            by default only the first table of a sheet, which also gets a frozen header, has it)
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
        widths = [len(label) + 2 for label, _kind in columns]
        for col, (label, _kind) in enumerate(columns):
            ws.write_string(header_row, col, label, self.styles["header"])
        row = header_row + 1
        for values in rows:
            for col, (_label, kind) in enumerate(columns):
                self._write(ws, row, col, values[col], kind)
                widths[col] = max(widths[col], self._display_width(values[col], kind))
            row += 1
        for col, width in enumerate(widths):
            self._fit_column(ws, col, "x" * width)
        last_row = max(row - 1, header_row + 1)
        if autofilter is None:
            autofilter = header_row == 0
        if autofilter:
            ws.autofilter(header_row, 0, last_row, len(columns) - 1)
        if header_row == 0:
            ws.freeze_panes(1, 0)
        self._next_row[ws.name] = row + 2
        return TableRef(ws.name, header_row + 1, last_row, 0, len(columns) - 1)

    def add_matrix(self, sheet_name, title, corner, row_labels, col_labels, values, kind="percent",
                   row_kind="text", extra_columns=()):
        """Write a cross table (a cohort triangle, a 2x2 matrix): one row per ``row_labels`` entry,
        one column per ``col_labels`` entry; NaN / None cells stay blank.

        :param values: rows x columns numbers
        :param extra_columns: ``(label, kind, values per row)`` written before the matrix columns
        :rtype: TableRef
        """
        columns = [(corner, row_kind), *((label, k) for label, k, _v in extra_columns),
                   *((str(label), kind) for label in col_labels)]
        rows = [
            (label, *(extra[2][i] for extra in extra_columns), *values[i])
            for i, label in enumerate(row_labels)
        ]
        return self.add_table(sheet_name, columns, rows, title=title)

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
