"""Build the book's HTML: every edition, strictly, then the site's root files.

    python -m tools.build_book [--root DIR] [--language CODE]      (make html)

Checks first that the editions run the same code (a reader must never see two programs),
then builds each edition of `_config.yml`'s `languages:` in a process of its own
(`tools.build_edition`), in order: the first executes the pages, the others take the
outputs from the execution cache, which is kept per set of installed packages
(`_build/.jupyter_cache/<digest>/`), so an upgrade runs every page again. A page whose code
fails runs once, not once per edition. Kernels and Sphinx keep their temporary files in
`_build/tmp/`; an interrupted build stops its editions and their kernels.
"""

import argparse
import ctypes
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from book._ext.failed_pages import reading_file
from tools.book_sources import ROOT, code_differences, read_config
from tools.build_edition import failed_pages, installed_digest, read_every_page_again
from tools.execution_cache import heal
from tools.kernel_environment import kernel_environment

def one_build_at_a_time(root):
    """Hold `_build/.lock` for as long as this process lives: a second build of the same
    book waits for the first (it would remove the first's temporary files and race it to
    the same outputs), and says so."""
    path = root / "_build" / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Another build of this book is running; this one waits until it ends.", file=sys.stderr, flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def prepare(root, config):
    """The environment every edition and kernel inherits; old temporary files and caches go."""
    temporary = root / "_build" / "tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    (root / "_build" / "logs" / "kernels.log").unlink(missing_ok=True)  # this build's kernels write it anew
    os.environ.update(TMPDIR=str(temporary), JUPYTER_RUNTIME_DIR=str(temporary / "jupyter"))
    cache, current = root / config["execute"]["cache"], installed_digest()
    for other in (cache.iterdir() if cache.is_dir() else []):
        if other.name != current:
            shutil.rmtree(other) if other.is_dir() else other.unlink()
    repairs = list(heal(cache / current))
    for message in repairs:
        print(message, file=sys.stderr)
    if repairs:  # a page whose outputs were lost must run again, even if Sphinx has read it
        read_every_page_again(root)
    kernel_environment(root)


def die_with_this_process():
    """In the child: be killed if the build that started it dies, even killed (Linux)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def run(command):
    """Run an edition's process. If this one is interrupted (Ctrl-C, a kill), stop it at once
    with its Sphinx and its cleanup handlers, which would otherwise print crash reports (its
    kernels end with it: they watch their parent), say so in one line, and stop."""
    child = subprocess.Popen(command, start_new_session=True, preexec_fn=die_with_this_process)
    interrupted = []

    def stop(signum, frame):
        interrupted.append(signum)
        os.killpg(child.pid, signal.SIGKILL)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    status = child.wait()
    if interrupted:
        print("\nInterrupted.", file=sys.stderr)
        sys.exit(128 + interrupted[0])
    return status


def say_how_it_died(root, code, status):
    """An edition's process killed by a signal prints nothing: say which, and on which page."""
    if status >= 0:
        return
    signum = -status
    reading = reading_file(root / "_build", code)
    where = (f" while reading {os.path.relpath(reading.read_text(encoding='utf8'), root)} (its code runs then)"
             if reading.is_file() else "")
    usual = (" The out-of-memory killer is the usual cause: see how much memory the page's kernel "
             "takes (python -m tools.run_page) and what else runs on the machine."
             if signum == signal.SIGKILL else "")
    print(f"\nThe {code} edition's build was killed by signal {signum} ({signal.Signals(signum).name})"
          f"{where}.{usual}", file=sys.stderr)


def write_root_files(root, config):
    """The site's root page (it sends readers to their edition), its sitemap index and its
    404 page, in the words that each edition's build wrote to _build/words/ (book_pdf.py)."""
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(root / "book" / "_root"), autoescape=True)
    editions, site = config["languages"], config["html"]["baseurl"]
    words = {code: json.loads((root / "_build" / "words" / f"{code}.json").read_text(encoding="utf8"))["not_found"]
             for code in editions}
    for name in ("index.html", "sitemap.xml", "404.html"):
        page = templates.get_template(name).render(editions=editions, site=site, root=urlsplit(site).path, words=words)
        (root / "_build" / "html" / name).write_text(page + "\n", encoding="utf8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder")
    parser.add_argument("--language", help="build only this edition (no root files)")
    args = parser.parse_args()
    root = args.root.resolve()
    os.chdir(root)  # _config.yml's relative paths start here
    config = read_config(root)
    langs = list(config["languages"])
    if args.language and args.language not in langs:
        sys.exit(f"No edition {args.language!r}: _config.yml has {', '.join(langs)}.")
    if differences := code_differences(root):
        sys.exit("The editions must run the same code:\n  " + "\n  ".join(differences))
    lock = one_build_at_a_time(root)  # noqa: F841 (held until the build ends)
    prepare(root, config)
    failed, skipped = [], []
    for code in [args.language] if args.language else langs:
        status = run([sys.executable, "-m", "tools.build_edition", code, "--root", str(root), "--skip", *skipped])
        if status:
            say_how_it_died(root, code, status)
            failed.append(code)
            skipped = sorted(set(skipped) | set(failed_pages(root, code)))
    if skipped:
        print(f"\nThe code of {', '.join(skipped)} failed; it ran in the first edition only.", file=sys.stderr)
    if failed:
        sys.exit(f"\nFailed: the {', '.join(failed)} edition(s); see the messages above.")
    if not args.language:
        write_root_files(root, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
