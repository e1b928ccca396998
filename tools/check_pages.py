"""Check the pages' sources against the book's rules, in seconds, without building anything.

    python -m tools.check_pages        (make check)

Each rule is a small function that yields one message per problem, naming the page. The
rules are those of CONTRIBUTING.md: the same code in both editions, the first cell that
imports `glue`, glue only in hidden cells, each module imported once, a seed, one line per
epoch, `keras.Input`, numbers written as each edition's language writes them, the words
each edition avoids (AVOIDED_WORDS: the Spanish «paso» is only the optimizer's step), and
every claim about a run (`% claim: NAME`) backed by a test `test_NAME` in tests/claims/, in
both editions.
Exits 1 if any rule fails.
"""

import ast
import re
import sys

from book._ext.typography import mistakes
from tools.book_sources import ROOT, config, languages, code_cells, code_differences, markdown_lines, pages, pages_with_code

GLUE_IMPORT = "from myst_nb import glue"
CLAIM = re.compile(r"^% claim: ([a-z0-9_]+)\s*$", re.M)
CLAIM_TESTS = ROOT / "tests" / "claims"


def rule_same_code_in_every_edition():
    yield from code_differences()


def rule_first_cell_imports_glue():
    for page in pages_with_code():
        source, metadata = code_cells(languages()[0], page)[0]
        if GLUE_IMPORT not in source or "remove-cell" not in metadata.get("tags", []):
            yield f"{page}: the first code cell must be the remove-cell cell with `{GLUE_IMPORT}`"


def rule_glue_only_in_hidden_cells():
    for page in pages_with_code():
        for number, (source, metadata) in enumerate(code_cells(languages()[0], page), start=1):
            if re.search(r"\bglue\(", source) and "remove-cell" not in metadata.get("tags", []):
                yield f"{page}: code cell {number} calls glue() but is not tagged remove-cell"


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([A-Za-z_]\w*)")
GLUE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::\w+)?\}\s+([A-Za-z_]\w*)", re.M)
IF_RUN = re.compile(r"^\s*(?:`{3,}|:{3,})\{if-run\}\s+(not\s+)?([A-Za-z_]\w*)\s*$", re.M)
PAD_KEYS = re.compile(r"^\s*(?:`{3,}|:{3,})\{digit-pad\}\s+(\w+)|^:(?:samples|labels):\s+(\w+)", re.M)
ANSWER_BOX = re.compile(r"^\s*(?:`{3,}|:{3,})\{answer-box\}\s+(\w+)", re.M)


def glued_names(source):
    """What a page's code glues: (literal names, patterns of names built with f-strings)."""
    names, patterns = set(), []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return names, patterns
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "glue" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                patterns.append(re.compile("".join(
                    re.escape(part.value) if isinstance(part, ast.Constant) else ".+" for part in first.values) + "$"))
    return names, patterns


def rule_every_quoted_value_is_glued():
    """A {glue:...} in the prose, a glued figure, a drawing pad or an answer box names a
    value that the page's code glues (otherwise the build warns, but only once the page has
    run)."""
    for lang in languages():
        for page in pages_with_code():
            code = "\n".join(source for source, _ in code_cells(lang, page))
            names, patterns = glued_names(code)
            text = (ROOT / "book" / lang / f"{page}.md").read_text(encoding="utf8")
            used = set(GLUE_ROLE.findall(text)) | set(GLUE_DIRECTIVE.findall(text))
            used |= {name for pair in PAD_KEYS.findall(text) for name in pair if name}
            used |= {name for _, name in IF_RUN.findall(text)}
            used |= set(ANSWER_BOX.findall(text))
            for name in sorted(used):
                if name not in names and not any(pattern.match(name) for pattern in patterns):
                    yield f"{lang}/{page}: quotes the glued value {name!r}, which no code cell glues"


def rule_if_run_writes_every_outcome():
    """Words chosen by the run (`{if-run} NAME`, book/_ext/if_run.py) come in pairs: a
    passage for `NAME` and one for `not NAME`, so that every outcome has its words; and
    every edition has the same passages in the same order."""
    found = {}
    for lang in languages():
        for page in pages(lang):
            text = (ROOT / "book" / lang / f"{page}.md").read_text(encoding="utf8")
            found[lang, page] = [(bool(negated), name) for negated, name in IF_RUN.findall(text)]
            for negated, name in sorted(set(found[lang, page])):
                if (not negated, name) not in found[lang, page]:
                    missing = name if negated else f"not {name}"
                    yield f"{lang}/{page}: has `{{if-run}} {'not ' * negated}{name}` but no `{{if-run}} {missing}`"
    first, *others = languages()
    for lang in others:
        for page in pages(first):
            if found.get((lang, page), []) != found[first, page]:
                yield f"{lang}/{page}: its `{{if-run}}` passages differ from {first}/{page}'s (same names, same order)"


def code_nodes(source):
    """Every node of the code `source`, or none if it does not parse."""
    try:
        return list(ast.walk(ast.parse(source)))
    except SyntaxError:
        return []


