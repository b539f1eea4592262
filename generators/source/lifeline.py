"""Worker processes die with the process that started them.

A build renders PDFs, subsets fonts and checks large libraries in worker processes, and `make serve`
runs a worker beside MkDocs. When the parent is killed (a test's timeout, Ctrl-C twice, ``kill -9``)
its workers must not stay behind, blocked on a queue nobody writes to and holding hundreds of MB:
on Linux each worker asks the kernel to send it SIGKILL when its parent ends (``prctl``
PR_SET_PDEATHSIG), and checks that the parent did not end before it asked. Elsewhere nothing is done.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Called first thing in a worker process started by process ``parent``.

    The kernel's signal follows the *thread* that started the worker: start workers from a thread
    that lives as long as they do (every pool here is started from the main thread)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: nothing more can be done
            pass
    if os.getppid() != parent:  # the parent ended before the request: nobody waits for this worker
        os._exit(1)
