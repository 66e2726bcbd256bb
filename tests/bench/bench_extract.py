"""Side-by-side benchmark: our full extraction vs trafilatura, same pages, same machine, one run.

    python -m tests.bench.bench_extract [--corpus aeb,dates,kremlin,modern] [--limit N]
        [--rounds N] [--no-speed] [--profile]

Corpora are read from ETL_BENCH_DIR (default: ../shared/bench next to the project), never
copied into the repository. Prints a table and writes tests/bench/results/extract.json
(git-ignored) with the figures and per-page scores.

Peers, all handed the raw page bytes (they detect encodings themselves): trafilatura doing our
job (text and metadata) in its default setting and with favor_precision, the better of the two
per corpus and metric counting as "trafilatura best"; htmldate alone for dates (default and
original_date, the better counting); and trafilatura extracting the text only in its best
setting for the corpus, the peer the speed targets are held against.
Accuracy: body F1/P/R by the AEB's metric (aeb, kremlin, modern); date accuracy over the pages
with a true date (dates, kremlin, modern; a missing date is wrong); title exact match (kremlin,
modern: white space normalized); on modern also trafilatura's own snippet metric (a `with`
snippet found is a true positive, missing a false negative; a `without` snippet found a false
positive). Speed: each tool runs alone in a forked process over the corpus (after a warm-up in
the parent, so model loading is not counted), in alternating rounds, best round kept; pages per
CPU second of the process (wall time would charge other processes' load on this shared machine),
the process's peak RSS and how much it grew during the run. `--profile` prints where our
extract spends its time, by stage (cProfile over the corpus).
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
# ../shared/bench next to the project, or next to the folder of worktrees it sits in.
BENCH_DIR = Path(os.environ.get("ETL_BENCH_DIR") or next(
    (folder / "shared" / "bench" for folder in PROJECT.parents
     if (folder / "shared" / "bench").is_dir()), PROJECT.parent / "shared" / "bench"))
RESULTS = Path(__file__).parent / "results" / "extract.json"
WARM_UP_PAGES = 10
TRAFILATURA_SETTINGS = {"default": {"include_comments": False},
                        "precision": {"favor_precision": True, "include_comments": False}}


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


def load_modern(limit: int | None) -> list[Page]:
    root = BENCH_DIR / "modern"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        item = truth[key]
        body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, item["url"], body, {
            "body": item.get("articleBody") or "", "title": normalize_text(item.get("title") or ""),
            "date": (item.get("published_at") or "")[:10] or None,
            "with": list(item.get("with") or []), "without": list(item.get("without") or [])}))
    return pages


LOADERS = {"aeb": load_aeb, "dates": load_dates, "kremlin": load_kremlin, "modern": load_modern}
# What each corpus's truth allows to measure.
MEASURES = {"aeb": ("body",), "dates": ("date",), "kremlin": ("body", "title", "date"),
            "modern": ("body", "title", "date", "snippets")}


# ------------------------------------------------------------------------- the tools


def run_ours(page: Page) -> dict:
    record = extract_record(page.body, page.url, with_events=True)
    return {"title": record["title"], "date": record["published_at"],
            "body": "\n".join(record["body_paragraphs"] or []), "error": record.get("error")}


def _trafilatura(setting: str):
    def run(page: Page) -> dict:
        import trafilatura

        document = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True,
                                               **TRAFILATURA_SETTINGS[setting])
        if document is None:
            return {"title": None, "date": None, "body": ""}
        return {"title": document.title, "date": document.date, "body": document.text or ""}
    return run


def _trafilatura_text(setting: str):
    """trafilatura's main text only (no metadata): its fastest way to do the body part."""
    def run(page: Page) -> dict:
        import trafilatura

        text = trafilatura.extract(page.body, url=page.url, **TRAFILATURA_SETTINGS[setting])
        return {"title": None, "date": None, "body": text or ""}
    return run


def _htmldate(original: bool):
    def run(page: Page) -> dict:
        from htmldate import find_date

        found = find_date(page.body, url=page.url, original_date=original,
                          outputformat="%Y-%m-%d")
        return {"title": None, "date": found, "body": ""}
    return run


