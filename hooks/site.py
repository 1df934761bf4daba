"""MkDocs hooks: a thin adapter from MkDocs' events to the pipeline's steps (pipeline/serve.py).

Used by `make serve` (mkdocs serve on the generated tree) and by a plain `mkdocs build` of the
project's mkdocs.yml. `python -m pipeline build` (make build, CI) renders with no hook at all.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the project's packages after the standard library and site-packages (see pipeline._project_last)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != str(ROOT)] + [str(ROOT)]

from mkdocs.exceptions import PluginError  # noqa: E402

from pipeline import serve as loop  # noqa: E402
from pipeline.load import Refused  # noqa: E402


def _guard(fn, *args):
    try:
        return fn(*args)
    except Refused as err:
        raise PluginError(str(err)) from None


def on_startup(command, dirty):
    loop.on_startup(command)


def on_config(config):
    return _guard(loop.on_config, config)


def on_post_page(output, page, config):
    return _guard(loop.on_post_page, output, page, config)


def on_post_build(config):
    _guard(loop.on_post_build, config)
