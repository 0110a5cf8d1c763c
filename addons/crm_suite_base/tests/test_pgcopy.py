import datetime

import numpy as np

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.pgcopy import binary_copy_payload, copy_columns, copy_query


@tagged("post_install", "-at_install")
class TestBinaryCopy(TransactionCase):
    """``copy_columns`` against what PostgreSQL reads back from the binary stream."""

    def setUp(self):
        super().setUp()
        self.env.cr.execute(SQL(
            """CREATE TEMPORARY TABLE crm_suite_copy_probe (
                   id serial, i int4, b int8, f float8, flag boolean, day date, code varchar
               ) ON COMMIT DROP"""))

    def _read(self):
        return self.env.execute_query(SQL(
            "SELECT i, b, f, flag, day, code FROM crm_suite_copy_probe ORDER BY id"))

    def test_values_and_nulls_round_trip(self):
        names = ["i", "b", "f", "flag", "day", "code"]
        columns = [
            ("int4", np.array([1, -2, 2**31 - 1, 0])),
            ("int8", [2**40, None, -1, 0]),
            ("float8", np.array([0.1, np.nan, -1e300, np.inf])),
            ("bool", np.array([True, False, True, False])),
            ("date", np.array(["2024-02-29", "NaT", "1999-12-31", "2000-01-01"], dtype="datetime64[D]")),
            ("text", np.array(["decline", None, "", "étape"], dtype=object)),
        ]
        self.assertEqual(copy_columns(self.env.cr, "crm_suite_copy_probe", names, columns), 4)
        self.assertEqual(self._read(), [
            (1, 2**40, 0.1, True, datetime.date(2024, 2, 29), "decline"),
            (-2, None, None, False, None, None),
            (2**31 - 1, -1, -1e300, True, datetime.date(1999, 12, 31), ""),
            (0, 0, None, False, datetime.date(2000, 1, 1), "étape"),
        ])

    def test_column_of_nulls_and_empty_batch(self):
        copy_columns(self.env.cr, "crm_suite_copy_probe", ["i", "f"], [("int4", [7, 8]), ("float8", None)])
        self.assertEqual([row[:3] for row in self._read()], [(7, None, None), (8, None, None)])
        self.assertEqual(copy_columns(self.env.cr, "crm_suite_copy_probe", ["i"], [("int4", [])]), 0)
        empty_stream = b"PGCOPY\n\xff\r\n\x00" + bytes(8) + b"\xff\xff"
        self.assertEqual(binary_copy_payload([("int4", [])]), empty_stream)

    def test_bad_input_is_refused(self):
        cr = self.env.cr
        with self.assertRaises(ValueError):
            copy_columns(cr, "crm_suite_copy_probe", ["i", "f"], [("int4", [1, 2]), ("float8", [1.0])])
        with self.assertRaises(ValueError):
            copy_columns(cr, "crm_suite_copy_probe", ["i"], [("money", [1])])
        with self.assertRaises(ValueError):
            copy_columns(cr, 'crm_suite_copy_probe"; DROP TABLE x; --', ["i"], [("int4", [1])])
        with self.assertRaises(ValueError):
            copy_columns(cr, "crm_suite_copy_probe", ["i", "f"], [("int4", [1])])

    def test_query_columns_decoded(self):
        copy_columns(self.env.cr, "crm_suite_copy_probe", ["i", "b", "f", "flag", "day"], [
            ("int4", [3, -4]), ("int8", [2**40, 5]), ("float8", [1.5, -0.25]), ("bool", [True, False]),
            ("date", np.array(["2000-01-01", "1970-01-02"], dtype="datetime64[D]")),
        ])
        i, b, f, flag, day = copy_query(self.env.cr, SQL(
            "SELECT i, b, f, flag, day FROM crm_suite_copy_probe WHERE i <> %s ORDER BY id", 0),
            ["int4", "int8", "float8", "bool", "date"])
        self.assertEqual(i.tolist(), [3, -4])
        self.assertEqual(b.tolist(), [2**40, 5])
        self.assertEqual(f.tolist(), [1.5, -0.25])
        self.assertEqual(flag.tolist(), [True, False])
        self.assertEqual(day.astype(str).tolist(), ["2000-01-01", "1970-01-02"])
        empty = copy_query(self.env.cr, SQL("SELECT i FROM crm_suite_copy_probe WHERE false"), ["int4"])
        self.assertEqual(len(empty[0]), 0)

    def test_query_refuses_nulls_and_wrong_types(self):
        copy_columns(self.env.cr, "crm_suite_copy_probe", ["i", "f"], [("int4", [1]), ("float8", [np.nan])])
        with self.assertRaises(ValueError):  # NULL float
            copy_query(self.env.cr, SQL("SELECT i, f FROM crm_suite_copy_probe"), ["int4", "float8"])
        with self.assertRaises(ValueError):  # int4 read as int8
            copy_query(self.env.cr, SQL("SELECT i FROM crm_suite_copy_probe"), ["int8"])
