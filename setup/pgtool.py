"""Small PostgreSQL helper of the setup scripts (psycopg2, libpq PG* environment variables).

pgtool.py ping                    exit 0 when we may connect and create databases
pgtool.py exists DB               exit 0 when database DB exists
pgtool.py module-state DB MODULE  print the ir_module_module state of MODULE in DB ('' if none)
pgtool.py drop DB [FILESTORE]     drop DB (terminating its connections) and its filestore dir
pgtool.py list PREFIX             print the databases whose name starts with PREFIX
"""

import shutil
import sys
from pathlib import Path

import psycopg2
from psycopg2 import sql


def connect(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname, connect_timeout=10)
    conn.autocommit = True
    return conn


def cmd_ping():
    try:
        with connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT rolsuper OR rolcreatedb, current_user FROM pg_roles WHERE rolname = current_user"
            )
            row = cr.fetchone()
            cr.execute("SHOW server_version_num")
            version = int(cr.fetchone()[0])
    except psycopg2.Error as exc:
        print(f"cannot connect: {str(exc).strip()}", file=sys.stderr)
        return 1
    if not row or not row[0]:
        print(f"role {row[1] if row else '?'} may not create databases", file=sys.stderr)
        return 1
    if version < 130000:
        print(f"PostgreSQL {version} is too old: 13 or newer is required", file=sys.stderr)
        return 1
    print(f"ok {row[1]} {version}")
    return 0


def db_exists(cr, name):
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    return cr.fetchone() is not None


def cmd_exists(name):
    with connect() as conn, conn.cursor() as cr:
        return 0 if db_exists(cr, name) else 1


def cmd_module_state(name, module):
    with connect() as conn, conn.cursor() as cr:
        if not db_exists(cr, name):
            return 0
    try:
        with connect(name) as conn, conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if cr.fetchone()[0]:
                cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (module,))
                row = cr.fetchone()
                if row:
                    print(row[0])
    except psycopg2.Error as exc:
        print(f"cannot read {name}: {str(exc).strip()}", file=sys.stderr)
    return 0


def cmd_drop(name, filestore=None):
    conn = connect()
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    if filestore:
        path = Path(filestore) / "filestore" / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    return 0


def cmd_list(prefix):
    with connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY 1", (prefix,))
        for (name,) in cr.fetchall():
            print(name)
    return 0


def main(argv):
    commands = {
        "ping": (cmd_ping, 0),
        "exists": (cmd_exists, 1),
        "module-state": (cmd_module_state, 2),
        "drop": (cmd_drop, 1),
        "list": (cmd_list, 1),
    }
    if not argv or argv[0] not in commands or len(argv) - 1 < commands[argv[0]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    func, _nargs = commands[argv[0]]
    try:
        return func(*argv[1:])
    except psycopg2.Error as exc:
        print(f"pgtool {argv[0]}: {str(exc).strip()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
