"""Import this checkout as the package ``livertox_kg`` without installing it: ``PYTHONPATH=dev``.

The repository root *is* the package (its folders are the pipeline's stages; the wheel puts them under
``livertox_kg/``), but a checkout folder is not named ``livertox_kg``, so Python cannot import it by that name
from the source tree. This stand-in replaces itself, while it is being imported, by the package of the
checkout's root (``__init__.py`` there, subpackages found there), so that code, tests and resources are those
of the working tree. Nothing is copied or linked. ``tests/conftest.py`` puts ``dev/`` first on ``sys.path``.
"""

import importlib.util
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(__name__, _ROOT / "__init__.py", submodule_search_locations=[str(_ROOT)])
assert _spec is not None and _spec.loader is not None
_package = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _package
_spec.loader.exec_module(_package)
