"""Side-by-side benchmark: our full extraction vs trafilatura, same pages, same machine, one run.

    python -m tests.bench.bench_extract [--corpus aeb,dates,kremlin] [--limit N]

Corpora are read from ETL_BENCH_DIR (default: ../shared/bench next to the project), never
copied into the repository. Prints a table and writes tests/bench/results/extract.json
(git-ignored) with the figures and per-page scores.

Peers: trafilatura with its best settings doing our job (text and metadata), and trafilatura
extracting the text only (the faster peer, which the speed targets are held against).
Accuracy: AEB body F1/P/R by the benchmark's own metric; date accuracy on the dates corpus (a
missing date is wrong); kremlin title/date/body against the page's own markup. Speed: each
tool runs alone in a forked process over the corpus (after a warm-up in the parent, so model
loading is not counted), in alternating rounds, best round kept; pages/s, the process's
peak RSS and how much it grew during the run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html
from tabulate import tabulate

from etl.extract import extract_record
from etl.extract.content import normalize_text
from tests.bench.aeb_metric import corpus_score, score_page

PROJECT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(os.environ.get("ETL_BENCH_DIR", PROJECT.parent / "shared" / "bench"))
RESULTS = Path(__file__).parent / "results" / "extract.json"
WARM_UP_PAGES = 10
TRAFILATURA_SETTINGS = {"favor_precision": True, "include_comments": False}


@dataclass
class Page:
    key: str
    url: str
    body: bytes
    truth: dict = field(default_factory=dict)


# ------------------------------------------------------------------------- corpora


def load_aeb(limit: int | None) -> list[Page]:
    root = BENCH_DIR / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, truth[key]["url"], body, {"body": truth[key]["articleBody"]}))
    return pages


def load_dates(limit: int | None) -> list[Page]:
    root = BENCH_DIR / "dates"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(truth)[:limit]:
        body = gzip.decompress((root / "html" / truth[url]["file"]).read_bytes())
        pages.append(Page(truth[url]["file"], url, body, {"date": truth[url]["date"]}))
    return pages


def load_kremlin(limit: int | None) -> list[Page]:
    """The article pages of the kremlin slice, with truth read from their own markup."""
    root = BENCH_DIR / "kremlin" / "site"
    news = root / "events" / "president" / "news"
    pages = []
    for path in sorted(news.glob("*.html.gz"))[:limit]:
        body = gzip.decompress(path.read_bytes())
        article_id = path.name.split(".")[0]
        url = f"http://en.kremlin.ru/events/president/news/{article_id}"
        pages.append(Page(article_id, url, body, kremlin_truth(body)))
    return pages


def kremlin_truth(body: bytes) -> dict:
    """Title (h1.entry-title), date (time.read__published[datetime], else the time of the
    page's "Publication date" line) and the visible article
    text block: div.entry-content without what the page itself marks as not being the text
    (its "publication status" box, hidden tooltips, and `masha-ignore` parts: photo sliders,
    "See also" boxes)."""
    tree = lxml_html.fromstring(body)
    title = tree.xpath("//h1[contains(@class, 'entry-title')]")
    # Announcements have no read__published; their "Publication status" box states the date.
    date = tree.xpath("//time[contains(@class, 'read__published')]/@datetime") \
        or tree.xpath("//*[contains(@class, 'read__status')]//time/@datetime")
    text = tree.xpath("//div[contains(concat(' ', @class, ' '), ' entry-content ')]")
    body_text = ""
    if text:
        for box in text[0].xpath(
                ".//*[contains(@class, 'read__bottommeta') or contains(@class, 'masha-ignore')"
                " or contains(concat(' ', @class, ' '), ' hidden ')]"):
            if box.getparent() is not None:
                box.drop_tree()
        body_text = "\n".join(normalize_text(p.text_content()) for p in text[0].iter("p", "h2",
                                                                                      "h3", "li"))
    return {"title": normalize_text(title[0].text_content()) if title else None,
            "date": date[0][:10] if date else None, "body": body_text}


# ------------------------------------------------------------------------- the two tools


def run_ours(page: Page) -> dict:
    record = extract_record(page.body, page.url, with_events=True)
    return {"title": record["title"], "date": record["published_at"],
            "body": "\n".join(record["body_paragraphs"] or []), "error": record.get("error")}


def run_trafilatura(page: Page) -> dict:
    import trafilatura

    document = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True,
                                           **TRAFILATURA_SETTINGS)
    if document is None:
        return {"title": None, "date": None, "body": ""}
    return {"title": document.title, "date": document.date, "body": document.text or ""}


def run_trafilatura_text(page: Page) -> dict:
    """trafilatura's main text only (no metadata): its fastest way to do the body part."""
    import trafilatura

    text = trafilatura.extract(page.body, url=page.url, **TRAFILATURA_SETTINGS)
    return {"title": None, "date": None, "body": text or ""}


# "trafilatura" does the job ours does (text and metadata); "trafilatura_text" only the text,
# the peer the speed targets are held against (the stricter comparison).
TOOLS = {"ours": run_ours, "trafilatura": run_trafilatura,
         "trafilatura_text": run_trafilatura_text}
PEERS = ("trafilatura", "trafilatura_text")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _run_all(tool: str, pages: list[Page], connection) -> None:
    run = TOOLS[tool]
    start_rss = _rss_mb()
    outputs = []
    started = time.perf_counter()
    for page in pages:
        try:
            outputs.append(run(page))
        except Exception as exc:  # a crash is a result too: count it, keep going
            outputs.append({"title": None, "date": None, "body": "", "crash": repr(exc)})
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.send((outputs, elapsed, peak_mb, peak_mb - start_rss))
    connection.close()


def timed_run(tool: str, pages: list[Page]) -> tuple[list[dict], float, float, float]:
    """Run one tool over the pages in a forked child: outputs, seconds, peak RSS in MB and
    its growth over the child's starting RSS."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_all, args=(tool, pages, sender))
    child.start()
    sender.close()
    result = receiver.recv()
    child.join()
    return result


# ------------------------------------------------------------------------- scoring


def score_bodies(pages: list[Page], outputs: list[dict]) -> tuple[dict, list]:
    scores = [score_page(out["body"], page.truth["body"]) for page, out in zip(pages, outputs)]
    return corpus_score(scores), [(s.precision, s.recall) for s in scores]


def share_equal(pages: list[Page], outputs: list[dict], key: str) -> float:
    right = sum(1 for page, out in zip(pages, outputs)
                if out[key] and normalize_text(str(out[key])) == page.truth[key])
    return right / len(pages) if pages else 0.0


def evaluate(corpus: str, pages: list[Page], rounds: int) -> dict:
    result = {"pages": len(pages)}
    for tool in TOOLS:
        for page in pages[:WARM_UP_PAGES]:  # in the parent: imports, models, lazy indexes
            TOOLS[tool](page)
    # Rounds alternate the tools so that load from other processes hits both alike; each
    # tool's best round counts (the least disturbed one).
    runs: dict[str, list] = {tool: [] for tool in TOOLS}
    for _ in range(rounds):
        for tool in TOOLS:
            runs[tool].append(timed_run(tool, pages))
    for tool in TOOLS:
        outputs = runs[tool][0][0]
        seconds = min(run[1] for run in runs[tool])
        figures = {"pages_per_s": len(pages) / seconds, "seconds": seconds,
                   "peak_rss_mb": max(run[2] for run in runs[tool]),
                   "rss_growth_mb": max(run[3] for run in runs[tool]),
                   "crashes": sum(1 for out in outputs if "crash" in out)}
        per_page = {}
        if corpus in ("aeb", "kremlin"):
            body, per_page_body = score_bodies(pages, outputs)
            figures.update({"body_" + k: v for k, v in body.items() if k != "pages"})
            per_page["body_pr"] = per_page_body
        if corpus in ("dates", "kremlin"):
            figures["date_accuracy"] = share_equal(pages, outputs, "date")
            per_page["date"] = [out["date"] for out in outputs]
        if corpus == "kremlin":
            figures["title_accuracy"] = share_equal(pages, outputs, "title")
        result[tool] = figures
        result.setdefault("per_page", {})[tool] = per_page
    result["keys"] = [page.key for page in pages]
    result["speed_ratio"] = (result["ours"]["pages_per_s"]
                             / result["trafilatura_text"]["pages_per_s"])
    result["speed_ratio_vs_metadata"] = (result["ours"]["pages_per_s"]
                                         / result["trafilatura"]["pages_per_s"])
    return result


# ------------------------------------------------------------------------- report

TARGETS = {
    ("aeb", "body_f1"): 0.965, ("dates", "date_accuracy"): 0.92,
    ("kremlin", "title_accuracy"): 0.99, ("kremlin", "date_accuracy"): 0.99,
    ("kremlin", "body_f1"): 0.99, ("aeb", "speed_ratio"): 0.7, ("kremlin", "speed_ratio"): 1.0,
}
METRICS = ("body_f1", "body_precision", "body_recall", "date_accuracy", "title_accuracy",
           "pages_per_s", "peak_rss_mb", "rss_growth_mb")


def table(results: dict) -> str:
    rows = []
    for corpus, result in results.items():
        for metric in METRICS:
            if metric not in result["ours"]:
                continue
            ours = result["ours"][metric]
            peers = [f"{result[peer][metric]:.3f}" if result[peer].get(metric) is not None
                     and not (metric.startswith(("date", "title")) and peer == "trafilatura_text")
                     else "" for peer in PEERS]
            rows.append([corpus, metric, f"{ours:.3f}", *peers,
                         *_verdict(TARGETS.get((corpus, metric)), ours)])
        rows.append([corpus, "speed ratio ours / trafilatura text-only", "", "",
                     f"{result['speed_ratio']:.2f}",
                     *_verdict(TARGETS.get((corpus, "speed_ratio")), result["speed_ratio"])])
        rows.append([corpus, "speed ratio ours / trafilatura+metadata", "",
                     f"{result['speed_ratio_vs_metadata']:.2f}", "", "", ""])
    return tabulate(rows, headers=["corpus", "metric", "ours (full extract)",
                                   "trafilatura +metadata", "trafilatura text-only", "target",
                                   "met"], tablefmt="github")


def _verdict(target: float | None, value: float) -> list[str]:
    if target is None:
        return ["", ""]
    return [f">= {target}", "yes" if value >= target else "NO"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="aeb,dates,kremlin")
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus (quick runs)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--rounds", type=int, default=3,
                        help="timed runs per tool (alternating); the best one counts")
    args = parser.parse_args(argv)
    loaders = {"aeb": load_aeb, "dates": load_dates, "kremlin": load_kremlin}
    results = {}
    started = time.perf_counter()
    for corpus in args.corpus.split(","):
        pages = loaders[corpus](args.limit)
        print(f"{corpus}: {len(pages)} pages ...", file=sys.stderr, flush=True)
        results[corpus] = evaluate(corpus, pages, args.rounds)
    import trafilatura

    summary = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "processor": platform.processor()},
        "trafilatura": {"version": trafilatura.__version__, **TRAFILATURA_SETTINGS},
        "seconds": time.perf_counter() - started,
        "rounds": args.rounds,
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(table(results))
    print(f"\n{summary['seconds']:.0f} s in all; results in {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
