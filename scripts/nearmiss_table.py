"""Print the near-miss quality table of docs/glossary.md: recall and precision per language on the
generated test set (tests/nearmiss_helpers.py; tests/test_glossary_nearmiss.py asserts the same
thresholds: recall >= 95%, precision >= 98%).

Usage: python scripts/nearmiss_table.py [--errors]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from nearmiss_helpers import build_test_set, evaluate, table


def main() -> None:
    ts = build_test_set()
    scores, errors = evaluate(ts)
    print(table(scores))
    if "--errors" in sys.argv:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
