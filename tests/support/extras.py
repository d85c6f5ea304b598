"""Packages of the test extras that check our files against other projects' own code or data (sssom-py,
Biolink's model): missing, they are a skip on a developer's machine and a failure in CI (``CI=true``), so that
a missing install step cannot hide behind a skip."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def require_module(name: str, why: str) -> ModuleType:
    """The module ``name`` of the test extras; skip (or fail in CI) when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        message = f"{name} is not installed ({why}); pip install '.[test]' installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
