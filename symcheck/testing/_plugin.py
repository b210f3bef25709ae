"""pytest plugin (entry point ``pytest11``): symcheck's options for derivative tests.

It adds

- ``--symcheck-examples=N``: how many hypothesis examples ``symcheck.testing.check_derivative``
  draws when a call does not say (default 100);
- the ``symcheck`` marker, for tests that prove derivatives (select them with ``-m symcheck``);
- a report-header line when the option is given.

It imports nothing heavy: NumPy, SymPy and hypothesis load only when a test uses
``symcheck.testing``.
"""

from __future__ import annotations

from symcheck.testing import _settings


def _positive_int(text: str) -> int:
    # ArgumentTypeError's message is shown as it is; any other error would make argparse name
    # this function ("invalid _positive_int value").
    from argparse import ArgumentTypeError

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ArgumentTypeError(f"{text!r} is not a positive whole number of examples; "
                                "write e.g. --symcheck-examples=200")
    return value


def pytest_addoption(parser):
    group = parser.getgroup("symcheck", "symcheck derivative checks")
    group.addoption("--symcheck-examples", type=_positive_int, default=None, metavar="N",
                    help="hypothesis examples per symcheck.testing.check_derivative call that "
                         f"does not set examples= (default {_settings.DEFAULT_EXAMPLES})")


def pytest_configure(config):
    config.addinivalue_line("markers", "symcheck: a test that proves derivatives with symcheck.testing "
                                       "(select with -m symcheck)")
    _settings.set_default_examples(config.getoption("symcheck_examples", None))


def pytest_unconfigure(config):
    _settings.set_default_examples(None)


def pytest_report_header(config):
    examples = config.getoption("symcheck_examples", None)
    if examples is not None:
        return f"symcheck: check_derivative draws {examples} examples per call"
    return None
