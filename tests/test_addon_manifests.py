"""Static checks of the addons' manifests: every third-party package an addon imports is declared in
its ``external_dependencies`` (PEP 508 distribution names), so Odoo refuses to install the addon in
a Python that lacks it instead of failing at the first refresh."""

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = REPO / "addons"
ENGINE_PACKAGES = {"crm_lifecycle", "crm_mining", "crm_capability", "crm_callcenter"}
ENGINE_DISTRIBUTION = "crm-intelligence-engines"


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec):
    return _normalize(re.split(r"[\s<>=!~;\[(]", spec.strip(), maxsplit=1)[0])


def _manifests():
    for path in sorted(ADDONS.glob("*/__manifest__.py")):
        yield path.parent.name, ast.literal_eval(path.read_text(encoding="utf-8"))


def _imported_top_levels(addon_dir):
    """Top-level names of the absolute imports in the addon's code (tests excluded: they run in an
    Odoo that already has its own requirements, such as openpyxl)."""
    names = set()
    for path in addon_dir.rglob("*.py"):
        if "tests" in path.relative_to(addon_dir).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"odoo", "psycopg2", "markupsafe", "dateutil", "lxml",
                                                    "werkzeug", "babel", "pytz"}


def _distribution_of(top_level):
    if top_level in ENGINE_PACKAGES:
        return ENGINE_DISTRIBUTION
    dists = metadata.packages_distributions().get(top_level)
    return _normalize(dists[0]) if dists else _normalize(top_level)


ADDON_MANIFESTS = pytest.mark.parametrize(("name", "manifest"), list(_manifests()),
                                          ids=lambda v: v if isinstance(v, str) else "")


def _python_deps(manifest):
    return manifest.get("external_dependencies", {}).get("python", [])


@ADDON_MANIFESTS
def test_imports_are_declared(name, manifest):
    declared = {_requirement_name(spec) for spec in _python_deps(manifest)}
    missing = {_distribution_of(top) for top in _imported_top_levels(ADDONS / name)} - declared
    assert not missing, f"{name} imports {sorted(missing)} without declaring them in external_dependencies"


@ADDON_MANIFESTS
def test_declared_dependencies_are_installable_names(name, manifest):
    """Each declared name is a distribution installed here (a module name would only warn in Odoo)."""
    for spec in _python_deps(manifest):
        metadata.version(_requirement_name(spec))


def test_engine_distribution_name_matches_pyproject():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'name = "{ENGINE_DISTRIBUTION}"' in pyproject
