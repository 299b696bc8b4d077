#!/usr/bin/env python3
"""Regenerates operations.tsv (the emulator's operation catalog) from the reference operations.json.

Usage: python3 generate-operations.py [path/to/operations.json]
Default input: ../shared/reference/operations.json beside the repository root.
Each line: <operation name> TAB <throttling level 1-3>; a null level in the JSON means Level 3
(throttling.md: operations missing from the throttling table are treated as the strictest level).
The integration test OperationCatalogTests proves the checked-in file matches the JSON.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
default = os.path.join(here, "..", "..", "..", "..", "shared", "reference", "operations.json")
source = sys.argv[1] if len(sys.argv) > 1 else default
with open(source, encoding="utf-8") as f:
    operations = json.load(f)["operations"]
lines = [f"{op['name']}\t{op['level'] if op['level'] is not None else 3}\n" for op in operations]
with open(os.path.join(here, "operations.tsv"), "w", encoding="utf-8", newline="\n") as f:
    f.write("".join(lines))
print(f"wrote {len(lines)} operations")
