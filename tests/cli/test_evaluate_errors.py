"""`symcheck evaluate`: a CSV with a header and no rows is bad data (exit 6), a seed beyond what
NumPy takes is bad usage (exit 2); neither is an internal error."""

import pytest

from symcheck.cli import build_parser, main
from symcheck.errors import DataError, UsageError
from symcheck.limits import LIMITS

HEADER = "a,b,target\n"


def evaluate(capsys, *args):
    code = main(["evaluate", "--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text", [HEADER, HEADER + "\n\n", HEADER + "  \r\n"])
def test_a_csv_with_only_a_header_is_a_data_error(tmp_path, capsys, text):
    path = tmp_path / "header.csv"
    path.write_text(text)
    code, _, err = evaluate(capsys, "--data", str(path))
    assert code == 6, err
    assert f"{path}: the file has a header line but no data rows" in err and "internal" not in err


def test_a_test_csv_with_only_a_header_is_a_data_error(tmp_path, capsys):
    path = tmp_path / "test.csv"
    path.write_text("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,target\n")
    code, _, err = evaluate(capsys, "--test", str(path))
    assert code == 6, err
    assert f"{path}: the file has a header line but no data rows" in err


def test_read_csv_of_only_a_header_is_a_data_error_and_empty_when_allowed(tmp_path):
    from symcheck.models._data import read_csv

    path = tmp_path / "header.csv"
    path.write_text(HEADER)
    with pytest.raises(DataError, match="no data rows"):
        read_csv(path)
    assert read_csv(path, min_rows=0).values.shape == (0, 3)


@pytest.mark.parametrize("seed", ["99999999999999999999999999", "4294967296", "-1", "x", "9" * 5000])
def test_a_seed_out_of_range_is_a_usage_error_with_the_range(capsys, seed):
    code, _, err = evaluate(capsys, "--seed", seed)
    assert code == 2, err
    assert "--seed" in err and "from 0 to 4294967295" in err and "evaluate_seed" in err


def test_the_largest_seed_is_accepted():
    assert LIMITS["evaluate_seed"].value == 2**32 - 1
    assert build_parser().parse_args(["evaluate", "--seed", "4294967295"]).seed == 2**32 - 1


@pytest.mark.parametrize("seed", [2**32, -1, 1.5, True])
def test_the_library_refuses_a_seed_out_of_range_before_any_work(seed):
    from symcheck.models import evaluate as run

    with pytest.raises(UsageError, match="from 0 to 4294967295") as caught:
        run(seed=seed, progress=False, data="/no/such/file.csv")
    assert "--" not in str(caught.value)
