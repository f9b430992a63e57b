# Starts the Autobahn|Testsuite fuzzing server (the `wstest -m fuzzingserver` mode) bound to one
# interface, 127.0.0.1 by default: wstest itself listens on all interfaces.
#
# Python 2.7 only (autobahntestsuite 25.10.1). Run by Scripts/autobahn.sh inside the suite's
# virtualenv:
#   python fuzzingserver.py --spec Scripts/autobahn/fuzzingserver.json [--port N] [--cases '1.*,2.*']
#                           [--outdir DIR] [--case-list FILE]
# --port, --cases and --outdir override the spec's url port, case patterns and report directory;
# --case-list writes the selected case IDs, one per line, in the order /runCase?case=N numbers them.
import argparse
import json

# Must come first: installs the best reactor for the platform (epoll), as wstest does.
from autobahntestsuite import choosereactor  # noqa: F401

from twisted.internet import reactor
from autobahn.twisted.websocket import listenWS
from autobahntestsuite.fuzzing import FuzzingServerFactory


def main():
    parser = argparse.ArgumentParser(description="Autobahn fuzzing server on one interface")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--interface", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--cases", help="comma-separated case patterns, e.g. '1.*,9.1.*'")
    parser.add_argument("--outdir")
    parser.add_argument("--case-list")
    args = parser.parse_args()

    with open(args.spec) as f:
        spec = json.load(f)
    if args.port:
        spec["url"] = "ws://%s:%d" % (args.interface, args.port)
    if args.cases:
        spec["cases"] = [pattern.strip() for pattern in args.cases.split(",") if pattern.strip()]
    if args.outdir:
        spec["outdir"] = args.outdir

    factory = FuzzingServerFactory(spec)
    listenWS(factory, interface=args.interface)

    if args.case_list:
        with open(args.case_list, "w") as f:
            for case_id in factory.specCases:
                f.write(case_id + "\n")

    reactor.run()


if __name__ == "__main__":
    main()
