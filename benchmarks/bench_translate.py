"""Translation throughput: dubdesk's batched pipeline against its baselines, side by side in one run.

    python benchmarks/bench_translate.py [--cues 1000] [--max-decoding-length 24] [--compute-type int8]

Model: the base-sized Transformer from :func:`dubdesk.testing.toymodel.build_base_model`
(6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 32k, random weights, int8 like the
official Argos packages), an Argos package folder run by dubdesk's own ArgosEngine. Its ``</s>``
bias is meant to end hypotheses near a subtitle line's length, but on these inputs nearly all run
to the limit, so ``--max-decoding-length`` (default 20, about 1.5x the average cue) sets the cost;
applied identically to every run (the engine's ``max_decoding_length`` option; its default limit,
256, would let random stragglers dominate), with the engine's beam size (2) everywhere.

Runs, on the same N distinct cues:
  A. dubdesk: ``translate_track`` on the N-cue track (markup, memory, reflow, batching), empty memory;
  B. per cue: one ``translate_batch`` call per cue, the way argostranslate's file translator does
     (argostranslatefiles' SRT format calls ``translate()`` per cue; argostranslate's translator
     settings: inter_threads 1, intra_threads 0 = every core for each call, max_batch_size 32);
  B1. per cue as B but single-threaded (intra_threads 1), the fastest way to make one call per cue
     here: two threads on a one-line call mostly wait for each other;
  C. bare: one ``translate_batch`` over the pre-tokenised texts (tokenising not timed);
  D. dubdesk again with 1 % of the cues edited (same memory as A).
Then, on N cues that form two-cue sentences (cue 2k has no final stop, cue 2k+1 starts lower case),
the cost of cutting joined sentences by the model's alignment:
  E. dubdesk with alignment: the joined sentences decoded with ``return_attention=True``, links
     computed, cuts chosen (random weights give flat attention, so most groups then fall back to
     the proportional cut: the whole alignment cost is paid, which is what is measured);
  F. the same run without attention: an engine wrapper that cannot align, ``context="sentence"``
     (the same texts decoded, cut in proportion);
  G. bare ``translate_batch`` without attention over the same texts F sent, pre-tokenised.
Targets: B/A >= 10, A/C <= 1.25, D/A <= 0.05, E/F <= 1.1, E/G <= 1.1. B1/A is printed too, for scale.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORDS_FALLBACK = ["алматы", "зима", "приехал", "москвы", "театре", "музыка", "звучала", "улица"]


def make_cues(n: int, vocabulary: list[str], seed: int = 0) -> list[str]:
    """N distinct cues of 4-10 words; every word is one SentencePiece piece of the model, so a
    cue is about as many tokens as a real subtitle line under a real 32k vocabulary."""
    rng = random.Random(seed)
    seen: set[str] = set()
    cues: list[str] = []
    while len(cues) < n:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 10))]
        text = " ".join(words).capitalize() + rng.choice(".?!")
        if text in seen:
            continue
        seen.add(text)
        if len(words) >= 7:  # two-line cues: the break is markup, not text
            half = len(text) // 2
            cut = text.rfind(" ", 0, half)
            text = text[:cut] + "\\N" + text[cut + 1 :]
        cues.append(text)
    return cues


def piece_words(sp: Any) -> list[str]:
    """Whole-word pieces of the SentencePiece model (``▁word``, letters only, 3+ letters)."""
    out = []
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        if piece.startswith("\u2581") and len(piece) > 3 and piece[1:].isalpha() and piece[1:].islower():
            out.append(piece[1:])
    return out or WORDS_FALLBACK


def make_sentences(n: int, vocabulary: list[str], seed: int = 1) -> list[str]:
    """N distinct cues in two-cue sentences: "Words words words" then "words words words."."""
    rng = random.Random(seed)
    cues: list[str] = []
    seen: set[str] = set()
    while len(cues) < n:
        first = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 6))).capitalize()
        second = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 6))) + "."
        if first in seen or second in seen:
            continue
        seen.update((first, second))
        cues += [first, second]
    return cues[:n]


class NoAlignment:
    """The engine without its alignment capability (and recording what it is sent)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.id = inner.id
        self.sent: list[str] = []

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        self.sent.extend(texts)
        return list(self.inner.translate_batch(texts, source, target))