# Accuracy peers (each run once); "trafilatura best" is the better of the first two per metric.
ACCURACY_TOOLS = {"ours": run_ours, "trafilatura_default": _trafilatura("default"),
                  "trafilatura_precision": _trafilatura("precision"),
                  "htmldate_default": _htmldate(False), "htmldate_original": _htmldate(True)}
TRAFILATURA_PEERS = ("trafilatura_default", "trafilatura_precision")
HTMLDATE_PEERS = ("htmldate_default", "htmldate_original")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _run_all(run, pages: list[Page], connection) -> None:
    start_rss = _rss_mb()
    outputs = []
    # CPU time of the process, not wall time: the machine is shared, and other processes'
    # load would otherwise count against whichever tool it happens to hit.
    started = time.process_time()
    for page in pages:
        try:
            outputs.append(run(page))
        except Exception as exc:  # a crash is a result too: count it, keep going
            outputs.append({"title": None, "date": None, "body": "", "crash": repr(exc)})
    elapsed = time.process_time() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.send((outputs, elapsed, peak_mb, peak_mb - start_rss))
    connection.close()


def timed_run(run, pages: list[Page]) -> tuple[list[dict], float, float, float]:
    """Run one tool over the pages in a forked child: outputs, seconds, peak RSS in MB and
    its growth over the child's starting RSS."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_all, args=(run, pages, sender))
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
    """Share of the pages with a true `key` where the tool's value equals it."""
    judged = [(page, out) for page, out in zip(pages, outputs) if page.truth.get(key)]
    right = sum(1 for page, out in judged
                if out[key] and normalize_text(str(out[key])) == page.truth[key])
    return right / len(judged) if judged else 0.0


def snippet_score(pages: list[Page], outputs: list[dict]) -> dict:
    """trafilatura's evaluation metric over the corpus: `with` snippets found are true
    positives (missing: false negatives), `without` snippets found false positives."""
    tp = fn = fp = tn = 0
    for page, out in zip(pages, outputs):
        text = normalize_text(out["body"] or "")
        for snippet in page.truth["with"]:
            if normalize_text(snippet) in text:
                tp += 1
            else:
                fn += 1
        for snippet in page.truth["without"]:
            if normalize_text(snippet) in text:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"snippet_precision": precision, "snippet_recall": recall, "snippet_f1": f1,
            "snippet_accuracy": (tp + tn) / max(1, tp + tn + fp + fn)}


def accuracy(corpus: str, pages: list[Page], outputs: list[dict]) -> tuple[dict, dict]:
    figures: dict = {"crashes": sum(1 for out in outputs if "crash" in out)}
    per_page: dict = {}
    measures = MEASURES[corpus]
    if "body" in measures and any(out["body"] for out in outputs):
        body, per_page["body_pr"] = score_bodies(pages, outputs)
        figures.update({"body_" + k: v for k, v in body.items() if k != "pages"})
    if "date" in measures:
        figures["date_accuracy"] = share_equal(pages, outputs, "date")
        per_page["date"] = [out["date"] for out in outputs]
    if "title" in measures and any(out["title"] for out in outputs):
        figures["title_accuracy"] = share_equal(pages, outputs, "title")
        per_page["title"] = [out["title"] for out in outputs]
    if "snippets" in measures and any(out["body"] for out in outputs):
        figures.update(snippet_score(pages, outputs))
    return figures, per_page


def _best_of(figures: dict, tools: tuple, metric: str) -> tuple[float | None, str | None]:
    values = [(figures[tool][metric], tool) for tool in tools if metric in figures[tool]]
    return max(values) if values else (None, None)


def warm_up_models() -> None:
    """Load what every process loads once and keeps (not counted in a tool's speed, like its
    imports): dateparser's language data, which htmldate (ours and trafilatura's metadata
    alike) falls back on for a date in words, compiling its patterns for every locale on
    the first such date of a process (some 20 s)."""
    from htmldate.extractors import get_external_parser

    get_external_parser().get_date_data("le 12 décembre 2021")


