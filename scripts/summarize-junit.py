#!/usr/bin/python3
"""Adds up JUnit XML reports (lit, ctest, pytest) into one summary line.

Prints "N passed, N failed, N skipped" and exits 1 when anything failed or a
report is missing or unreadable (a suite that did not run is a failure).
"""

import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(paths):
    totals = [0, 0, 0]
    broken = 0
    for path in paths:
        try:
            for i, n in enumerate(count(path)):
                totals[i] += n
        except (OSError, ET.ParseError) as error:
            print(f"summarize-junit: {path}: {error}", file=sys.stderr)
            broken += 1
    passed, failed, skipped = totals
    failed += broken
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
