"""`python -m sunshine.quality configure`: rewrite the committed GX context from the suites.

Run it after changing a suite (or the contracts it is generated from), then commit
`expectations/gx`; `tests/test_quality_suites.py` fails while the two disagree.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv != ["configure"]:
        print("usage: python -m sunshine.quality configure", file=sys.stderr)
        return 2
    from sunshine.paths import EXPECTATIONS_DIR
    from sunshine.quality.context import configure_context

    made = configure_context()
    print(f"{len(made)} suites, validation definitions and checkpoints in {EXPECTATIONS_DIR}/gx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
