"""Event extraction scored on the two hand-annotated development sets, with the set's own scorer.

    python -m tests.bench.bench_events_dev [--set events|events-text] [--no-strip] [--dump DIR]

Corpora (read in place under ETL_BENCH_DIR, default ../shared/bench next to the project, never
copied): `events/` (135 en.kremlin.ru pages) and `events-text/` (75 Russian and English
think-tank and agency reports). Each page goes through `extract_record` (the one entry point of
the CLI and the pipeline); the records are scored by `events/score.py` against the set's
`gold.json`. A second run scores the same pages with the place line removed from the markup
(elements of class `read__place` or `p-location`), which shows how much the city owes to it.

Printed per set: event detection P/R/F1, start_date and city accuracy over matched events,
speakers and organizers set F1, participants/countries count accuracy, facts micro P/R/F1; then
the time events add to the extract (process CPU time, events as a share of the whole extract).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from etl.extract import extract_record
from tests.bench.timing import paired_share_per_page

PROJECT = Path(__file__).resolve().parents[2]
# ../shared/bench next to the project (a checkout) or next to its parent (a worktree of it).
BENCH_DIR = Path(os.environ.get("ETL_BENCH_DIR") or next(
    (p for p in (PROJECT.parent / "shared" / "bench", PROJECT.parent.parent / "shared" / "bench") if p.is_dir()),
    PROJECT.parent / "shared" / "bench"))
RESULTS = Path(__file__).parent / "results" / "events_dev.json"
SETS = ("events", "events-text")
_PLACE_LINE = re.compile(
    rb"<(?P<tag>[a-z0-9]+)\b[^>]*class=\"[^\"]*\b(?:read__place|p-location)\b[^\"]*\"[^>]*>.*?</(?P=tag)>",
    re.IGNORECASE | re.DOTALL)


def pages_of(name: str) -> list[tuple[str, str, bytes]]:
    """(gold key, url, page bytes) of a development set."""
    root = BENCH_DIR / name
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    return [(key, entry["url"], gzip.decompress((root / "site" / key).read_bytes()))
            for key, entry in sorted(gold.items()) if key.endswith(".html.gz")]


def without_place_line(body: bytes) -> bytes:
    return _PLACE_LINE.sub(b"", body)


def extract_all(pages, strip: bool, with_events: bool = True) -> tuple[list[dict], float]:
    started = time.process_time()
    records = []
    for key, url, body in pages:
        record = extract_record(without_place_line(body) if strip else body, url, with_events=with_events)
        record["path"] = os.path.basename(key)
        records.append(record)
    return records, time.process_time() - started


def score(name: str, records: list[dict], dump: Path | None = None, label: str = "") -> dict:
    gold = BENCH_DIR / name / "gold.json"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for record in records:
                if "/" in record["path"] or name == "events-text":
                    record = dict(record, path=None)  # keys carry a language folder: pair by URL
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            (dump / f"{name}{label}.jsonl").write_bytes(path.read_bytes())
        out = subprocess.run([sys.executable, str(BENCH_DIR / "events" / "score.py"), str(gold), str(path)],
                             capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def summary(result: dict) -> dict:
    acc, sets = result["field_accuracy"], result["sets"]
    return {
        "detection_p": result["detection"]["precision"], "detection_r": result["detection"]["recall"],
        "matched": result["matched_events"],
        "start_date": acc.get("start_date"), "end_date": acc.get("end_date"), "city": acc.get("city"),
        "country": acc.get("country"), "type": acc.get("type"), "name": acc.get("name"),
        "format": acc.get("format"), "occasion": acc.get("occasion"),
        "participants_count": acc.get("participants_count"), "countries_count": acc.get("countries_count"),
        "speakers_f1": sets["speakers"]["f1"], "organizers_f1": sets["organizers"]["f1"],
        "facts_p": result["overall"]["precision"], "facts_r": result["overall"]["recall"],
        "facts_f1": result["overall"]["f1"],
    }


def run(names, strip: bool = True, dump: Path | None = None) -> dict:
    results = {}
    for name in names:
        pages = pages_of(name)
        extract_all(pages[:5], strip=False)  # warm-up: the lazy loads (pymorphy, GeoNames) are not the events' cost
        records, with_events = extract_all(pages, strip=False)
        entry = {"pages": len(pages), "as_published": summary(score(name, records, dump))}
        if strip:
            stripped, _ = extract_all(pages, strip=True)
            entry["place_line_removed"] = summary(score(name, stripped, dump, "-noplace"))
        _, without_events = extract_all(pages, strip=False, with_events=False)
        entry["extract_s_with_events"] = round(with_events, 2)
        entry["extract_s_without_events"] = round(without_events, 2)
        entry["events_share_of_extract_time"] = round(max(0.0, 1 - without_events / with_events), 3)
        entry["events_share_paired_per_page"] = round(paired_share_per_page((body, url) for _, url, body in pages), 3)
        results[name] = entry
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, action="append", help="only this set (repeatable)")
    parser.add_argument("--no-strip", action="store_true", help="skip the run without the place line")
    parser.add_argument("--dump", type=Path, help="write the scored records (JSON Lines) here")
    args = parser.parse_args()
    results = run(args.set or SETS, strip=not args.no_strip, dump=args.dump)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, entry in results.items():
        print(f"--- {name} ({entry['pages']} pages)")
        for label in ("as_published", "place_line_removed"):
            if label not in entry:
                continue
            s = entry[label]
            print(f"  {label}: detection P {s['detection_p']:.3f} R {s['detection_r']:.3f} (matched {s['matched']})"
                  f" | start_date {s['start_date']:.3f} end_date {s['end_date']:.3f} city {s['city']:.3f}"
                  f" country {s['country']:.3f} type {s['type']:.3f} name {s['name']:.3f}")
            print(f"      speakers F1 {s['speakers_f1']:.3f} organizers F1 {s['organizers_f1']:.3f}"
                  f" | participants {s['participants_count']:.3f} countries {s['countries_count']:.3f}"
                  f" format {s['format']:.3f} occasion {s['occasion']:.3f}"
                  f" | facts P {s['facts_p']:.3f} R {s['facts_r']:.3f} F1 {s['facts_f1']:.3f}")
        print(f"  extract CPU s: {entry['extract_s_with_events']} with events,"
              f" {entry['extract_s_without_events']} without; events share {entry['events_share_of_extract_time']:.3f}"
              f" (whole runs), {entry['events_share_paired_per_page']:.3f} (each page both ways, back to back)")


if __name__ == "__main__":
    main()
