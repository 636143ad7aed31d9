"""Conformance: load every file of the shared corpus and compare with its gold answers.

    python benchmarks/conformance.py ../shared/corpus [--verbose]

Reads the files where they are (never copies them). For each file: an
``"outcome": "error"`` gold (or an upstream "ERROR" behaviour with no lenient
count) must be rejected with a one-line DubdeskError naming the file; otherwise
cue count, first/last times and texts must match. Texts are compared as dubdesk
shows them (tags removed, entities decoded) and, for the upstreams whose JSON
keeps the raw cue text (vtt.js), as the raw cue text. Where dubdesk
deliberately disagrees with an upstream (see POLICY), the file is counted as a
disagreement all the same, and the reason is printed.
"""

from __future__ import annotations

import html
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from dubdesk import markup
from dubdesk.errors import DubdeskError
from dubdesk.subtitles import load

#: Files where dubdesk chooses differently from the recorded upstream, and why.
POLICY = {
    "vttjs/file-layout/header-no-new-line.vtt": "current WebVTT spec and web-platform-tests (webvtt-wpt/header-timings.vtt) "
    "read a timing line right under WEBVTT as a cue; vtt.js implements an older draft",
    "exoplayer/webvtt/typical_with_bad_timestamps.vtt": "WebVTT timestamps are read strictly as the spec says "
    "(webvtt-wpt/timings-too-short.vtt, vttjs/cue-times/fraction-digits.vtt); ExoPlayer alone accepts '00:00'",
    "exoplayer/subrip/typical_negative_timestamps.srt": "nothing is dropped on load: cues with negative times are kept "
    "and reported (pysubs2, aeidon and Subtitle Edit keep them; dubdesk fix moves them); ExoPlayer skips them",
    "exoplayer/webvtt/empty.vtt": "a file of one newline is an empty document for the library (as 0-byte files are "
    "for vtt.js and ExoPlayer); every command refuses it; ExoPlayer alone throws",
}

#: Where the gold asks for a specific forced format or fps (upstream tests pass them explicitly).
CALL_ARGS: dict[str, dict[str, Any]] = {
    "pysubs2/microdvd_with_garbage_lines.sub": {"fmt": "microdvd"},
    "pysubs2/microdvd_no_fps.sub": {"fps": 1000},
    "pysubs2/srt_win1250.srt": {"encoding": "windows-1250"},
    "pysubs2/srt_big5.srt": {"encoding": "big5"},
    # the upstream test passes errors="surrogateescape" (test_multiencoding_passthrough_with_surrogateescape);
    # without it dubdesk refuses the file naming its mixed cues
    "pysubs2/srt_mixed_encodings.srt": {"encoding": "utf-8", "errors": "surrogateescape"},
}


def _texts(event_text: str) -> set[str]:
    vis = markup.visible(event_text).replace("\u00a0", " ")
    raw = event_text.replace("\\N", "\n")
    forms = {vis, html.unescape(vis), raw, html.unescape(raw)}
    # Removing a tag can leave two spaces ("This is {\\an1} the"); the gold has one.
    return forms | {re.sub(r"[ ]{2,}", " ", f) for f in forms}


def check(root: Path, entry: dict[str, Any]) -> tuple[bool, str]:
    path = root / entry["file"]
    exp = entry["expected"]
    behaviour = entry.get("upstream_behaviour", "")
    args = CALL_ARGS.get(entry["file"], {})
    must_fail = exp.get("outcome") == "error"
    try:
        track = load(path, **args)
    except DubdeskError as exc:
        line = exc.one_line()
        if "\n" in line or str(path) not in line:
            return False, f"error message not one line naming the file: {line!r}"
        if must_fail or (behaviour.startswith(("ERROR", "strict: ERROR")) and "cue_count" not in exp):
            return True, f"rejected as expected: {line}"
        return False, f"rejected: {line}"
    except Exception:
        return False, "TRACEBACK " + traceback.format_exc(limit=3)
    if must_fail:
        return False, f"accepted {len(track.cues)} cues, gold says error"
    cues = track.cues
    events = track.events
    count_key = next((k for k in ("cue_count", "cue_count_lenient", "cue_count_with_fps_1000") if k in exp), None)
    problems = []
    alt = exp.get("alternative_acceptable", {})
    if alt.get("cue_count") == len(cues):
        exp = {**exp, "cue_count": len(cues)}
    if exp.get("cue_count_spec_strict") == len(cues) == 0:
        # the gold's own answer for a spec-strict reader (typical_with_bad_timestamps.vtt)
        return True, "0 cues, as the gold's cue_count_spec_strict"
    if count_key is not None and len(cues) != exp[count_key]:
        problems.append(f"{count_key} {len(cues)} != {exp[count_key]}")
    if "event_count" in exp and len(events) != exp["event_count"]:
        problems.append(f"event_count {len(events)} != {exp['event_count']}")
    first_pool = events if "event_count" in exp else cues
    for which, ev in (("first", first_pool[0] if first_pool else None), ("last", cues[-1] if cues else None)):
        if ev is None:
            continue
        for key, val in ((f"{which}_start_ms", ev.start), (f"{which}_end_ms", ev.end)):
            if key in exp and exp[key] != val:
                problems.append(f"{key} {val} != {exp[key]}")
        if f"{which}_text" in exp and exp[f"{which}_text"] not in _texts(ev.text):
            problems.append(f"{which}_text {markup.visible(ev.text)!r} != {exp[which + '_text']!r}")
        if f"{which}_text_startswith" in exp and not any(t.startswith(exp[f"{which}_text_startswith"]) for t in _texts(ev.text)):
            problems.append(f"{which}_text does not start with {exp[which + '_text_startswith']!r}")
    return (not problems), "; ".join(problems) or f"{len(cues)} cues ok"


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "../shared/corpus")
    verbose = "--verbose" in argv
    entries = json.loads((root / "EXPECTATIONS.json").read_text(encoding="utf-8"))
    agree = 0
    tracebacks = 0
    for entry in entries:
        ok, detail = check(root, entry)
        agree += ok
        tracebacks += detail.startswith("TRACEBACK")
        if not ok or verbose:
            policy = POLICY.get(entry["file"])
            mark = "ok  " if ok else ("POL " if policy else "FAIL")
            print(f"{mark} {entry['file']}: {detail}" + (f"  [policy: {policy}]" if policy and not ok else ""))
    total = len(entries)
    print(f"\nconformance: {agree}/{total} files agree with the gold answers ({100 * agree / total:.1f}%), "
          f"{tracebacks} tracebacks")
    return 0 if agree * 100 >= 95 * total and tracebacks == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
