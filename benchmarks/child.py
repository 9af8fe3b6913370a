"""Entry of a child process: ``python -m benchmarks.child module.function JSON``.

Imports ``benchmarks.<module>``, calls the function with the JSON object as keyword
arguments and prints its result as JSON on the last line of standard output.
"""

from __future__ import annotations

import importlib
import json
import sys


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    module, function = name.rsplit(".", 1)
    result = getattr(importlib.import_module(f"benchmarks.{module}"), function)(**args)
    sys.stdout.flush()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
