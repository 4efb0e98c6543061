"""`python -m bench.profiled_server OUT MODULE ARGS...`: run a server module with cProfile switched on by
SIGUSR1 and written to OUT when the server exits, so start-up and warm-up messages stay out of the profile."""

from __future__ import annotations

import atexit
import cProfile
import runpy
import signal
import sys


def main() -> None:
    out, module, *args = sys.argv[1:]
    profiler = cProfile.Profile()
    signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())

    def write() -> None:
        profiler.disable()
        profiler.dump_stats(out)

    atexit.register(write)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
