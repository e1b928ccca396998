"""When the build's run of a page already is the run of its reader notebook.

A reader notebook is the page's code less its `remove-cell` cells, run where `myst_nb`
does not exist. The build ran the page's code top to bottom, every cell, with no error and
nothing on stderr (a strict build fails otherwise). If the remove-cell cells left nothing
behind that a visible cell could see, running the visible cells without them does exactly
what the build did: the reader notebook's run is the build's. `leftovers()` says what a
page's remove-cell cells could leave behind, judged from their code alone and
conservatively: anything it does not know to be harmless counts. A remove-cell cell leaves
nothing behind when

- it only imports `glue` from `myst_nb` (and IPython's `Markdown`, which the kernel has
  imported already; and `os` or `time`, loaded in every kernel), binds plain names, defines functions of the same kind, loops and
  tests, and calls `glue(...)`;
- every other call in it is to a function or method that computes without changing
  anything (PURE_*), or to a function that such a cell defined;
- no visible cell after it reads a name it bound (before a visible cell binds it again);
  and no visible cell reads IPython's history (`_`, `Out`, `_i3`...), which counts the
  remove-cell cells too.

A warning would also leave a trace (Python shows each once), but a remove-cell cell that
warned wrote to stderr, which fails the build.
"""

import ast
import re

# Builtins that compute a value and change nothing.
PURE_BUILTINS = {"abs", "all", "any", "bool", "dict", "divmod", "enumerate", "float", "format", "int",
                 "isinstance", "len", "list", "max", "min", "next", "range", "reversed", "round", "set",
                 "sorted", "str", "sum", "tuple", "zip"}
# Functions of modules (by their dotted name in the code) that compute and change nothing.
PURE_FUNCTIONS = {
    *(f"np.{name}" for name in (
        "abs", "all", "any", "arange", "argmax", "argmin", "argsort", "array", "array_equal", "bincount",
        "ceil", "diag", "diff", "dtype", "exp", "flatnonzero", "fliplr", "intersect1d", "isclose", "ix_",
        "linalg.norm", "log", "max", "mean", "median", "min", "pad", "prod", "round", "sqrt", "std", "sum",
        "corrcoef", "indices", "sort", "trace", "unique", "where", "zeros_like")),
    *(f"math.{name}" for name in ("ceil", "exp", "floor", "isclose", "log", "log10", "prod", "sqrt")),
    "keras.ops.convert_to_numpy",
    "os.cpu_count", "time.perf_counter",  # how long a page took, on how many cores
    "Markdown",  # IPython's display object: text to show
}
# Modules whose names a remove-cell cell may import: already imported in every kernel.
IMPORTABLE = {"myst_nb": {"glue"}, "IPython.display": {"Markdown"}}
# Modules a remove-cell cell may import whole: the standard library's, loaded in every
# kernel already, with no effect but the name (which no visible cell may then read).
IMPORTABLE_MODULES = {"os", "time"}
# Methods that read their object (NumPy arrays, dicts, strings, Keras models and layers).
PURE_METHODS = {"all", "any", "argmax", "argmin", "astype", "count_params", "get", "get_layer", "get_weights",
                "item", "items", "join", "keys", "max", "mean", "min", "prod", "ravel", "reshape", "std", "sum",
                "tolist", "values"}
# What IPython keeps of each cell's result and input.
HISTORY = {"_", "__", "___", "Out", "In", "_oh", "_ih", "_dh"}


def dotted(node):
    """`np.linalg.norm` for the expression np.linalg.norm, or None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def bound(tree):
    """The names a cell binds at its top level (its functions' locals are their own)."""
    names = set()

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)
    visit(tree)
    return names


def read(tree):
    """Every name a cell reads, its functions' bodies included."""
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def impurities(tree, own_functions):
    """What in a remove-cell cell could change what a later cell sees."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal, ast.Delete, ast.ClassDef, ast.AsyncFunctionDef,
                             ast.With, ast.AsyncWith, ast.Try, ast.Raise, ast.Await, ast.Yield, ast.YieldFrom)):
            found.append(f"a {type(node).__name__} statement")
        elif isinstance(node, ast.Import) and not {alias.name for alias in node.names} <= IMPORTABLE_MODULES:
            found.append(f"import {', '.join(alias.name for alias in node.names)}")
        elif isinstance(node, ast.ImportFrom) and not {a.name for a in node.names} <= IMPORTABLE.get(node.module, set()):
            found.append(f"from {node.module} import ...")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.comprehension)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, (ast.Attribute, ast.Subscript)):
                        found.append(f"an assignment to {ast.unparse(part)}")
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if name == "glue" or name in own_functions or name in PURE_FUNCTIONS:
                continue
            if name in PURE_BUILTINS and name not in own_functions:
                continue
            if method in PURE_METHODS and (name is None or name.split(".")[0] not in {"np", "math", "keras"}):
                continue
            found.append(f"a call of {ast.unparse(node.func)}")
    return found


def leftovers(cells):
    """What the remove-cell cells of a page's code cells [(source, tags)] could leave behind
    for its visible cells: [] when the page's run is the run without them."""
    found = []
    own_functions = set()
    by_hidden = {}  # a name bound by a remove-cell cell: that cell's number
    for number, (source, tags) in enumerate(cells, start=1):
        tree = ast.parse(source)
        if "remove-cell" in tags:
            own_functions |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            found += [f"code cell {number} (remove-cell): {what}" for what in impurities(tree, own_functions)]
            by_hidden.update(dict.fromkeys(bound(tree), number))
        else:
            names = read(tree)
            for name in sorted(names & set(by_hidden)):
                found.append(f"code cell {number} reads {name!r}, which remove-cell cell {by_hidden[name]} binds")
            for name in sorted(n for n in names if n in HISTORY or re.fullmatch(r"_i{0,3}\d*", n)):
                found.append(f"code cell {number} reads IPython's history ({name}), which every cell changes")
            for name in bound(tree):
                by_hidden.pop(name, None)
    return found
