#!/usr/bin/env python3
"""The hot-text layout of a release qlp (scripts/release-flags): two commands.

  hot_text.py order BINARY FIRST.callgrind... -- SECOND.callgrind...
      Prints a linker symbol ordering file (Release/hot-text.order, for lld's
      --symbol-ordering-file) from callgrind outputs of BINARY (scripts/hot-text):
      every function of BINARY that ran in any of them, those that ran in both
      groups first, then those of the first group only, then those of the
      second only; within each, the most executed first. Only names BINARY
      defines as code are kept (callgrind names code it cannot place by address).

  hot_text.py check BINARY
      Prints where in BINARY's code the functions Release/hot-text.order
      names lie. Exits 1 when 90 % of them are not in the first half of its
      .text (laid out, they are in the first third): the build did not take the release
      flags, typically objects compiled before -function-sections was among
      them (SwiftPM does not recompile when only -Xswiftc flags change: remove
      .build/<triple>/release and build again). scripts/release refuses such a
      binary; the benchmarks print the line with their figures.
"""
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ORDER = Path(__file__).resolve().parent.parent / "Release" / "hot-text.order"
RECURSION_SUFFIX = re.compile(r"'\d+$")  # callgrind names recursion levels f'2, f'3


def code_symbols(binary):
    """Address and size of each function BINARY defines, by symbol name."""
    symbols = {}
    nm = subprocess.run(["nm", "-S", "--defined-only", str(binary)], capture_output=True, text=True, check=True).stdout
    for line in nm.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[2] in "Tt":
            symbols[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    return symbols


def executed(path, binary):
    """Self cost (instructions) per function of `binary` in one callgrind output."""
    costs = Counter()
    in_binary = False
    function = None
    skip_call_cost = False
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("ob="):
                in_binary = Path(line[3:].strip()).resolve() == binary
            elif line.startswith("fn="):
                function = RECURSION_SUFFIX.sub("", line[3:].strip()) if in_binary else None
                if function is not None:
                    costs[function] += 0
            elif line.startswith("calls="):
                skip_call_cost = True  # the next cost line is the callee's inclusive cost
            elif line[:1].isdigit() or line[:1] in "+-*":
                if skip_call_cost:
                    skip_call_cost = False
                elif function is not None:
                    costs[function] += int(line.split()[-1])
    return costs


def order(args):
    if len(args) < 4 or "--" not in args:
        sys.exit(__doc__)
    binary = Path(args[0]).resolve()
    split = args.index("--")
    first, second = Counter(), Counter()
    for path in args[1:split]:
        first.update(executed(path, binary))
    for path in args[split + 1:]:
        second.update(executed(path, binary))
    if not first or not second:
        sys.exit(f"no function of {binary} in one of the groups: is it the binary that ran?")
    known = code_symbols(binary)
    both = first.keys() & second.keys()
    groups = [
        sorted(both, key=lambda f: -(first[f] + second[f])),
        sorted(first.keys() - both, key=lambda f: -first[f]),
        sorted(second.keys() - both, key=lambda f: -second[f]),
    ]
    for group in groups:
        for function in group:
            if function in known:
                print(function)


def check(args):
    if len(args) != 1:
        sys.exit(__doc__)
    binary = args[0]
    listed = [line.strip() for line in ORDER.read_text().splitlines() if line.strip()]
    text = None
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+\.text\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if match:
            text = (int(match.group(1), 16), int(match.group(2), 16))
    if text is None:
        sys.exit(f"{binary}: no .text section")
    symbols = code_symbols(binary)
    offsets = sorted(symbols[name][0] - text[0] for name in listed if name in symbols)
    if not offsets:
        sys.exit(f"{binary}: none of the {len(listed)} functions of {ORDER.name} (stripped, or another program?)")
    # Laid out, the listed functions share the first third or so of .text with
    # what their objects could not split off; scattered, they spread over it all.
    p90 = offsets[len(offsets) * 9 // 10]
    share = p90 / text[1]
    print(f"hot text: 90 % of the {len(offsets)} listed functions the binary holds lie in the first "
          f"{p90 / 1048576:.1f} MB of its {text[1] / 1048576:.1f} MB of code ({share:.0%}; "
          f"{len(listed) - len(offsets)} listed functions not in it)")
    if share > 0.5:
        print("hot text: the layout did not take effect: was the binary built with scripts/release-flags, "
              "from objects compiled with them? (remove .build/<triple>/release and build again)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    commands = {"order": order, "check": check}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
