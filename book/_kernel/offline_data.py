"""Serve Keras's MNIST and Fashion-MNIST downloads from a local mirror, in the build's kernels.

Build-only machinery: the build and the tests start their notebook kernels with an IPython
profile (`tools/kernel_environment.py`) that runs this file at start-up, in a namespace of its
own. Nothing else runs it, and the pages never see it: they keep calling
`keras.datasets.*.load_data()`.

When BOOK_DATA_MIRROR names a folder laid out like `shared/data`, Keras's `get_file` is
wrapped as its module is first imported: a download of one of the files below is answered
with a copy of the mirror's file, checked against the mirror's SHA-256 every time (the
mirror's `mnist.npz` holds the same arrays as Keras's but is not the same file, so Keras's
own hash would reject it). The copies live in BOOK_DATA_COPIES (the build's `_build/data/`);
the mirror itself is only ever read. Without BOOK_DATA_MIRROR, Keras downloads as usual,
and a failed download says how to build offline.
"""

import functools
import hashlib
import os
import runpy
import shutil

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# Keras's download URL -> (the file in the mirror, its SHA-256 as shared/data/README.md gives it)
MIRRORED = {
    ORIGIN + "mnist.npz": (
        "mnist.npz",
        "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64",
    ),
    ORIGIN + "train-images-idx3-ubyte.gz": (
        "fashion-mnist/train-images-idx3-ubyte.gz",
        "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    ),
    ORIGIN + "train-labels-idx1-ubyte.gz": (
        "fashion-mnist/train-labels-idx1-ubyte.gz",
        "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    ),
    ORIGIN + "t10k-images-idx3-ubyte.gz": (
        "fashion-mnist/t10k-images-idx3-ubyte.gz",
        "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    ),
    ORIGIN + "t10k-labels-idx1-ubyte.gz": (
        "fashion-mnist/t10k-labels-idx1-ubyte.gz",
        "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
    ),
}
OFFLINE_HINT = (
    "The book's build could not download this data set. To build without a network, set "
    "BOOK_DATA_MIRROR to a folder laid out like shared/data (see the README)."
)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def copy_from_mirror(origin):
    """Return the path of a private copy of the mirror's file for `origin`, after checking
    the mirror's file itself against its SHA-256."""
    mirror = os.environ["BOOK_DATA_MIRROR"]
    name, expected = MIRRORED[origin]
    source = os.path.join(mirror, name)
    if not os.path.isfile(source):
        raise FileNotFoundError(
            f"BOOK_DATA_MIRROR={mirror!r} has no file {name!r}, which stands in for "
            f"{origin}. Point BOOK_DATA_MIRROR at a folder laid out like shared/data, "
            "or unset it to let Keras download the data."
        )
    if sha256(source) != expected:
        raise ValueError(f"{source} (from BOOK_DATA_MIRROR) does not have the SHA-256 {expected}")
    copy = os.path.join(os.environ["BOOK_DATA_COPIES"], name)
    if not (os.path.isfile(copy) and os.path.getsize(copy) == os.path.getsize(source)
            and sha256(copy) == expected):
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        partial = f"{copy}.{os.getpid()}"
        shutil.copyfile(source, partial)
        os.replace(partial, copy)
    return copy


def serving_the_mirror(get_file):
    @functools.wraps(get_file)
    def get_file_or_mirror(fname=None, origin=None, *args, **kwargs):
        if origin in MIRRORED:
            return copy_from_mirror(origin)
        return get_file(fname, origin, *args, **kwargs)

    return get_file_or_mirror


def explaining_offline_failures(get_file):
    @functools.wraps(get_file)
    def get_file_or_explain(fname=None, origin=None, *args, **kwargs):
        try:
            return get_file(fname, origin, *args, **kwargs)
        except Exception as error:
            if origin in MIRRORED:
                error.add_note(OFFLINE_HINT)
            raise

    return get_file_or_explain


wrap_on_import = runpy.run_path(os.path.join(os.path.dirname(__file__), "_wrap_on_import.py"))["wrap_on_import"]
wrapper = serving_the_mirror if os.environ.get("BOOK_DATA_MIRROR") else explaining_offline_failures
# Wrapped as Keras's file_utils module is first executed, before the dataset modules import
# `get_file` by name.
wrap_on_import("keras.src.utils.file_utils", "get_file", wrapper)
