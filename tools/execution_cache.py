"""Check the execution cache before a build uses it, and mend it, keeping what can be trusted.

    from tools.execution_cache import heal
    for message in heal(folder): print(message)

MyST-NB keeps each page's executed notebook in a jupyter-cache folder: a SQLite database of
records (`global.db`) and one notebook per record (`executed/<hash>/base.ipynb`). Two
faults would otherwise fail every later build without saying how to recover:

- a damaged database (random bytes: "file is not a database"; emptied: every record lost):
  it is set aside and made anew from the notebooks that are still sound;
- a record whose notebook is missing, cut short (a full disk: jupyter-cache commits the
  record before it writes the file) or not a notebook: the record goes, so that page runs
  again.

A notebook is kept only if it reads as a valid notebook and hashes to the name of its
folder, so that no page can ever get another page's (or another version's) outputs.
"""

import shutil
import sqlite3
from pathlib import Path

import nbformat

DATABASE = "global.db"


def sound_notebook(path):
    """The notebook at `path`, or None with the reason it cannot be trusted."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # noqa: BLE001 - any failure to read means "not sound"
        return None, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".strip(": ")
    return notebook, None


def records(folder):
    """{hashkey: (pk, uri)} of the database's records; sqlite3.DatabaseError if damaged."""
    with sqlite3.connect(f"file:{folder / DATABASE}?mode=ro", uri=True) as connection:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("the database fails SQLite's check")
        return {hashkey: (pk, uri) for pk, hashkey, uri in connection.execute("SELECT pk, hashkey, uri FROM nbcache")}


def heal(folder):
    """Make the jupyter-cache folder `folder` safe for a build; yield one message per repair."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbCacheRecord

    folder = Path(folder)
    if not (folder / DATABASE).is_file():
        return
    try:
        known = records(folder)
    except sqlite3.DatabaseError as error:
        (folder / DATABASE).rename(folder / f"{DATABASE}.damaged")
        yield (f"The execution cache's database {folder / DATABASE} was damaged ({error}): it was set "
               f"aside as {DATABASE}.damaged and made anew from the executed notebooks it kept.")
        known = {}
    cache = get_cache(str(folder))
    executed = folder / "executed"
    for hashkey, (pk, uri) in known.items():
        notebook, why = sound_notebook(executed / hashkey / "base.ipynb")
        if notebook is None:
            NbCacheRecord.remove_records([pk], cache.db)
            shutil.rmtree(executed / hashkey, ignore_errors=True)
            yield f"The execution cache's outputs of {uri} were damaged ({why}): that page runs again."
    # Notebooks without a record (the database was made anew, or lost a record): adopt the
    # sound ones, under the hash of their own code.
    for path in sorted(executed.glob("*/base.ipynb")) if executed.is_dir() else []:
        hashkey = path.parent.name
        if hashkey in known:
            continue
        notebook, why = sound_notebook(path)
        if notebook is not None and cache.create_hashed_notebook(notebook)[1] == hashkey:
            cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path)), check_validity=False, overwrite=True)
        else:
            shutil.rmtree(path.parent)
