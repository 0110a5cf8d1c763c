"""Shared helpers of the bench scripts that drive Odoo 19 in-process.

* :func:`find_odoo` locates Odoo like ``setup/lib.sh``: ``$ODOO_SRC`` (default ``/opt/odoo/19.0``,
  a source tree with ``odoo-bin``) put first on ``sys.path``, else an importable ``odoo`` package.
* :func:`prepare_database` creates a clean database with an addon installed (no demo data), from
  the template ``crm_tpl_base`` when it exists, else from scratch.
* :func:`odoo_env` yields a superuser ``odoo.api.Environment`` on a database (the incantation of
  ``odoo/cli/shell.py``).
"""

import contextlib
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = REPO / "addons"
TEMPLATE_DB = os.environ.get("CRM_SUITE_TEMPLATE_DB", "crm_tpl_base")


def find_odoo():
    """Return ``(odoo_src, odoo_bin_command)``; make ``import odoo`` work."""
    src = pathlib.Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
    if (src / "odoo-bin").is_file() and (src / "odoo" / "release.py").is_file():
        if str(src) not in sys.path:
            sys.path.insert(0, str(src))
        return src, [sys.executable, str(src / "odoo-bin")]
    try:
        import odoo.release
    except ImportError:
        sys.exit(f"Odoo 19 not found: no odoo-bin in ODOO_SRC={src} and no importable odoo. "
                 "Set ODOO_SRC to an Odoo 19.0 source tree.")
    if odoo.release.version_info[0] != 19:
        sys.exit(f"Odoo {odoo.release.version} found, Odoo 19 is required.")
    return pathlib.Path(odoo.release.__file__).resolve().parent.parent, [sys.executable, "-m", "odoo"]


def addons_path(odoo_src):
    return f"{odoo_src / 'addons'},{ADDONS}"


def _psql(*args):
    return subprocess.run(["psql", "-X", "-Atq", *args], capture_output=True, text=True, check=False)


def database_exists(db):
    out = _psql("-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{db}'")
    return out.stdout.strip() == "1"


def module_installed(db, module):
    out = _psql("-d", db, "-c", f"SELECT state FROM ir_module_module WHERE name = '{module}'").stdout
    return out.strip() == "installed"


def prepare_database(db, module, odoo_src, odoo_cmd, http_port=8171, log=print):
    """(Re)create ``db`` and install ``module`` without demo data."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    if database_exists(TEMPLATE_DB) and not _template_busy():
        log(f"creating {db} from the template {TEMPLATE_DB}")
        subprocess.run(["createdb", "-T", TEMPLATE_DB, db], check=True)
    else:
        log(f"creating {db} from scratch (no template {TEMPLATE_DB})")
        subprocess.run(["createdb", db], check=True)
    log(f"installing {module} in {db}")
    done = subprocess.run([
        *odoo_cmd, f"--addons-path={addons_path(odoo_src)}", "-d", db, "-i", module,
        "--stop-after-init", "--http-port", str(http_port), "--log-level=warn",
    ], capture_output=True, text=True, check=False)
    if done.returncode or not module_installed(db, module):
        sys.exit(f"installing {module} in {db} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def _template_busy():
    out = _psql("-d", "postgres", "-c",
                f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{TEMPLATE_DB}'").stdout.strip()
    return out not in ("", "0")


@contextlib.contextmanager
def odoo_env(db, odoo_src, log_level="warn"):
    """Superuser environment on ``db``; the cursor is committed on success, rolled back on error."""
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path(odoo_src)}", "-d", db, f"--log-level={log_level}"],
                        setup_logging=True)
    registry = Registry(db)
    with registry.cursor() as cr:
        yield api.Environment(cr, api.SUPERUSER_ID, {})
