"""Benchmark: ``dubdesk mux`` (plan + ffmpeg + ffprobe verification) vs the equivalent hand-written
ffmpeg command, on a 10-minute 720p episode with 3 audio and 3 subtitle tracks.

    .venv/bin/python benchmarks/bench_mux.py [--rounds 5] [--keep]

The media is generated once with fast settings (a 10 s H.264 segment looped to
10 minutes by stream copy, AAC sines, SRT/ASS files with a cue every 2 s) into
a cache folder. Both sides run alternately, each writing a fresh output in the same folder
(same disk, warm page cache for inputs, previous output removed and dirty
pages synced before each timed run), and the medians are compared.
Target: ratio <= 1.10.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINUTES = 10


def ff(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True)


def srt(lang_text: str, seconds: int) -> str:
    out = []
    for n, start in enumerate(range(1, seconds - 2, 2), 1):
        s, e = start * 1000, start * 1000 + 1500
        out.append(
            f"{n}\n{s // 3600000:02d}:{s // 60000 % 60:02d}:{s // 1000 % 60:02d},{s % 1000:03d} --> "
            f"{e // 3600000:02d}:{e // 60000 % 60:02d}:{e // 1000 % 60:02d},{e % 1000:03d}\n{lang_text} {n}\n"
        )
    return "\n".join(out)


def make_media(folder: Path) -> dict[str, Path]:
    seconds = MINUTES * 60
    files = {
        "video": folder / "episode.mp4",
        "dub_kk": folder / "dub.kk.m4a",
        "dub_en": folder / "dub.en.m4a",
        "subs_ru": folder / "ep.ru.srt",
        "subs_kk": folder / "ep.kk.srt",
        "subs_zh": folder / "ep.zh-Hans.srt",
    }
    if all(p.exists() for p in files.values()):
        return files
    print(f"generating {MINUTES}-minute 720p media in {folder} ...", file=sys.stderr)
    seg, tone = folder / "seg.mp4", folder / "tone.m4a"
    ff("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=10",
       "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2500k", "-g", "50", "-pix_fmt", "yuv420p", str(seg))  # fmt: skip
    ff("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
       "-c:a", "aac", "-b:a", "128k", "-ac", "2", str(tone))  # fmt: skip
    ff("-stream_loop", str(seconds // 10 - 1), "-i", str(seg), "-i", str(tone), "-map", "0:v", "-map", "1:a",
       "-c", "copy", "-metadata:s:a:0", "language=rus", "-t", str(seconds), str(files["video"]))  # fmt: skip
    for key, freq in (("dub_kk", 550), ("dub_en", 660)):
        ff("-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=48000:duration={seconds}",
           "-c:a", "aac", "-b:a", "128k", "-ac", "2", str(files[key]))  # fmt: skip
    files["subs_ru"].write_text(srt("Реплика", seconds), encoding="utf-8")
    files["subs_kk"].write_text(srt("Сөз", seconds), encoding="utf-8")
    files["subs_zh"].write_text(srt("台词", seconds), encoding="utf-8")
    seg.unlink()
    tone.unlink()
    return files


def hand_written(files: dict[str, Path], out: Path) -> list[str]:
    """What a careful person types: same streams, languages, titles, dispositions, stream copy."""
    return [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", str(files["video"]), "-i", str(files["dub_kk"]), "-i", str(files["dub_en"]),
        "-i", str(files["subs_ru"]), "-i", str(files["subs_kk"]), "-i", str(files["subs_zh"]),
        "-map", "0:v", "-map", "0:a", "-map", "1:a", "-map", "2:a", "-map", "3", "-map", "4", "-map", "5",
        "-c", "copy",
        "-metadata:s:a:0", "language=rus", "-metadata:s:a:0", "title=Русский", "-disposition:a:0", "original",
        "-metadata:s:a:1", "language=kaz", "-metadata:s:a:1", "title=Қазақша", "-disposition:a:1", "default+dub",
        "-metadata:s:a:2", "language=eng", "-metadata:s:a:2", "title=English", "-disposition:a:2", "dub",
        "-metadata:s:s:0", "language=rus", "-metadata:s:s:0", "title=Русский", "-disposition:s:0", "0",
        "-metadata:s:s:1", "language=kaz", "-metadata:s:s:1", "title=Қазақша", "-disposition:s:1", "default",
        "-metadata:s:s:2", "language=chi", "-metadata:s:s:2", "title=中文（简体）", "-disposition:s:2", "forced",
        str(out),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dubdesk-bench-mux")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    files = make_media(args.cache)

    from dubdesk.media import mux

    out_ff, out_dd = args.cache / "out.ffmpeg.mkv", args.cache / "out.dubdesk.mkv"

    def fresh(out: Path) -> None:
        """Same start for every run: no old output to truncate or unlink, dirty pages written back."""
        out.unlink(missing_ok=True)
        os.sync()

    def run_ffmpeg() -> float:
        fresh(out_ff)
        t = time.perf_counter()
        subprocess.run(hand_written(files, out_ff), check=True)
        return time.perf_counter() - t

    def run_dubdesk() -> float:
        fresh(out_dd)
        t = time.perf_counter()
        mux(
            files["video"], out_dd,
            audio=[("kk", files["dub_kk"]), ("en", files["dub_en"])],
            subtitles=[("ru", files["subs_ru"]), ("kk", files["subs_kk"]), ("zh-Hans", files["subs_zh"])],
            default_audio="kk", default_subtitles="kk", forced=["zh-Hans"],
        )  # fmt: skip
        return time.perf_counter() - t

    out_cli = args.cache / "out.cli.mkv"
    dubdesk_exe = str(Path(sys.executable).with_name("dubdesk"))

    def run_cli() -> float:
        fresh(out_cli)
        t = time.perf_counter()
        subprocess.run(
            [dubdesk_exe, "mux", str(files["video"]), "--audio", f"kk={files['dub_kk']}", "--audio",
             f"en={files['dub_en']}", "--subs", f"ru={files['subs_ru']}", "--subs", f"kk={files['subs_kk']}",
             "--subs", f"zh-Hans={files['subs_zh']}", "--default-audio", "kk", "--default-subs", "kk",
             "--forced", "zh-Hans", "-o", str(out_cli), "--json"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return time.perf_counter() - t

    run_ffmpeg(), run_dubdesk(), run_cli()  # warm the page cache and imports
    times: dict[str, list[float]] = {"ffmpeg": [], "library": [], "cli": []}
    cpu: dict[str, float] = {"ffmpeg": 0.0, "library": 0.0, "cli": 0.0}
    runners = {"ffmpeg": run_ffmpeg, "library": run_dubdesk, "cli": run_cli}

    def cpu_now() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    for _ in range(args.rounds):
        for key, run in runners.items():
            before = cpu_now()
            times[key].append(run())
            cpu[key] += cpu_now() - before
    size = os.path.getsize(out_dd) / 1e6
    load = os.getloadavg()[0]
    print(f"media: {MINUTES} min 720p H.264 + 3 AAC + 3 SRT -> {size:.0f} MB MKV; {os.cpu_count()} CPUs, load {load:.1f}")
    from dubdesk.media import tool_info

    tools = [tool_info(name) for name in ("ffmpeg", "ffprobe")]
    print("dubdesk runs " + ", ".join(f"{t.name} {t.version} ({t.where}: {t.path})" for t in tools)
          + "; the hand-written command runs ffmpeg from PATH")  # fmt: skip
    labels = {"ffmpeg": "hand-written ffmpeg", "library": "dubdesk.mux() (plan+mux+verify)",
              "cli": "`dubdesk mux` CLI (plus Python start-up)"}  # fmt: skip
    for key, label in labels.items():
        ts = times[key]
        print(f"{label:<42} median {statistics.median(ts):.3f} s  min {min(ts):.3f} s  "
              f"({', '.join(f'{t:.2f}' for t in ts)})")  # fmt: skip
    base_med, base_min = statistics.median(times["ffmpeg"]), min(times["ffmpeg"])
    print("CPU seconds per run (user+sys, all processes; robust on a busy machine): "
          + ", ".join(f"{k} {v / args.rounds:.3f}" for k, v in cpu.items()))  # fmt: skip
    for key in ("library", "cli"):
        print(f"CPU ratio {key}/ffmpeg: {cpu[key] / cpu['ffmpeg']:.3f}")
    for key in ("library", "cli"):
        ratio = statistics.median(times[key]) / base_med
        print(f"ratio {key}/ffmpeg: median {ratio:.3f}, min {min(times[key]) / base_min:.3f}"
              f"  (target <= 1.10: {'met' if ratio <= 1.10 else 'NOT met'})")  # fmt: skip
    for p in (out_ff, out_dd, out_cli):
        p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
