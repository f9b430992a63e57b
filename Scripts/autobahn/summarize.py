#!/usr/bin/env python3
"""Summarises an Autobahn|Testsuite client report (index.json) per case group.

Usage: summarize.py REPORT_DIR AGENT [--markdown]

Prints one row per group (1.* ... 13.*) with the number of cases in each outcome, then the
cases that are not OK with the suite's reasons. Exits 1 when any case FAILED, 2 when the
report has no results for AGENT.

Outcome of a case, from its "behavior" and "behaviorClose":
  OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED  as the suite reports the behaviour, except that
  a close the suite marks FAILED or UNCLEAN makes the case FAILED, and a close with an
  unexpected code (WRONG CODE) makes an OK case NON-STRICT;
  FAILED                                        every other behaviour (FAILED, NO_CLOSE, ...).
"""
import json
import os
import sys

COLUMNS = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"]


def outcome(result):
    behavior = result.get("behavior")
    close = result.get("behaviorClose")
    if behavior == "UNIMPLEMENTED":
        return "UNIMPLEMENTED"
    if behavior not in ("OK", "NON-STRICT", "INFORMATIONAL"):
        return "FAILED"
    if close in ("FAILED", "UNCLEAN"):
        return "FAILED"
    if behavior == "OK" and close == "WRONG CODE":
        return "NON-STRICT"
    return behavior


def case_key(case_id):
    return tuple(int(part) for part in case_id.split("."))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    report_dir, agent = argv[1], argv[2]
    markdown = "--markdown" in argv[3:]
    with open(os.path.join(report_dir, "index.json")) as f:
        index = json.load(f)
    results = index.get(agent)
    if not results:
        sys.stderr.write("no results for agent %r in %s\n" % (agent, report_dir))
        return 2

    groups = {}
    notable = []
    for case_id in sorted(results, key=case_key):
        result = results[case_id]
        kind = outcome(result)
        group = case_id.split(".")[0]
        groups.setdefault(group, dict.fromkeys(COLUMNS, 0))[kind] += 1
        if kind in ("FAILED", "NON-STRICT"):
            detail = ""
            report_file = result.get("reportfile")
            if report_file and os.path.exists(os.path.join(report_dir, report_file)):
                with open(os.path.join(report_dir, report_file)) as f:
                    case = json.load(f)
                detail = "%s / %s" % (case.get("result", ""), case.get("resultClose", ""))
            notable.append((case_id, kind, result.get("behavior"), result.get("behaviorClose"),
                            result.get("remoteCloseCode"), detail))

    totals = dict.fromkeys(COLUMNS, 0)
    rows = []
    for group in sorted(groups, key=int):
        counts = groups[group]
        for column in COLUMNS:
            totals[column] += counts[column]
        rows.append(["%s.*" % group] + [counts[column] for column in COLUMNS])
    rows.append(["total"] + [totals[column] for column in COLUMNS])

    header = ["group"] + COLUMNS
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * len(COLUMNS)) + "|")
        for row in rows:
            cells = [str(cell) for cell in row]
            if row[0] == "total":
                cells = ["**%s**" % cell for cell in cells]
            print("| " + " | ".join(cells) + " |")
    else:
        widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
        print("  ".join(str(cell).rjust(width) for cell, width in zip(header, widths)))
        for row in rows:
            print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths)))

    if notable:
        print("")
        for case_id, kind, behavior, close, code, detail in notable:
            print("%s %s (behavior %s, close %s, close code %s): %s" % (kind, case_id, behavior, close, code, detail))

    return 1 if totals["FAILED"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