def calls(source):
    """(name of the called attribute or function, keyword names) of every call in `source`."""
    for node in code_nodes(source):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {k.arg: k.value for k in node.keywords}
            yield name, keywords


def rule_seeded_and_quiet_training():
    for page in pages_with_code():
        code = "\n".join(source for source, _ in code_cells(languages()[0], page))
        if "import keras" in code and "keras.utils.set_random_seed(42)" not in code:
            yield f"{page}: call keras.utils.set_random_seed(42) after the imports"
        for name, keywords in calls(code):
            wanted = {"fit": 2, "evaluate": 2, "predict": 0}.get(name)
            verbose = keywords.get("verbose")
            if wanted is not None and not (isinstance(verbose, ast.Constant) and verbose.value == wanted):
                yield f"{page}: every .{name}(...) needs verbose={wanted}"
            if "input_shape" in keywords:
                yield f"{page}: use keras.Input(shape=...) as the first layer, not input_shape="


def prose_lines(lang, page):
    """The page's Markdown lines of prose (outside code blocks), without code spans, role
    contents, link targets, directive options, comments and raw HTML."""
    for line in markdown_lines(lang, page):
        if line.strip().startswith((":", "%", "<")):
            continue
        line = re.sub(r"`[^`]*`", "", line)  # code spans and role contents
        line = re.sub(r"\]\([^)]*\)|https?://\S+", "", line)  # link targets
        yield line


def rule_numbers_follow_the_edition_language():
    for lang in languages():
        rules = mistakes(config()["languages"][lang]["book_numbers"])
        for page in pages(lang):
            for line in prose_lines(lang, page):
                for pattern, problem in rules:
                    match = pattern.search(line)
                    if match:
                        yield f"{lang}/{page}: {match.group()!r} {problem}: {line.strip()[:80]}"


# An arithmetic expression of numbers (×, +, −, /, parentheses) whose result is typed after
# "=": a number that the prose derives from others, which must be computed and glued.
TYPED_RESULT = re.compile(r"\d[\d,.\u202f ]*\)?\s*[×+−/]\s*\(?\s*\d[\d,.\u202f ×+−/()]*=\s*\(?\d(?:[,.\u202f ]?\d)*")


def rule_derived_numbers_are_glued():
    """`784 × 10 + 10 = 7,850` must be `784 × 10 + 10 = {glue:text}`...``: a derived number is
    computed in the page, never typed (the 16,979,120 that should have been 16,981,120)."""
    for lang in languages():
        for page in pages(lang):
            for line in prose_lines(lang, page):
                match = TYPED_RESULT.search(line)
                if match:
                    yield f"{lang}/{page}: a typed result of arithmetic, {match.group()!r}: glue it: {line.strip()[:80]}"


# Words an edition avoids, with what it uses instead: {language: [(pattern, why)]}.
AVOIDED_WORDS = {
    "es": [
        (re.compile(r"¡\s*[Bb]ienvenid[oa]s?\b"), "assumes the reader's gender: write «¡Te damos la bienvenida!»"),
        (re.compile(r"\bpaso hacia (?:a)?delante", re.I),
         "the forward pass is the «propagación hacia delante» (glossary); «paso» is the optimizer's step"),
        (re.compile(r"\brebanad[oa]s?\b", re.I), "slicing is «indexación por tramos», as chapter 3 says"),
    ],
}
# In Spanish, «paso» alone is the optimizer's step (glossary); the window's stride is always
# «paso de la ventana», so a paragraph about a window says it in full.
BARE_PASO = re.compile(r"\bpasos?\b(?! de la ventana| del optimizador)", re.I)
TERM_ROLE = re.compile(r"\{term\}`([^`<]*?)\s*(?:<[^`]*>)?`")


def worded_paragraphs(lang, page):
    """The paragraphs a reader reads on a page (prose, headings, alt texts), with the text
    that a {term} role shows and without code, comments, options or link targets."""
    paragraph = []
    for line in markdown_lines(lang, page):
        stripped = line.strip()
        if stripped.startswith(":alt:"):
            stripped = stripped.removeprefix(":alt:")
        elif stripped.startswith((":", "%", "<")):
            stripped = ""
        if not stripped:
            if paragraph:
                yield " ".join(paragraph)
            paragraph = []
            continue
        stripped = TERM_ROLE.sub(r"\1", stripped)
        stripped = re.sub(r"`[^`]*`", "", stripped)
        stripped = re.sub(r"\]\([^)]*\)|https?://\S+", "", stripped)
        paragraph.append(stripped)
    if paragraph:
        yield " ".join(paragraph)


def figure_words(lang):
    """(file name, the words) of each diagram of an edition: its title, description and texts."""
    from xml.etree import ElementTree

    for path in sorted((ROOT / "book" / lang / "figures").glob("*.svg")):
        root = ElementTree.parse(path).getroot()
        yield path.name, " ".join(" ".join(element.itertext()) for element in root
                                  if element.tag.rsplit("}", 1)[-1] in ("title", "desc", "text"))