def evaluate(corpus: str, pages: list[Page], rounds: int) -> dict:
    result: dict = {"pages": len(pages), "keys": [page.key for page in pages], "per_page": {}}
    for tool, run in ACCURACY_TOOLS.items():
        for page in pages[:WARM_UP_PAGES]:  # in the parent: imports, models, lazy indexes
            run(page)
        outputs, seconds, peak, growth = timed_run(run, pages)
        figures, per_page = accuracy(corpus, pages, outputs)
        figures.update({"pages_per_s": len(pages) / seconds, "seconds": seconds,
                        "peak_rss_mb": peak, "rss_growth_mb": growth})
        result[tool], result["per_page"][tool] = figures, per_page
    best = {}
    for metric in ("body_f1", "body_precision", "body_recall", "date_accuracy",
                   "title_accuracy", "snippet_f1", "snippet_precision", "snippet_recall"):
        value, tool = _best_of(result, TRAFILATURA_PEERS, metric)
        if value is not None:
            best[metric], best[metric + "_setting"] = value, tool
    for metric in ("date_accuracy",):
        value, tool = _best_of(result, HTMLDATE_PEERS, metric)
        if value is not None:
            best["htmldate_" + metric], best["htmldate_" + metric + "_setting"] = value, tool
    result["trafilatura_best"] = best
    if rounds:
        result["speed"] = speed(corpus, pages, rounds, best.get("body_f1_setting"))
    return result


def speed(corpus: str, pages: list[Page], rounds: int, best_setting: str | None) -> dict:
    """Ours (the whole extract, events included) against trafilatura's text only in its best
    setting for the corpus, in alternating rounds; the best round of each counts."""
    setting = (best_setting or "trafilatura_precision").split("_")[-1]
    tools = {"ours": run_ours, "trafilatura_text": _trafilatura_text(setting)}
    for run in tools.values():
        for page in pages[:WARM_UP_PAGES]:
            run(page)
    runs: dict[str, list] = {tool: [] for tool in tools}
    for _ in range(rounds):
        for tool, run in tools.items():
            runs[tool].append(timed_run(run, pages))
    figures = {"peer_setting": setting}
    for tool in tools:
        seconds = min(run[1] for run in runs[tool])
        figures[tool] = {"pages_per_s": len(pages) / seconds, "seconds": seconds,
                         "peak_rss_mb": max(run[2] for run in runs[tool]),
                         "rss_growth_mb": max(run[3] for run in runs[tool])}
    figures["ratio"] = figures["ours"]["pages_per_s"] / figures["trafilatura_text"]["pages_per_s"]
    return figures


# ------------------------------------------------------------------------- profile

# The stages of our extract, by the function that runs each (module, name).
STAGES = (
    ("decode", "decoding.py", "decode_html"), ("parse", "tree.py", "parse_html"),
    ("page statements", "metadata.py", "__init__"), ("datelines", "dateline.py", "page_statements"),
    ("drop junk", "tree.py", "drop_junk"), ("headline candidates", "metadata.py",
                                             "headline_candidates"),
    ("date candidates", "dates.py", "date_candidates"),
    ("drop boilerplate", "tree.py", "drop_boilerplate"),
    ("find content", "content.py", "find_content"), ("paragraphs", "content.py", "paragraphs_of"),
    ("trafilatura fallback", "article.py", "_fallback_paragraphs"),
    ("trafilatura second opinion", "article.py", "_second_opinion"),
    ("language", "language.py", "detect_language"),
    ("publication date", "article.py", "_published_date"),
    ("  of which htmldate", "dates.py", "_date_from_htmldate"),
    ("countries", "geo.py", "countries_mentioned"), ("events", "__init__.py", "extract_events"),
)


def profile(corpus: str, pages: list[Page]) -> list[list]:
    """Where our extract spends its time on a corpus, by stage (cProfile's cumulative time)."""
    import cProfile
    import pstats

    for page in pages[:WARM_UP_PAGES]:
        run_ours(page)
    profiler = cProfile.Profile(time.process_time)  # CPU time, like the speed figures
    profiler.enable()
    for page in pages:
        run_ours(page)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(cumulative for (file, _, name), (_, _, _, cumulative, _) in stats.items()
                if name == "run_ours")
    rows = []
    for label, module, function in STAGES:
        seconds = sum(cumulative for (file, _, name), (_, _, _, cumulative, _) in stats.items()
                      if name == function and file.endswith("/" + module)
                      and "/etl/" in file)
        rows.append([corpus, label, f"{1000 * seconds / len(pages):.2f}",
                     f"{100 * seconds / total:.0f}%" if total else ""])
    rows.append([corpus, "whole extract", f"{1000 * total / len(pages):.2f}", "100%"])
    return rows


