#!/usr/bin/env python3
"""Recompute caselog's hash chain independently (docs/integrity.md).

Usage: psql --csv -X -q -c 'SELECT * FROM events ORDER BY position' "$DATABASE_URL" | python3 verify_chain.py
Prints "ok N events, head <hash>" or "mismatch at position P: <why>" (exit 1).
"""
import csv
import hashlib
import sys
from datetime import datetime, timezone

csv.field_size_limit(1 << 30)


def utc_text(recorded_at: str) -> str:
    """psql prints timestamptz in the session time zone, e.g. 2026-11-25 04:13:02.5+00."""
    text = recorded_at
    if len(text) >= 3 and text[-3] in "+-" and text[-2:].isdigit():
        text += ":00"  # "+00" -> "+00:00" for fromisoformat
    moment = datetime.fromisoformat(text).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main() -> int:
    previous = bytes(32)
    expected_position = 1
    count = 0
    for row in csv.DictReader(sys.stdin):
        position = int(row["position"])
        if position != expected_position:
            print(f"mismatch at position {expected_position}: missing (next row is {position})")
            return 1
        canonical = "\n".join([
            "caselog-event/1", row["position"], row["stream"], row["version"], row["id"],
            row["type"], utc_text(row["recorded_at"]), row["data"], row["metadata"],
        ]).encode("utf-8")
        digest = hashlib.sha256(previous + canonical).digest()
        if bytes.fromhex(row["prev_hash"][2:]) != previous:
            print(f"mismatch at position {position}: prev_hash does not link to the previous event")
            return 1
        if bytes.fromhex(row["hash"][2:]) != digest:
            print(f"mismatch at position {position}: content does not match its hash")
            return 1
        previous, expected_position, count = digest, position + 1, count + 1
    print(f"ok {count} events, head {previous.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
