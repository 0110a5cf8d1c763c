"""Every addon ships its translation template (``i18n/<module>.pot``, exported by setup/i18n.sh) and a
complete Simplified Chinese translation (``i18n/zh_CN.po``)."""

from pathlib import Path

import pytest
from babel.messages import pofile

ADDONS = Path(__file__).resolve().parent.parent / "addons"
MODULES = sorted(path.parent.name for path in ADDONS.glob("*/__manifest__.py"))


def _read(path):
    with path.open("rb") as handle:
        return pofile.read_po(handle)


@pytest.mark.parametrize("module", MODULES)
def test_template_and_chinese_translation(module):
    template = ADDONS / module / "i18n" / f"{module}.pot"
    translation = ADDONS / module / "i18n" / "zh_CN.po"
    assert template.is_file(), f"{module} has no i18n/{module}.pot (run ./setup/i18n.sh {module})"
    assert translation.is_file(), f"{module} has no i18n/zh_CN.po"
    catalog = _read(translation)
    translated = {message.id: message for message in catalog if message.id}
    missing = [message.id for message in _read(template) if message.id and (
        message.id not in translated or not translated[message.id].string
        or translated[message.id].fuzzy)]
    assert not missing, f"{module}/i18n/zh_CN.po lacks {len(missing)} translations, e.g. {missing[:3]}"
