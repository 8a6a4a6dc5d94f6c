"""Validates Slack payloads with Slack's own SDK (slack_sdk's Block Kit
models): every block parses into its model and passes `validate_json`
(lengths, required fields), and the payload has a text fallback.

Input: a JSON file, a list of {"what": ..., "payload": {...}}. Prints one
line per rejected payload and exits 1 if there is any; "ok N" otherwise.
"""

import json
import sys

from slack_sdk.models.blocks import Block


def problems(payload):
    found = []
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        found.append("no text fallback")
    blocks = payload.get("blocks", [])
    if len(blocks) > 50:
        found.append(f"{len(blocks)} blocks (at most 50)")
    for i, raw in enumerate(blocks):
        block = Block.parse(raw)
        if block is None or type(block).__name__ == "Block":
            found.append(f"block {i}: unknown type {raw.get('type')!r}")
            continue
        try:
            block.validate_json()
        except Exception as e:  # the SDK raises SlackObjectFormationError
            found.append(f"block {i} ({raw.get('type')}): {e}")
    return found


def main():
    items = json.load(open(sys.argv[1], encoding="utf-8"))
    bad = 0
    for item in items:
        for p in problems(item["payload"]):
            bad += 1
            print(f"{item['what']}: {p}")
    if bad:
        sys.exit(1)
    print(f"ok {len(items)}")


if __name__ == "__main__":
    main()
