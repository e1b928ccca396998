"""The environment of the notebook kernels that the build and the tests start.

    from tools.kernel_environment import kernel_environment
    kernel_environment(root)   # before starting any kernel

The kernels run the IPython profile written here to `_build/ipython/<name>/` (the build's is
`book`; a test that starts kernels of another kind names its own, so that a build running
beside it in another process never rewrites its profile): it runs every file
of `book/_kernel/` at start-up (but those whose name starts with `_`), each in a namespace of its own, so that the build-only
machinery (the offline data mirror, for one) reaches the kernels and nothing else, and
leaves no name behind in the page's namespace. TensorFlow's start-up logs stay out of the
outputs.
"""

import os
from pathlib import Path

# A call that returns None, so that IPython displays nothing.
STARTUP = ("exec(compile(open({path!r}).read(), {path!r}, 'exec'), "
           "{{'__name__': 'book_kernel_startup', '__file__': {path!r}}})")


def startup_files(root):
    """The files of `book/_kernel/` that every kernel runs at start-up, in order (a file whose
    name starts with `_` is a tool that they load, not run by itself)."""
    return sorted(p for p in (Path(root) / "book" / "_kernel").glob("*.py") if not p.name.startswith("_"))


def kernel_environment(root, extra_lines=(), name="book"):
    """Set the environment variables that the kernels started from now on inherit."""
    root = Path(root).resolve()
    build = root / "_build"
    if os.environ.get("BOOK_DATA_MIRROR"):  # kernels run in a temporary folder
        os.environ["BOOK_DATA_MIRROR"] = os.path.abspath(os.environ["BOOK_DATA_MIRROR"])
    os.environ["BOOK_DATA_COPIES"] = str(build / "data")
    os.environ["BOOK_KERNEL_LOG"] = str(build / "logs" / "kernels.log")  # book/_kernel/native_logs.py
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    lines = [STARTUP.format(path=str(path)) for path in startup_files(root)]
    lines += list(extra_lines)
    profile = build / "ipython" / name / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(
        # TensorFlow writes a few C++ lines to stderr at import whatever
        # TF_CPP_MIN_LOG_LEVEL says; this keeps the kernel from copying such low-level
        # output into the page (book/_kernel/native_logs.py sends it to a log file).
        "c.IPKernelApp.capture_fd_output = False\n"
        # The kernel's own start-up notices (its TCP transport) are not the build's news.
        "c.IPKernelApp.log_level = 'ERROR'\n"
        f"c.InteractiveShellApp.exec_lines = {lines!r}\n"
    )
    os.environ["IPYTHONDIR"] = str(profile.parent)
