"""Wrap a function of a library as its module is first executed, before any other module
imports the function by name: the tool of the kernel start-up files of this folder, which
load it with `runpy.run_path`. It is not run at start-up itself (its name starts with `_`).

    wrap_on_import("keras.src.utils.file_utils", "get_file", wrapper)

`wrapper(function)` returns the function to use in its place.
"""

import importlib.abc
import importlib.util
import sys


class WrapOnImport(importlib.abc.MetaPathFinder):
    def __init__(self, module, attribute, wrapper):
        self.module, self.attribute, self.wrapper = module, attribute, wrapper

    def find_spec(self, name, path=None, target=None):
        if name != self.module:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            setattr(module, self.attribute, self.wrapper(getattr(module, self.attribute)))

        spec.loader.exec_module = exec_module
        return spec


def wrap_on_import(module, attribute, wrapper):
    if module in sys.modules:  # already imported: too late for the names others took from it
        raise RuntimeError(f"{module} was imported before the kernel's start-up could wrap {attribute}")
    sys.meta_path.insert(0, WrapOnImport(module, attribute, wrapper))
