from importlib import metadata
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.modules.module import Manifest
from odoo.tests import TransactionCase, tagged

ENGINES = "crm-intelligence-engines"
SUITE_ADDONS = (
    "crm_suite_base", "crm_lifecycle_value", "crm_mining_segmentation", "crm_suite", "crm_suite_demo",
)
REAL_VERSION = metadata.version


def _without_engines(name):
    """importlib.metadata.version as in a Python where the engines are not installed."""
    if name == ENGINES:
        raise metadata.PackageNotFoundError(name)
    return REAL_VERSION(name)


@tagged("post_install", "-at_install")
class TestDeclaredDependencies(TransactionCase):
    def test_engines_declared_where_imported(self):
        """Addons running an engine declare the engine distribution; the others do not need it."""
        declared = {
            name: Manifest.for_addon(name)["external_dependencies"].get("python", [])
            for name in SUITE_ADDONS
        }
        self.assertTrue(any(dep.startswith(ENGINES) for dep in declared["crm_lifecycle_value"]))
        self.assertTrue(any(dep.startswith(ENGINES) for dep in declared["crm_mining_segmentation"]))
        self.assertFalse(any(dep.startswith(ENGINES) for dep in declared["crm_suite_base"]))

    def test_install_without_engines_is_refused_with_odoo_message(self):
        """In an Odoo whose Python lacks the engines, installing fails up front with Odoo's message."""
        Module = self.env["ir.module.module"]
        Module.check_external_dependencies("crm_lifecycle_value")  # met here
        with patch("importlib.metadata.version", _without_engines):
            with self.assertRaisesRegex(UserError, f"external dependency is not met: {ENGINES}"):
                Module.check_external_dependencies("crm_lifecycle_value")
            # the base addon runs no engine: it installs without them
            Module.check_external_dependencies("crm_suite_base")
