"""Reading a regression CSV safely, splitting it, and standardising it.

Cells are parsed with :func:`float` one by one (never ``eval``); every problem becomes a
:class:`~symcheck.errors.DataError` naming the file, the line and the column, with a fix.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from symcheck._files import read_text_file
from symcheck.errors import DataError
from symcheck.limits import limit
from symcheck.tolerances import tolerance

__all__ = ["Table", "read_csv", "shipped_dataset", "Split", "split_rows", "Standardizer",
           "MIN_ROWS"]

MIN_ROWS = 10
SHIPPED = "diabetes.csv"
SHIPPED_TARGET = "target"


@dataclass(frozen=True)
class Table:
    """A numeric CSV: ``columns`` (the header) and ``values`` (rows×columns, float64)."""

    source: str
    columns: tuple[str, ...]
    values: np.ndarray

    def column(self, name: str) -> np.ndarray:
        """Return the column called ``name``."""
        return self.values[:, self.columns.index(name)]

    def features_and_target(self, target: str | None, *, features: tuple[str, ...] | None = None
                            ) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], str]:
        """Return (X, y, feature names, target name); the target defaults to the last column.

        ``features`` fixes the feature columns and their order (for a test file).
        """
        target = self.columns[-1] if target is None else target
        if target not in self.columns:
            raise DataError(f"there is no column named {target!r}; the columns are "
                            f"{', '.join(self.columns)}", where=f"{self.source}, --target",
                            fix="pass --target with one of those names")
        if features is None:
            features = tuple(c for c in self.columns if c != target)
        missing = [c for c in features if c not in self.columns]
        if missing:
            raise DataError(f"the column(s) {', '.join(map(repr, missing))} of the training data are "
                            f"missing", where=self.source,
                            fix="give the test file the same header as the training file")
        if not features:
            raise DataError("there are no feature columns besides the target",
                            where=self.source, fix="add at least one feature column")
        X = np.column_stack([self.column(c) for c in features])
        return X, self.column(target), features, target


def shipped_dataset() -> Path:
    """Return the path of the diabetes data shipped with symcheck (see data/README.md)."""
    return Path(str(resources.files("symcheck.models").joinpath("data", SHIPPED)))


def read_csv(path, *, min_rows: int = 1) -> Table:
    """Read a CSV with a header row and numeric cells into a :class:`Table`.

    The file must be a regular UTF-8 file within the limits ``csv_bytes``, ``csv_rows`` and
    ``csv_columns`` of :mod:`symcheck.limits` (raise them with ``symcheck.limits.raised``);
    each cell a plain decimal number in ASCII digits whose magnitude is at most
    ``csv_magnitude``, so that sums of squares stay finite.

    Args:
        path: the file.
        min_rows: raise DataError when there are fewer data rows (default 1).

    >>> table = read_csv(shipped_dataset())
    >>> table.values.shape, table.columns[-1]
    ((442, 11), 'target')
    """
    source = str(path)
    text = read_text_file(path, limit_name="csv_bytes", error=DataError,
                          max_bytes=limit("csv_bytes").value, where=source,
                          fix="pass a CSV text file (check the path given to --data / --test)")
    try:
        return _parse(text, source, min_rows)
    except csv.Error as err:
        raise DataError(f"the file is not valid CSV ({err})", where=source,
                        fix="save it as comma-separated values") from None


def _parse(text: str, source: str, min_rows: int) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise DataError("the file is empty", where=source,
                        fix="the first line must be a header of column names")
    columns = tuple(cell.strip() for cell in header)
    _check_bound(len(columns), "csv_columns", "columns", f"{source}, line 1")
    _check_header(columns, source)
    lines = [line for line in _LINE_END.split(text)[reader.line_num:] if line.strip()]
    _check_bound(len(lines), "csv_rows", "data rows", source)  # before reading a number
    if not lines and min_rows > 0:
        raise DataError("the file has a header line but no data rows", where=source,
                        fix=f"give at least {min_rows} row(s) of numbers below the header")
    values = _fast_values(lines, len(columns))
    if values is None:  # quoted cells, or a bad cell to report by line and column
        values = _cell_by_cell(reader, columns, source)
    if len(values) < min_rows:
        raise DataError(f"the file has {len(values)} data row(s); at least {min_rows} are needed",
                        where=source, fix=f"give at least {min_rows} rows of data")
    return Table(source, columns, values)


_LINE_END = re.compile(r"\r\n|\r|\n")


def _fast_values(lines: list[str], width: int) -> np.ndarray | None:
    """Read plain numeric rows at C speed: one regex match per line, one NumPy conversion.

    Return None when any line is not plain or any value is too large, so that the cell-by-cell
    reader finds and reports it.
    """
    if not lines:
        return np.empty((0, width), dtype=np.float64)
    cell = rf"[ \t]*{_DECIMAL.pattern}[ \t]*"
    row = re.compile(rf"{cell}(?:,{cell}){{{width - 1}}}")
    if not all(row.fullmatch(line) for line in lines):
        return None
    values = np.array(",".join(lines).split(","), dtype=np.float64).reshape(len(lines), width)
    if not np.all(np.abs(values) <= limit("csv_magnitude").value):
        return None
    return values


def _cell_by_cell(reader, columns: tuple[str, ...], source: str) -> np.ndarray:
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        where = f"{source}, line {reader.line_num}"
        if len(row) != len(columns):
            raise DataError(f"the row has {len(row)} cells but the header has {len(columns)}",
                            where=where, fix="give every row one cell per column")
        rows.append([_number(cell, f"{where}, column {name!r}") for cell, name in
                     zip(row, columns)])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(columns))


def _check_bound(count: int, name: str, what: str, where: str) -> None:
    cap = limit(name)
    if count > cap.value:
        raise DataError(f"the file has more than {cap.value:g} {what} (the limit {cap.name})",
                        where=where, fix=f"use a smaller file, or raise the limit with "
                        f"{cap.name}=... if the file is trusted")


def _check_header(columns: tuple[str, ...], source: str) -> None:
    for i, name in enumerate(columns, start=1):
        if not name:
            raise DataError(f"column {i} has no name", where=f"{source}, line 1",
                            fix="the first line must name every column")
        try:
            float(name)
        except ValueError:
            continue
        raise DataError(f"the header cell {name!r} is a number, so the file seems to have "
                        f"no header row", where=f"{source}, line 1",
                        fix="add a first line of column names")
    seen = set()
    for name in columns:
        if name in seen:
            raise DataError(f"the column name {name!r} appears twice", where=f"{source}, line 1",
                            fix="give each column a different name")
        seen.add(name)


# A plain decimal number in ASCII digits: no '1_0', no '٣', no 'inf' or 'nan', no hex.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(text: str, where: str) -> float:
    cell = text.strip(" \t")
    if not _DECIMAL.fullmatch(cell):
        what = "the cell is empty" if not cell else f"the cell {cell!r} is not a number"
        if cell.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            what = f"the cell {cell!r} is NaN or infinite"
        raise DataError(what, where=where,
                        fix="every cell must be a plain decimal number in ASCII digits, like "
                            "-1.5e3; remove, fill in or impute that value") from None
    value = float(cell)
    cap = limit("csv_magnitude")
    if not abs(value) <= cap.value:
        raise DataError(f"the cell {cell!r} is larger in magnitude than {cap.value:g} (the limit "
                        f"{cap.name}), so squared errors would overflow to infinity",
                        where=where, fix="rescale the column (e.g. to other units)")
    return value


@dataclass(frozen=True)
class Split:
    """Row indices: ``fit`` (to train on), ``validation`` (to choose λ), ``test``."""

    fit: np.ndarray
    validation: np.ndarray
    test: np.ndarray


def split_rows(n_rows: int, *, seed: int, test_fraction: float, validation_fraction: float,
               has_test_file: bool) -> Split:
    """Return a seeded split; with a separate test file, ``test`` is empty.

    The validation rows are taken from the training rows (never from the test rows).

    >>> s = split_rows(10, seed=0, test_fraction=0.2, validation_fraction=0.25,
    ...                has_test_file=False)
    >>> len(s.fit), len(s.validation), len(s.test)
    (6, 2, 2)
    """
    order = np.random.default_rng(seed).permutation(n_rows)
    n_test = 0 if has_test_file else max(1, round(test_fraction * n_rows))
    test, train = order[:n_test], order[n_test:]
    n_val = max(1, round(validation_fraction * len(train)))
    return Split(fit=np.sort(train[n_val:]), validation=np.sort(train[:n_val]),
                 test=np.sort(test))


@dataclass(frozen=True)
class Standardizer:
    """z = (x − mean) / std per column, with statistics from the training rows only."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray, names: tuple[str, ...], *, source: str) -> "Standardizer":
        """Return the standardizer of X's columns; a constant column is a DataError."""
        std = X.std(axis=0)
        floor = tolerance("constant_column").rtol * max(1.0, float(np.abs(X).max()))
        for name, value in zip(names, std):
            if not value > floor:
                raise DataError(f"the column {name!r} is constant on the training rows, so it "
                                f"cannot be standardised", where=f"{source}, column {name!r}",
                                fix="drop that column (or, if it varies in the file, try "
                                    "another --seed)")
        return cls(X.mean(axis=0), std)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean) / self.std

    def inverse(self, Z: np.ndarray) -> np.ndarray:
        """Undo the standardisation."""
        return Z * self.std + self.mean
