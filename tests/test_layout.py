"""The layout keeps one home for each idea: no import cycles, no imports hidden in functions
(except lazy adapters of heavy libraries and the CLI's lazy commands), script facts defined once."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "dubdesk"
SCRIPTS = PACKAGE / "languages" / "scripts.py"

#: third-party libraries imported inside the function that needs them, so that ``import dubdesk``
#: and ``dubdesk --help`` stay light (tests/test_subtitles_cli.py checks the weight)
HEAVY = {
    "ctranslate2",
    "sentencepiece",
    "argostranslate",
    "rich",
    "charset_normalizer",
    "ffmpeg",
    "dask",
    "numpy",
    "sacremoses",  # Moses tokenisation, only for BPE Argos packages
    "subword_nmt",
}
#: modules whose function-level imports are still to be lifted (none left: project/ was the last)
NOT_YET: set[str] = set()


@dataclass(frozen=True)
class Import:
    module: str  #: the importing module
    target: str  #: what it imports (a dubdesk module, or a top-level library name)
    line: int
    in_function: bool
    type_checking: bool


def _modules() -> dict[str, tuple[Path, bool]]:
    out: dict[str, tuple[Path, bool]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _imports() -> list[Import]:
    modules = _modules()
    found: list[Import] = []
    for module, (path, is_package) in modules.items():
        here = module.split(".") if is_package else module.split(".")[:-1]

        def targets(node: ast.Import | ast.ImportFrom, here: list[str] = here) -> list[str]:
            if isinstance(node, ast.Import):
                return [a.name for a in node.names]
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # ``from . import markup`` imports the module dubdesk.markup, not a name of dubdesk
            return [f"{name}.{a.name}" if f"{name}.{a.name}" in modules else name for a in node.names]

        def visit(node: ast.AST, in_function: bool, type_checking: bool, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                func = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
                tc = type_checking or (
                    isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
                )
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in targets(child):
                        found.append(Import(module, target, child.lineno, func, tc))
                visit(child, func, tc)

        visit(ast.parse(path.read_text(encoding="utf-8")), False, False)
    return found


def _packages_of(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return found


def test_no_import_cycles_among_dubdesk_modules() -> None:
    """Counting imports inside functions too: a cycle hidden in a function is still a cycle."""
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for imp in _imports():
        if imp.type_checking or imp.target not in modules or imp.target == imp.module:
            continue
        edges.setdefault(imp.module, set()).add(imp.target)
        # importing dubdesk.qa.check runs dubdesk/qa/__init__.py first, unless the importer is inside it
        for package in _packages_of(imp.target):
            if package != "dubdesk" and not imp.module.startswith(package + ".") and imp.module != package:
                edges[imp.module].add(package)
    assert sys.getrecursionlimit() > len(modules)
    assert _cycles(edges) == []


def test_imports_inside_functions_are_lazy_adapters_or_cli_commands() -> None:
    hidden = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in _imports()
        if imp.in_function
        and not imp.type_checking
        and not imp.module.startswith("dubdesk.cli")  # click commands import their library lazily
        and imp.module not in NOT_YET
        and imp.target.split(".")[0] not in HEAVY
    ]
    assert hidden == []


#: the shared foundations: what every capability builds on, so they import none of them
FOUNDATIONS = {
    "dubdesk.errors", "dubdesk.files", "dubdesk.track", "dubdesk.runtime", "dubdesk.markup", "dubdesk.languages",
    "dubdesk.languages.scripts", "dubdesk.text", "dubdesk.text.reflow", "dubdesk.encodings", "dubdesk.formats",
    "dubdesk.formats.srt", "dubdesk.formats.vtt", "dubdesk.formats.ass", "dubdesk.subtitles",
}  # fmt: skip
CAPABILITIES = (
    "dubdesk.qa",
    "dubdesk.glossary",
    "dubdesk.translate",
    "dubdesk.media",
    "dubdesk.project",
    "dubdesk.cli",
)


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_imports_run_from_capabilities_down_to_foundations() -> None:
    """Line breaking never reaches QA, markup never reaches the glossary, and so on (transitively)."""
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for imp in _imports():
        if not imp.type_checking and imp.target in modules:
            edges.setdefault(imp.module, set()).add(imp.target)
    assert set(modules) >= FOUNDATIONS
    upward = {
        module: sorted(t for t in _reach(module, edges) if t.startswith(CAPABILITIES))
        for module in sorted(FOUNDATIONS)
    }
    assert {m: ts for m, ts in upward.items() if ts} == {}
    # translation reads a line length as a number: it does not import QA to get one
    assert not [t for t in _reach("dubdesk.translate.pipeline", edges) if t.startswith("dubdesk.qa")]


def test_lint_is_a_module_whatever_the_import_order() -> None:
    code = (
        "import types, dubdesk; f = dubdesk.lint_file; import dubdesk.lint; "
        "print(isinstance(dubdesk.lint, types.ModuleType), f is dubdesk.lint.lint_file, hasattr(dubdesk.lint, 'lint'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "False"]


#: a Unicode range or code point comparison written out: "\u0400-\u04ff", 0x4E00 <= o, "\u3000" <= ch
_RANGE_LITERAL = re.compile(
    r"\\u[0-9a-f]{4}\s*-\s*\\u|\\U[0-9a-f]{8}|0x[0-9a-f]{4,5}\s*<=?|<=?\s*0x[0-9a-f]{4,5}|\"\\u[0-9a-f]{4}\"\s*<=",
    re.IGNORECASE,
)
#: a range of literal non-ASCII characters in a regex class: [а-яё], [一-龥]
_LITERAL_CLASS_RANGE = re.compile(r"\[[^\]\n]*[^\x00-\x7f]-[^\x00-\x7f]")
KAZAKH = set("әғқңөұүһі")


def test_script_facts_are_defined_once() -> None:
    """CJK and other script ranges, half-width widths and the Kazakh letters live in languages/scripts.py."""
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == SCRIPTS:
            continue
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(SRC)}:{n}"
            if _RANGE_LITERAL.search(line) or _LITERAL_CLASS_RANGE.search(line):
                copies.append(f"{where}: Unicode range {line.strip()[:60]}")
        for node in ast.walk(ast.parse(text)):
            # a string holding most of the Kazakh letters is a copy of KAZAKH_LETTERS (Kyrgyz ңөү is not)
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and len(KAZAKH & set(node.value.lower())) >= 6
            ):
                copies.append(f"{path.relative_to(SRC)}:{node.lineno}: Kazakh letters {node.value[:20]!r}")
    assert copies == []


def test_the_checks_would_catch_a_copy() -> None:
    """The patterns above find what they are meant to (a check that finds nothing proves little)."""
    assert _RANGE_LITERAL.search(r'_CJK = "\u2e80-\u9fff"') and _RANGE_LITERAL.search("return 0x2E80 <= o")
    assert _RANGE_LITERAL.search('"\\u3000" <= ch') and _RANGE_LITERAL.search("o < 0x1100")
    assert _LITERAL_CLASS_RANGE.search('re.compile("[а-яё]")') and not _LITERAL_CLASS_RANGE.search("[a-z]")
    assert len(KAZAKH & set("ӘҒҚҢӨҰҮҺІ".lower())) >= 6 and len(KAZAKH & set("ңөүҢӨҮ".lower())) < 6
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_translation_line_length_comes_from_the_shared_readability_profiles() -> None:
    """A number, a loaded profile or a name; by default the target language's profile (dubdesk.profiles)."""
    import pytest

    import dubdesk
    from dubdesk.errors import UnknownProfileError
    from qa_helpers import make_track

    class Echo:
        id = "echo"

        def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
            return list(texts)

    text = "one two three four five six seven eighty"  # 40 characters: over Russian's 39, under 42
    track = make_track([(0, 3000, text)], language="en")
    for profile in (dubdesk.load_profile("ru"), "ru", None, 39):
        ru = dubdesk.translate_track(track, "ru", engine=Echo(), memory=False, profile=profile)
        assert "\\N" in ru.track.events[0].text, profile
        assert ru.track.events[0].text.replace("\\N", " ") == text
    wide = dubdesk.translate_track(track, "ru", engine=Echo(), memory=False, profile=42)
    assert wide.track.events[0].text == text
    with pytest.raises(UnknownProfileError):
        dubdesk.translate_track(track, "ru", engine=Echo(), memory=False, profile="no-such-profile")
