"""``python -m symcheck``: the same as the ``symcheck`` command."""

from symcheck.cli import console_main

if __name__ == "__main__":
    console_main()
