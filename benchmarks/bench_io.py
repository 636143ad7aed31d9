"""Subtitle I/O speed, measured side by side in one run.

    python benchmarks/bench_io.py [--cues 100000]

Prints:
- the floor: a minimal regex SRT codec (split blocks, one regex for the timing
  line, one f-string per cue to write) against dubdesk load + save, side by
  side on the same file (target: dubdesk <= 1.5x the floor);
- dubdesk load + save of a 100,000-cue SRT (mixed Chinese/Cyrillic text, tags)
  against pysubs2 doing the same directly (target: ratio <= 1.3);
- what encoding detection adds on that file: ``load`` with detection against
  ``load`` told the encoding (target: < 10%), and the same for a GB18030 copy
  (informational: the legacy path runs charset-normalizer);
- ``dubdesk --help`` wall time (target: < 0.3 s).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pysubs2

from dubdesk.subtitles import load, save

LINES = [
    "冼星海从遥远的莫斯科来到这里。", "Сянь Синхай приехал сюда", "<i>Бақытжан Байқадамов</i>",
    "音乐传遍了阿拉木图的大街小巷，", "из далёкой Москвы.", "<b>Алматы</b>, 1942 жылдың қысы.",
    "他们一起演奏到天亮。", "Они играли вместе до самого утра.",
]


def make_srt(path: Path, n: int) -> None:
    rng = random.Random(42)
    parts = []
    t = 0
    for i in range(1, n + 1):
        t += rng.randint(100, 900)
        d = rng.randint(900, 4000)
        text = "\n".join(rng.sample(LINES, rng.randint(1, 2)))
        parts.append(f"{i}\n{_ts(t)} --> {_ts(t + d)}\n{text}\n")
        t += d
    path.write_text("\n".join(parts), encoding="utf-8")


def _ts(ms: int) -> str:
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


_FLOOR_TIMING = re.compile(r"(\d+):(\d\d):(\d\d)[,.](\d{3}) --> (\d+):(\d\d):(\d\d)[,.](\d{3})")


def floor_load(path: Path) -> list[tuple[int, int, str]]:
    """The least an SRT reader can do: no tolerance, no encoding detection, no model objects."""
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        if len(lines) < 3:
            continue
        m = _FLOOR_TIMING.match(lines[1])
        if m is None:
            continue
        g = [int(x) for x in m.groups()]
        cues.append((((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3], ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7],
                     "\n".join(lines[2:])))
    return cues


def floor_save(cues: list[tuple[int, int, str]], path: Path) -> None:
    path.write_text("\n".join(f"{i}\n{_ts(s)} --> {_ts(e)}\n{t}\n" for i, (s, e, t) in enumerate(cues, 1)),
                    encoding="utf-8")


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cues", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = d / "big.srt"
        make_srt(src, args.cues)
        gb = d / "big.gb.srt"
        gb.write_bytes(src.read_text(encoding="utf-8").replace("қ", "к").replace("ә", "а").encode("gb18030"))

        def via_pysubs2() -> None:
            subs = pysubs2.load(str(src), encoding="utf-8")
            subs.save(str(d / "out.pysubs2.srt"))

        def via_dubdesk() -> None:
            save(load(src), d / "out.dubdesk.srt")

        def via_floor() -> None:
            # the same cyclic-GC pause dubdesk's reader and writer use, so the ratio compares code only
            gc.disable()
            try:
                floor_save(floor_load(src), d / "out.floor.srt")
            finally:
                gc.enable()

        t_floor = best_of(via_floor)
        t_py = best_of(via_pysubs2)
        t_dd = best_of(via_dubdesk)
        t_detect = best_of(lambda: load(src))
        t_given = best_of(lambda: load(src, encoding="utf-8"))
        t_gb_detect = best_of(lambda: load(gb, language="zh-Hans"))
        t_gb_given = best_of(lambda: load(gb, encoding="gb18030"))
        same = [(e.start, e.end) for e in load(d / "out.dubdesk.srt").events] == [
            (e.start, e.end) for e in pysubs2.load(str(d / "out.pysubs2.srt")).events
        ]
    helps = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dubdesk", "--help"], check=True, capture_output=True)
        helps.append(time.perf_counter() - t0)
    print(f"file: {args.cues} cues, mixed Chinese/Cyrillic with tags; best of 3 runs each")
    print(f"load+save   floor {t_floor:.3f} s   dubdesk {t_dd:.3f} s   ratio {t_dd / t_floor:.2f} (target <= 1.5)")
    print(f"load+save   pysubs2 {t_py:.3f} s   dubdesk {t_dd:.3f} s   ratio {t_dd / t_py:.2f} (target <= 1.3)"
          f"   same timings: {same}")
    print(f"detection   UTF-8 file: detect {t_detect:.3f} s vs told {t_given:.3f} s -> {100 * (t_detect / t_given - 1):+.1f}% "
          f"(target < 10%)")
    print(f"detection   GB18030 copy: detect {t_gb_detect:.3f} s vs told {t_gb_given:.3f} s -> "
          f"{100 * (t_gb_detect / t_gb_given - 1):+.1f}% (informational)")
    print(f"dubdesk --help: {min(helps):.3f} s (best of 5; target < 0.3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