# ------------------------------------------------------------------------- report

# Margins over trafilatura's best setting (body F1) and htmldate/trafilatura (dates).
BODY_MARGIN = 0.005
DATE_MARGIN = 0.02


def table(results: dict) -> str:
    rows = []
    for corpus, result in results.items():
        ours, best = result["ours"], result["trafilatura_best"]
        for metric in ("body_f1", "body_precision", "body_recall", "title_accuracy",
                       "date_accuracy", "snippet_f1", "snippet_precision", "snippet_recall"):
            if metric not in ours:
                continue
            peer = best.get(metric)
            peer_name = (best.get(metric + "_setting") or "").replace("trafilatura_", "")
            target = None
            if metric == "body_f1" and peer is not None:
                target = peer + BODY_MARGIN
            elif metric == "title_accuracy" and peer is not None:
                target = peer
            elif metric == "date_accuracy":
                htmldate = best.get("htmldate_date_accuracy")
                peer_name += f"; htmldate {htmldate:.3f}" if htmldate is not None else ""
                # Where a peer is within the margin of perfect, perfect is the target.
                target = min(1.0, max(v for v in (peer, htmldate) if v is not None)
                             + DATE_MARGIN)
            rows.append([corpus, metric, f"{ours[metric]:.3f}",
                         f"{peer:.3f} ({peer_name})" if peer is not None else "",
                         *_verdict(target, ours[metric])])
        if "speed" in result:
            figures = result["speed"]
            rows.append([corpus, "pages/s (ours: whole extract with events)",
                         f"{figures['ours']['pages_per_s']:.0f}",
                         f"{figures['trafilatura_text']['pages_per_s']:.0f} (text only, "
                         f"{figures['peer_setting']})", *_verdict(1.0, figures["ratio"], "x")])
            rows.append([corpus, "peak RSS MB", f"{figures['ours']['peak_rss_mb']:.0f}",
                         f"{figures['trafilatura_text']['peak_rss_mb']:.0f}", "", ""])
    return tabulate(rows, headers=["corpus", "metric", "ours", "trafilatura best (setting)",
                                   "target", "met"], tablefmt="github")


def _verdict(target: float | None, value: float, unit: str = "") -> list[str]:
    if target is None:
        return ["", ""]
    shown = f"{value:.2f}{unit} >= {target:.2f}{unit}" if unit else f">= {target:.3f}"
    return [shown, "yes" if value >= target - 1e-9 else "NO"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="aeb,dates,kremlin,modern")
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus (quick runs)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--rounds", type=int, default=3,
                        help="timed runs per tool (alternating); the best one counts")
    parser.add_argument("--no-speed", action="store_true", help="accuracy only (no timed rounds)")
    parser.add_argument("--profile", action="store_true", default=None,
                        help="print where our extract spends its time (default: on full runs)")
    args = parser.parse_args(argv)
    rounds = 0 if args.no_speed else args.rounds
    results, profiles = {}, []
    started = time.perf_counter()
    warm_up_models()
    for corpus in args.corpus.split(","):
        pages = LOADERS[corpus](args.limit)
        print(f"{corpus}: {len(pages)} pages ...", file=sys.stderr, flush=True)
        results[corpus] = evaluate(corpus, pages, rounds)
        if args.profile or (args.profile is None and rounds):
            profiles.extend(profile(corpus, pages))
    import htmldate
    import trafilatura

    summary = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "processor": platform.processor()},
        "trafilatura": {"version": trafilatura.__version__, "settings": TRAFILATURA_SETTINGS},
        "htmldate": htmldate.__version__,
        "seconds": time.perf_counter() - started,
        "rounds": rounds,
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(table(results))
    if profiles:
        print("\nWhere our extract spends its time (cProfile, cumulative CPU ms per page, "
              "profiling overhead included):")
        print(tabulate(profiles, headers=["corpus", "stage", "ms/page", "share"],
                       tablefmt="github"))
    print(f"\n{summary['seconds']:.0f} s in all; results in {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
