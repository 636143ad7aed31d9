"""Benchmark: shot detection + loudness through ``dubdesk.media.analysis.analyze`` vs bare ffmpeg
commands doing the same analysis, on a 10-minute 720p episode with stereo audio.

    python benchmarks/bench_media_qa.py [--rounds 3] [--minutes 10]

The media is generated once (a 10 s H.264 segment of two shots, looped to the
length by stream copy, so a shot change every 5 s; an AAC stereo tone) into a
cache folder. Measured, alternately, medians of ``--rounds``:

* dubdesk, uncached: ffprobe (streams, fps, duration) + one ffmpeg pass
  (``scdet`` on the video and ``ebur128=peak=true`` on the audio) + parsing;
* bare, one pass: the same two filters in one hand-written ffmpeg command
  (like with like; the target: ratio <= 1.10);
* bare, two passes: ``-vf scdet`` and ``-af ebur128`` as two commands, the way
  the analyses are usually typed (for reference);
* dubdesk, cached: the same call again (sha256 of the file + reading the cache).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def ff(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True)


def make_media(folder: Path, minutes: int) -> Path:
    video = folder / f"episode-{minutes}min.mp4"
    if video.exists():
        return video
    seconds = minutes * 60
    print(f"generating {minutes}-minute 720p media in {folder} ...", file=sys.stderr)
    seg, tone = folder / "seg.mp4", folder / "tone.m4a"
    ff("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=5", "-f", "lavfi", "-i",
       "smptebars=size=1280x720:rate=25:duration=5", "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]",
       "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2500k", "-g", "50", "-pix_fmt", "yuv420p",
       str(seg))  # fmt: skip
    ff("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
       "-c:a", "aac", "-b:a", "128k", "-ac", "2", str(tone))  # fmt: skip
    partial = folder / f".partial-{video.name}"
    ff("-stream_loop", str(seconds // 10 - 1), "-i", str(seg), "-i", str(tone), "-map", "0:v", "-map", "1:a",
       "-c", "copy", "-t", str(seconds), str(partial))  # fmt: skip
    partial.rename(video)
    seg.unlink()
    tone.unlink()
    return video


def bare_one_pass(video: Path) -> list[str]:
    return ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(video), "-filter_complex",
            "[0:v]scdet=threshold=10:sc_pass=1,metadata=mode=print:file=-[v];"
            "[0:a]ebur128=peak=true:framelog=verbose[a]", "-map", "[v]", "-map", "[a]", "-f", "null", "-"]  # fmt: skip


def bare_two_passes(video: Path) -> list[list[str]]:
    return [
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(video), "-an", "-vf",
         "scdet=threshold=10:sc_pass=1,metadata=mode=print:file=-", "-f", "null", "-"],
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(video), "-vn", "-af",
         "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
    ]  # fmt: skip


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, capture_output=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dubdesk-bench-media-qa")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    video = make_media(args.cache, args.minutes)

    import os

    os.environ["DUBDESK_HOME"] = str(args.cache / "home")  # the benchmark's own analysis cache
    from dubdesk.media.analysis import analyze

    ours: list[float] = []
    one: list[float] = []
    two: list[float] = []
    found: list[int] = []
    loud = None
    for _ in range(args.rounds):
        result: dict[str, object] = {}

        def dubdesk_pass(result: dict[str, object] = result) -> None:
            result["a"] = analyze(video, shots=10, loudness=True, use_cache=False)

        ours.append(timed(dubdesk_pass))
        one.append(timed(lambda: run(bare_one_pass(video))))
        two.append(timed(lambda: [run(c) for c in bare_two_passes(video)]))
        a = result["a"]
        found = list(a.shot_changes_ms or [])  # type: ignore[attr-defined]
        loud = a.loudness  # type: ignore[attr-defined]
    analyze(video, shots=10, loudness=True)  # fill the cache
    cached = statistics.median(timed(lambda: analyze(video, shots=10, loudness=True)) for _ in range(3))
    m_ours, m_one, m_two = statistics.median(ours), statistics.median(one), statistics.median(two)
    print(f"{args.minutes}-minute 720p25 H.264 + AAC stereo, {len(found)} shot changes found "
          f"(expected {args.minutes * 60 // 5 - 1}), integrated {loud.integrated_lufs if loud else None} LUFS")  # fmt: skip
    print(f"dubdesk analyze (probe + one pass + parse): {m_ours:.2f} s  (rounds {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"bare ffmpeg, one pass (same filters):       {m_one:.2f} s  (rounds {', '.join(f'{t:.2f}' for t in one)})")
    print(f"bare ffmpeg, two passes (scdet; ebur128):   {m_two:.2f} s  (rounds {', '.join(f'{t:.2f}' for t in two)})")
    print(f"ratio vs one pass: {m_ours / m_one:.3f}x (target <= 1.10); vs two passes: {m_ours / m_two:.3f}x")
    print(f"dubdesk analyze again, cached by content hash: {cached:.3f} s")


if __name__ == "__main__":
    main()
