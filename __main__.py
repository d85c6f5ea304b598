"""``python -m livertox_kg``: the ``livertox-kg`` command."""

import sys

from livertox_kg.cli import main

sys.exit(main())
