"""Hold SIGINT and SIGTERM over a block that must not be cut short (renames, a shutdown)."""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["signals_held"]


@contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM until the block ends (where the platform can); their handlers
    run after it, so an interruption cannot fall between two renames or cut a shutdown short."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
