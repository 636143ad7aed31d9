"""Benchmark: every QA rule on a generated 100,000-cue file vs loading that file.

Baseline (issue 5): ``dubdesk.subtitles.load`` of the same file, measured side
by side in this run. Target: ratio qa/load <= 1.0.

    python benchmarks/bench_qa.py [--cues 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import dubdesk
from dubdesk.qa import RULES, run_qa

LINES = [
    "Алматы, зима 1942 года.",
    "Сянь Синхай приехал сюда\nиз далёкой Москвы.",
    "У него не было ни дома, ни работы.",
    "<i>Бахытжан Байқадамов</i>\nвстретил его в театре.",
    "— Как называется эта мелодия?\n— «Амангельды».",
    '<font color="#ffff00">Музыка звучала по всему Алматы.</font>',
    "Спустя годы о них сняли «Композитор»,\nего смотрели и в Китае, и в Казахстане.",
    "Кто он?",
]
LINES.sort(key=len)


def srt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{milli:03d}"


def generate(path: Path, cues: int, seed: int = 5) -> None:
    """A film-like file on the 25 fps grid (40 ms) with a few per cent of every timing problem."""
    rng = random.Random(seed)
    t = 1000
    out = []
    for n in range(1, cues + 1):
        dur = rng.choices([600, 1520, 2480, 3000, 4000, 7520], weights=[3, 20, 30, 30, 15, 2])[0]
        gap = rng.choices([40, 200, 520, 1000, 2000, -200], weights=[3, 5, 40, 30, 20, 2])[0]
        jitter = rng.choices([0, 7], weights=[97, 3])[0]  # a few cues off the frame grid
        # subtitlers time long text longer: pick a line that fits the duration at 17 cps, mostly
        fits = [ln for ln in LINES if len(ln) * 1000 / 17 <= dur] or LINES[-1:]
        text = rng.choice(fits if rng.random() < 0.95 else LINES)
        out.append(f"{n}\n{srt_time(t + jitter)} --> {srt_time(t + dur)}\n{text}\n")
        t += dur + gap
    path.write_text("\n".join(out), encoding="utf-8")


def best(func, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cues", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ru.srt"
        generate(path, args.cues)
        load_s, track = best(lambda: dubdesk.load(path), args.repeat)
        duration = track.duration_ms  # type: ignore[attr-defined]
        # all rules: fps turns on frame-alignment, a video duration turns on after-video-end
        qa_s, report = best(
            lambda: run_qa(track, fps="25", video_duration_ms=duration - 60_000), args.repeat  # type: ignore[arg-type]
        )
        against_s, _ = best(lambda: run_qa(track, against=track), 1)  # type: ignore[arg-type]
    ran = report.rules  # type: ignore[attr-defined]
    print(f"cues: {args.cues}, size: {path.name}, best of {args.repeat}")
    print(f"load (dubdesk.subtitles.load): {load_s:.3f} s")
    print(f"qa, {len(ran)} rules ({len(RULES)} registered; the 4 --against rules need a source): {qa_s:.3f} s, "
          f"{len(report.findings)} findings")  # type: ignore[attr-defined]
    print(f"qa with --against (all 19 rules): {against_s:.3f} s")
    print(f"ratio qa/load: {qa_s / load_s:.2f} (target <= 1.0)")


if __name__ == "__main__":
    main()
