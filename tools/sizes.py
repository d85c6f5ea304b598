"""List modules over 400 lines and functions over 60 lines (the house limits; data tables aside).

python tools/sizes.py [ROOT]      # exit 1 when something is over
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 60
SKIP = {".venv", "tests", "bench", "tools", "dev", ".git"}


def over(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        if SKIP & set(path.relative_to(root).parts):
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + 1
        rel = path.relative_to(root)
        if lines > MODULE_LINES:
            out.append(f"{rel}: {lines} lines (module)")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > FUNCTION_LINES:
                    out.append(f"{rel}:{node.lineno}: {node.name} {n} lines (function)")
    return out


def main(argv: list[str]) -> int:
    found = over(Path(argv[0]) if argv else Path(__file__).resolve().parents[1])
    print("\n".join(found) or "all within the limits")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
