#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes docs/properties.md, every element's properties as tables, from the
docs cache (docs/plugins/gst_plugins_cache.json), so the tables never drift
from what gst-inspect-1.0 says.

Usage: properties.py CACHE OUTPUT          write OUTPUT
       properties.py CACHE OUTPUT --check  exit 1 (with a diff) when
                                           OUTPUT is not what CACHE gives
"""
import difflib
import json
import sys

HEADER = """# Element properties

Generated from `docs/plugins/gst_plugins_cache.json` by `docs/properties.py`:
`ninja -C build update-docs-cache update-docs-properties` rewrites both, and
the `docs` test suite fails when either is stale. `gst-inspect-1.0 ELEMENT`
says the same on a machine with the plugins. "Changeable" is the latest
state in which a property may still be set: `null` (before the element
starts), `ready`, `paused`, `playing` (at any time); `-` for read-only
properties.
"""


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def limits(prop):
    if "min" in prop and "max" in prop:
        return f"{prop['min']} - {prop['max']}"
    return ""


def other_type(cache, type_name):
    for plugin in cache.values():
        info = plugin.get("other-types", {}).get(type_name)
        if info is not None:
            return info
    return {}


def table(cache, properties):
    rows = ["| property | type | default | range or values | changeable | meaning |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, prop in sorted(properties.items()):
        values = other_type(cache, prop.get("type", "")).get("values")
        rng = limits(prop) or (", ".join(v["name"] for v in values)
                               if values else "")
        changeable = prop.get("mutable", "null") if prop.get("writable") else "-"
        default = prop.get("default", "")
        rows.append(f"| `{name}` | {cell(prop.get('type', ''))} | "
                    f"{cell(default) if default != '' else '(none)'} | "
                    f"{cell(rng)} | {changeable} | {cell(prop.get('blurb', ''))} |")
    return "\n".join(rows)


def render(cache):
    parts = [HEADER]
    for plugin_name in sorted(cache):
        for element_name, element in sorted(cache[plugin_name]["elements"].items()):
            parts.append(f"## {element_name}\n\n{cell(element.get('description', ''))} "
                         f"(plugin `{plugin_name}`)\n\n"
                         f"{table(cache, element.get('properties', {}))}\n")
            for pad, template in sorted(element.get("pad-templates", {}).items()):
                pad_type = other_type(cache, template.get("type", ""))
                if pad_type.get("properties"):
                    parts.append(f"Pads `{pad}` (`{template['type']}`):\n\n"
                                 f"{table(cache, pad_type['properties'])}\n")
    return "\n".join(parts)


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    with open(sys.argv[1]) as f:
        text = render(json.load(f))
    if len(sys.argv) == 4 and sys.argv[3] == "--check":
        try:
            with open(sys.argv[2]) as f:
                old = f.read()
        except FileNotFoundError:
            old = ""
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True),
                sys.argv[2], "generated"))
            print(f"{sys.argv[2]} is stale: run ninja -C build update-docs-cache")
            return 1
        return 0
    with open(sys.argv[2], "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
