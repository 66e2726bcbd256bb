"""What event extraction adds to the extract, timed so that the machine's drift cannot move it."""

from __future__ import annotations

import time
from collections.abc import Iterable

from etl.extract import extract_record


def paired_share_per_page(pages: Iterable[tuple[bytes, str]]) -> float:
    """1 - (extract without events) / (extract with events) over (body, url) pages, each page timed
    both ways back to back, which comes first alternating from page to page: the two sums see the
    same machine, where whole runs minutes apart drift by more than the difference they measure."""
    without = with_events = 0.0
    for i, (body, url) in enumerate(pages):
        for events in ((False, True) if i % 2 else (True, False)):
            started = time.process_time()
            extract_record(body, url, with_events=events)
            spent = time.process_time() - started
            if events:
                with_events += spent
            else:
                without += spent
    return 1 - without / with_events
