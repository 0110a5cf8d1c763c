"""List the suite's installable addons (every addons/*/__manifest__.py with installable != False).

Usage: python setup/addons.py [ADDONS_DIR] [--tags]
Prints one module name per line, dependencies first (suite-internal depends), ties by name;
with --tags prints the --test-tags value ("/mod_a,/mod_b").
"""

import ast
import sys
from pathlib import Path


def discover(addons_dir):
    modules = {}
    for manifest in sorted(Path(addons_dir).glob("*/__manifest__.py")):
        try:
            data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError) as exc:
            print(f"warning: cannot read {manifest}: {exc}", file=sys.stderr)
            continue
        if not isinstance(data, dict) or not data.get("installable", True):
            continue
        modules[manifest.parent.name] = [d for d in data.get("depends", []) if isinstance(d, str)]
    return modules


def ordered(modules):
    done, result = set(), []

    def visit(name, stack):
        if name in done or name not in modules:
            return
        if name in stack:
            print(f"warning: dependency cycle through {name}", file=sys.stderr)
            return
        for dep in sorted(modules[name]):
            visit(dep, stack | {name})
        done.add(name)
        result.append(name)

    for name in sorted(modules):
        visit(name, frozenset())
    return result


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    addons_dir = args[0] if args else str(Path(__file__).resolve().parent.parent / "addons")
    names = ordered(discover(addons_dir))
    if "--tags" in argv:
        print(",".join(f"/{n}" for n in names))
    else:
        for name in names:
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