def rule_words_of_each_edition():
    for lang, avoided in AVOIDED_WORDS.items():
        if lang not in languages():
            continue
        texts = [(f"{lang}/{page}", paragraph) for page in pages(lang) for paragraph in worded_paragraphs(lang, page)]
        texts += [(f"{lang}/figures/{name}", words) for name, words in figure_words(lang)]
        for where, text in texts:
            for pattern, why in avoided:
                match = pattern.search(text)
                if match:
                    yield f"{where}: {match.group()!r} {why}: {text[max(0, match.start() - 40):match.end() + 40]!r}"
            if lang == "es" and "ventana" in text and BARE_PASO.search(text):
                match = BARE_PASO.search(text)
                yield (f"{where}: a paragraph about a window says {match.group()!r}: the stride is «paso de la "
                       f"ventana» (glossary), «paso» alone the optimizer's step: "
                       f"{text[max(0, match.start() - 40):match.end() + 40]!r}")


def rule_each_module_imported_once():
    """A page imports a module once, in its first cells: importing it again later (chapter
    1's `import tensorflow as tf` before `tf.GradientTape`) tells the learner it was missing.
    Cells tagged remove-cell do not count: the reader notebooks leave them out, so the code
    a reader sees must import what it uses itself."""
    for page in pages_with_code():
        first = {}
        for number, (source, metadata) in enumerate(code_cells(languages()[0], page), start=1):
            if "remove-cell" in metadata.get("tags", []):
                continue
            for node in code_nodes(source):
                if isinstance(node, ast.Import):
                    names = [(alias.name, alias.asname) for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [(f"{node.module}.{alias.name}", alias.asname) for alias in node.names]
                else:
                    continue
                for name in names:
                    if name in first and first[name] != number:
                        shown = f"{name[0]} as {name[1]}" if name[1] else name[0]
                        yield f"{page}: code cell {number} imports {shown} again (cell {first[name]} already does)"
                    first.setdefault(name, number)


def claim_tests():
    """The names of the claim tests in tests/claims/ (test_NAME protects `% claim: NAME`)."""
    names = set()
    for path in sorted(CLAIM_TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf8"))
        names |= {node.name.removeprefix("test_") for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return names


def rule_every_claim_has_its_test():
    tests = claim_tests()
    marked = {lang: {(page, name) for page in pages(lang)
                     for name in CLAIM.findall((ROOT / "book" / lang / f"{page}.md").read_text(encoding="utf8"))}
              for lang in languages()}
    for lang, claims in marked.items():
        for page, name in sorted(claims):
            if name not in tests:
                yield f"{lang}/{page}: `% claim: {name}` has no test_{name} in tests/claims/"
        for other, their_claims in marked.items():
            for page, name in sorted(their_claims - claims):
                yield f"{lang}/{page}: lacks `% claim: {name}`, which {other}/{page} has"
    everywhere = set().union(*(set(name for _, name in claims) for claims in marked.values()))
    for name in sorted(tests - everywhere):
        yield f"tests/claims/: test_{name} protects no `% claim: {name}` in the pages"


def interface_strings():
    """{msgid: where} of every string that our extensions and the exercises' checks (which
    travel in the reader notebooks) translate with `_("...")`, and of the comments of the
    checks' starters."""
    found = {}
    for path in sorted([*(ROOT / "book" / "_ext").rglob("*.py"), *(ROOT / "book" / "_checks").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    # The comments of the starters, which the reader notebooks show in the edition's language.
    from book._ext.reader_notebooks.checks import exercises, starter_comments

    for path in sorted((ROOT / "book" / "_checks").glob("*.py")):
        if path.stem != "checking":
            for exercise in exercises(path)[0].values():
                for comment in starter_comments(exercise.starter):
                    found.setdefault(comment, f"{path.relative_to(ROOT)}: starter of {exercise.label}")
    return found


def rule_interface_strings_are_translated():
    """Our extensions and checks write their words in English; every other edition's catalog
    (book/_locale/<language>/LC_MESSAGES/sphinx.po) must translate each of them."""
    from babel.messages.pofile import read_po

    strings = interface_strings()
    for lang in languages():
        if lang == "en":
            continue
        path = ROOT / "book" / "_locale" / lang / "LC_MESSAGES" / "sphinx.po"
        if not path.is_file():
            yield f"{lang}: no {path.relative_to(ROOT)} for the {len(strings)} strings of book/_ext"
            continue
        with path.open("rb") as po:
            catalog = read_po(po)
        for msgid, where in strings.items():
            message = catalog.get(msgid)
            if message is None or not message.string:
                yield f"{lang}: {path.relative_to(ROOT)} does not translate {msgid[:60]!r} ({where})"


RULES = [value for name, value in sorted(globals().items()) if name.startswith("rule_")]


def problems():
    for rule in RULES:
        for message in rule():
            yield rule.__name__.removeprefix("rule_"), message


def main():
    found = list(problems())
    for rule, message in found:
        print(f"{message}  [{rule}]")
    print(f"{len(RULES)} rules, {len(found)} problem(s)." if found else f"{len(RULES)} rules: all pass.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
