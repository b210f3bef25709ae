"""A tiny progress bar on stderr: no dependency, never on stdout.

On a terminal the bar redraws in place; when stderr is a file or a pipe it writes only the
finished line, so logs stay readable.

>>> import io
>>> out = io.StringIO()
>>> with ProgressBar(3, label="mlp", stream=out) as bar:
...     for _ in range(3):
...         bar.update(loss=0.5)
>>> print(out.getvalue().strip())
mlp [##############################] 3/3 loss=0.5
"""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """Count ``total`` steps on ``stream`` (default stderr); ``enabled=False`` writes nothing."""

    width = 30

    def __init__(self, total: int, *, label: str = "", stream=None, enabled: bool = True,
                 min_interval: float = 0.05):
        self.total = max(int(total), 1)
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.count = 0
        self.postfix = ""
        self._interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self._min_interval = min_interval
        self._last_draw = 0.0

    def update(self, n: int = 1, **postfix: float) -> None:
        """Advance by ``n`` steps and show ``postfix`` values (e.g. ``loss=0.12``)."""
        self.count = min(self.count + n, self.total)
        if postfix:
            self.postfix = " ".join(f"{key}={value:.4g}" for key, value in postfix.items())
        now = time.monotonic()
        if self._interactive and self.enabled and (now - self._last_draw >= self._min_interval
                                                   or self.count == self.total):
            self._last_draw = now
            self.stream.write("\r" + self._line())
            self.stream.flush()

    def _line(self) -> str:
        filled = self.width * self.count // self.total
        bar = "#" * filled + "." * (self.width - filled)
        text = f"{self.label} [{bar}] {self.count}/{self.total}"
        return f"{text} {self.postfix}" if self.postfix else text

    def close(self) -> None:
        """Finish the line."""
        if not self.enabled:
            return
        self.stream.write(("\r" + self._line() if self._interactive else self._line()) + "\n")
        self.stream.flush()
        self.enabled = False

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
