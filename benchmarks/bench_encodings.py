"""Encoding detection accuracy on a labelled test set, dubdesk against charset-normalizer alone.

    python benchmarks/bench_encodings.py [--seed 10]

The test set (tests/encoding_testset.py) encodes real sentences of 37 languages
into the codepages their subtitles come in (and UTF-16/32 without BOM), as SRT
files of 3 to 1,000 cues. A file counts as right when the decoded text is the
original text (two codepages that decode the bytes to the same text are both
right). dubdesk may refuse a file (an error naming --encoding): that is not
right, but it is not a silent wrong guess either. Targets: >= 99% right on
files of 50+ cues, no wrong guess accepted at any length.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dubdesk.encodings import decode  # noqa: E402
from dubdesk.errors import EncodingDetectionError  # noqa: E402
from encoding_testset import BANDS, make_testset  # noqa: E402


def dubdesk_outcome(data: bytes, text: str, language: str | None = None) -> str:
    try:
        got = decode(data, language=language)
    except EncodingDetectionError:
        return "refused"
    return "right" if got.text == text else f"WRONG:{got.encoding}"


def charset_normalizer_outcome(data: bytes, text: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return "refused"
    return "right" if str(best) == text else f"WRONG:{best.encoding}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    samples = make_testset(args.seed)
    table: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong: list[str] = []
    t_dd = t_cn = 0.0
    for s in samples:
        band = next(i for i, (lo, hi) in enumerate(BANDS) if lo <= s.cues <= hi)
        t0 = time.perf_counter()
        dd = dubdesk_outcome(s.data, s.text)
        t1 = time.perf_counter()
        cn = charset_normalizer_outcome(s.data, s.text)
        t2 = time.perf_counter()
        t_dd += t1 - t0
        t_cn += t2 - t1
        table[("dubdesk", band)][dd.split(":")[0]] += 1
        table[("charset-normalizer", band)][cn.split(":")[0]] += 1
        if dd.startswith("WRONG") or (args.verbose and dd != "right"):
            wrong.append(f"{s.language} {s.encoding} {s.cues} cues: dubdesk {dd}")
    print(f"{len(samples)} files, {len({(s.language) for s in samples})} languages, "
          f"{len({s.encoding for s in samples})} encodings (seed {args.seed})\n")
    print("| cues | files | dubdesk right | dubdesk refused | dubdesk wrong | charset-normalizer right | charset-normalizer wrong |")
    print("|---|---|---|---|---|---|---|")
    for band, (lo, hi) in enumerate(BANDS):
        dd, cn = table[("dubdesk", band)], table[("charset-normalizer", band)]
        n = sum(dd.values())
        print(f"| {lo}-{hi} | {n} | {100 * dd['right'] / n:.1f}% | {dd['refused']} | {dd['WRONG']} | "
              f"{100 * cn['right'] / n:.1f}% | {cn['WRONG'] + cn['refused']} |")
    print(f"\ntime: dubdesk {t_dd:.1f} s, charset-normalizer {t_cn:.1f} s")
    for line in wrong:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
