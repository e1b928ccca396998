"""Run a page under another seed without changing a line of it: the robustness check.

Build-only machinery, run at start-up by the kernels that tools/kernel_environment.py
configures. When BOOK_SEED_SHIFT is a whole number other than 0 (`make robust` sets it;
the build never does), every seed that the page gives `keras.utils.set_random_seed` is
shifted by it: `set_random_seed(42)` seeds Python, NumPy, TensorFlow and Keras with 43
under BOOK_SEED_SHIFT=1. The page's code and outputs look the same; only the numbers of
the run change, as they would on a reader's machine.
"""

import functools
import os
import runpy

shift = int(os.environ.get("BOOK_SEED_SHIFT") or 0)

if shift:
    def shifting(set_random_seed):
        @functools.wraps(set_random_seed)
        def set_shifted_seed(seed):
            return set_random_seed(seed + shift)

        return set_shifted_seed

    wrap_on_import = runpy.run_path(os.path.join(os.path.dirname(__file__), "_wrap_on_import.py"))["wrap_on_import"]
    wrap_on_import("keras.src.utils.rng_utils", "set_random_seed", shifting)
