"""Keep what native libraries write straight to the kernel's stderr out of the build's log.

Build-only machinery, run at start-up by the build's kernels (see
tools/kernel_environment.py). TensorFlow's C++ start-up notices (oneDNN, CUDA drivers,
absl) are written to file descriptor 2 whatever TF_CPP_MIN_LOG_LEVEL says; the kernels
inherit the build's terminal, so each page added a few such lines to the build's log, where
real messages got lost. Here the kernel's descriptor 2 goes to BOOK_KERNEL_LOG (the build's
`_build/logs/kernels.log`) instead. Python's own `sys.stderr` is the kernel's stream to
the notebook, untouched: a warning still reaches the page and fails the build.
"""

import os

if os.environ.get("BOOK_KERNEL_LOG"):
    os.makedirs(os.path.dirname(os.environ["BOOK_KERNEL_LOG"]), exist_ok=True)
    log = os.open(os.environ["BOOK_KERNEL_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)
