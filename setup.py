"""Build hook: the wheel carries the top-level ``templates/``, ``static/`` and ``locales/``.

An installed wheel has no checkout around it, so ``build_py`` copies the two folders into
the built package as ``translator/templates`` and ``translator/static``, and compiles the
committed ``locales/*/LC_MESSAGES/*.po`` into ``translator/locales/.../*.mo`` (the ``.mo``
files are never committed). ``translator.app.asset_root`` looks there first, then at the
top of the checkout (an editable install, which this hook leaves alone). Everything else
about the package is in pyproject.toml; MANIFEST.in puts the folders in the sdist.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithAssets(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's own folders are read in place
            return
        package = Path(self.build_lib) / "translator"
        for name in ("templates", "static", "locales"):
            shutil.rmtree(package / name, ignore_errors=True)  # nothing left from a past build
        for name in ("templates", "static"):
            shutil.copytree(HERE / name, package / name)
        for po_path in sorted(HERE.glob("locales/*/LC_MESSAGES/*.po")):
            mo_path = package / po_path.relative_to(HERE).with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)  # fuzzy entries left out, as `pybabel compile`


setup(cmdclass={"build_py": BuildWithAssets})