def make_track(cues: list[str]) -> Any:
    import pysubs2

    from dubdesk.track import Source, Track

    subs = pysubs2.SSAFile()
    for i, text in enumerate(cues):
        subs.events.append(pysubs2.SSAEvent(start=i * 3000, end=i * 3000 + 2500, text=text))
    return Track(subs=subs, language="ru", source=Source(format="srt"))


def build_package(folder: Path) -> Path:
    from dubdesk.testing.toymodel import build_base_model

    return build_base_model(folder / "bench-ru-kk", source="ru", target="kk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cues", type=int, default=1000)
    parser.add_argument("--max-decoding-length", type=int, default=20)
    parser.add_argument("--compute-type", default="default", help="CTranslate2 compute type (the model is int8)")
    parser.add_argument("--edited", type=float, default=0.01, help="fraction of cues edited for the re-run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of E, F and G (interleaved; the fastest is kept)")
    parser.add_argument("--alignment-only", action="store_true", help="only E, F and G")
    args = parser.parse_args()

    from dubdesk.markup import visible
    from dubdesk.translate.argos import ArgosEngine
    from dubdesk.translate.pipeline import translate_track

    with tempfile.TemporaryDirectory(prefix="dubdesk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        pkg = build_package(tmp)
        print(f"built base model in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        engine = ArgosEngine(pkg, compute_type=args.compute_type, max_decoding_length=args.max_decoding_length)
        translator = engine.translator
        import ctranslate2

        # argostranslate's own translator settings: inter_threads 1, intra_threads 0 (all cores)
        argos_translator = ctranslate2.Translator(
            str(pkg / "model"), device="cpu", compute_type=args.compute_type, inter_threads=1, intra_threads=0
        )
        single_translator = ctranslate2.Translator(
            str(pkg / "model"), device="cpu", compute_type=args.compute_type, inter_threads=1, intra_threads=1
        )
        from dubdesk.translate.argos import default_threads

        engine_threads, max_batch = default_threads(), engine.max_batch_size
        cues = make_cues(args.cues, piece_words(engine.sp))
        texts = [" ".join(visible(c).split()) for c in cues]
        tokens = engine.tokenize(texts)
        avg = sum(map(len, tokens)) / len(tokens)
        decode = {"beam_size": engine.beam_size, "max_decoding_length": args.max_decoding_length}
        print(f"{len(cues)} cues, {avg:.1f} source tokens on average; decoding {decode}, "
              f"compute_type={args.compute_type}", file=sys.stderr)
        for warm in (translator, argos_translator, single_translator):
            warm.translate_batch(tokens[:8], **decode)
        if args.alignment_only:
            e, f, g, e_cpu, f_cpu, g_cpu = alignment_runs(engine, decode, tmp, args)
            print_alignment(e, f, g, e_cpu, f_cpu, g_cpu, args.cues)
            return

        # A. dubdesk, empty memory
        memory = tmp / "tm.sqlite"
        t0 = time.perf_counter()
        first = translate_track(make_track(cues), "kk", engine=engine, memory=memory)
        a = time.perf_counter() - t0
        assert first.report.translated == len(cues), first.report

        # C. bare translate_batch over pre-tokenised texts
        t0 = time.perf_counter()
        translator.translate_batch(tokens, max_batch_size=engine.max_batch_size, **decode)
        c = time.perf_counter() - t0

        # B. one call per cue (argostranslate's file translator: translate() per cue); B1 single-threaded
        def per_cue(one: Any) -> float:
            t0 = time.perf_counter()
            for text in texts:
                pieces = engine.sp.encode(text, out_type=str)
                result = one.translate_batch([pieces], max_batch_size=32, **decode)
                engine.sp.decode(result[0].hypotheses[0])
            return time.perf_counter() - t0

        b = per_cue(argos_translator)
        b1 = per_cue(single_translator)

        # D. re-run with 1 % of the cues edited
        edited = list(cues)
        step = max(1, round(1 / args.edited))
        for i in range(0, len(edited), step):
            edited[i] = edited[i].rstrip(".?!") + ", да?"
        n_edited = len(range(0, len(edited), step))
        t0 = time.perf_counter()
        rerun = translate_track(make_track(edited), "kk", engine=engine, memory=memory)
        d = time.perf_counter() - t0
        assert rerun.report.translated == n_edited, rerun.report

        e, f, g, e_cpu, f_cpu, g_cpu = alignment_runs(engine, decode, tmp, args)

    rows = [
        ("A dubdesk translate_track", a),
        ("B one call per cue (argostranslate way)", b),
        ("B1 one call per cue, single-threaded", b1),
        ("C bare translate_batch, pre-tokenised", c),
        (f"D re-run, {n_edited} cues edited", d),
    ]
    for name, secs in rows:
        print(f"{name:<42} {secs:8.2f} s  {args.cues / secs:8.1f} cues/s")
    print()
    inter, intra = engine_threads
    print(f"dubdesk engine: inter_threads {inter}, intra_threads {intra}, max_batch_size {max_batch}")
    print(f"per-cue / dubdesk   = {b / a:6.1f}x   (target >= 10)")
    print(f"per-cue single-threaded / dubdesk = {b1 / a:6.1f}x   (for scale)")
    print(f"dubdesk / bare      = {a / c:6.2f}x   (target <= 1.25)")
    print(f"re-run / first run  = {d / a:6.3f}    (target <= 0.05)")
    print_alignment(e, f, g, e_cpu, f_cpu, g_cpu, args.cues)


def alignment_runs(engine: Any, decode: dict[str, Any], tmp: Path, args: Any) -> tuple[float, ...]:
    """E/F/G on joined sentences: (wall E, F, G, CPU E, F, G), the fastest of ``--repeat`` each.

    Interleaved and repeated (fresh memory each time): the difference is a few percent, less than
    the noise of one run on a shared machine. CPU time (every thread of this process) is printed
    beside wall time because it is far less disturbed by other processes.
    """
    from dubdesk.translate.pipeline import translate_track

    sentences = make_sentences(args.cues, piece_words(engine.sp))
    wall: dict[str, list[float]] = {"e": [], "f": [], "g": []}
    cpu: dict[str, list[float]] = {"e": [], "f": [], "g": []}

    def timed(kind: str, run: Any, *a: Any, **kw: Any) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        out = run(*a, **kw)
        wall[kind].append(time.perf_counter() - w0)
        cpu[kind].append(time.process_time() - c0)
        return out

    for rep in range(args.repeat):
        aligned = timed("e", translate_track, make_track(sentences), "kk", engine=engine, memory=tmp / f"e{rep}.sqlite")
        assert aligned.report.merged == len(sentences) - len(sentences) % 2, aligned.report.merged
        plain = NoAlignment(engine)
        proportional = timed(
            "f", translate_track, make_track(sentences), "kk", engine=plain, memory=tmp / f"f{rep}.sqlite",
            context="sentence",
        )
        assert proportional.report.merged == aligned.report.merged and proportional.report.aligned == 0
        sent_tokens = engine.tokenize(sorted(set(plain.sent), key=len, reverse=True))
        timed("g", engine.translator.translate_batch, sent_tokens, max_batch_size=engine.max_batch_size, **decode)
    print("E/F/G wall (s): " + "; ".join(f"{k.upper()} " + ", ".join(f"{x:.2f}" for x in v)
                                       for k, v in wall.items()), file=sys.stderr)
    print(f"{len(sentences)} cues in {aligned.report.merged // 2} two-cue sentences, "
          f"{sum(map(len, sent_tokens)) / len(sent_tokens):.1f} source tokens per text on average; "
          f"alignment cut {aligned.report.aligned}, proportional {len(aligned.report.fallback)}",
          file=sys.stderr)
    return tuple(min(d[k]) for d in (wall, cpu) for k in "efg")


def print_alignment(e: float, f: float, g: float, e_cpu: float, f_cpu: float, g_cpu: float, n: int) -> None:
    for name, secs, cpu in (
        ("E dubdesk, joined sentences, alignment", e, e_cpu),
        ("F the same without attention", f, f_cpu),
        ("G bare translate_batch of F's texts", g, g_cpu),
    ):
        print(f"{name:<42} {secs:8.2f} s  {n / secs:8.1f} cues/s   CPU {cpu:7.2f} s")
    print(f"alignment / same without attention = {e / f:6.2f}x wall, {e_cpu / f_cpu:6.2f}x CPU   (target <= 1.1)")
    print(f"alignment / bare without attention = {e / g:6.2f}x wall, {e_cpu / g_cpu:6.2f}x CPU   (target <= 1.1)")


if __name__ == "__main__":
    main()
