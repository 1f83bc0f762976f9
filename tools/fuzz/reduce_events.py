#!/usr/bin/env python3
"""Writes the event_pipeline seeds: a reduced copy of every bundled real
MISP event (data/misp-events, tests/data), each kept small so that the
fuzzer mutates quickly. Kept: the wrapper, the event's own fields and
tags, its first 12 attributes and its first 4 objects (each with its first
6 attributes), without attachments ("data") and galaxies, strings cut at
1,000 characters. Run from anywhere; overwrites the seeds."""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tools/fuzz/corpus/event_pipeline"


def small(value):
    if isinstance(value, str):
        return value[:1000]
    if isinstance(value, list):
        return [small(item) for item in value]
    if isinstance(value, dict):
        return {key: small(item) for key, item in value.items()
                if key not in ("data", "Galaxy")}
    return value


def reduce_event(event):
    event = small(event)
    event["Attribute"] = event.get("Attribute", [])[:12]
    objects = []
    for obj in event.get("Object", [])[:4]:
        obj = dict(obj)
        obj["Attribute"] = obj.get("Attribute", [])[:6]
        objects.append(obj)
    if "Object" in event:
        event["Object"] = objects
    for key in ("Galaxy", "RelatedEvent", "EventReport", "ShadowAttribute"):
        event.pop(key, None)
    return event


def reduce_document(doc):
    if "response" in doc:
        return {"response": [
            {"Event": reduce_event(item["Event"])} if "Event" in item
            else reduce_event(item) for item in doc["response"][:2]]}
    if "Event" in doc:
        return {"Event": reduce_event(doc["Event"])}
    return reduce_event(doc)


def main():
    sources = sorted((ROOT / "data/misp-events").glob("*.json"))
    sources += sorted((ROOT / "tests/data").glob("*.json"))
    for source in sources:
        doc = json.loads(source.read_text(encoding="utf-8"))
        text = json.dumps(reduce_document(doc), ensure_ascii=False,
                          separators=(",", ":"))
        (OUT / ("real-" + source.name)).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
