"""`symcheck list` shows every part the foundation issue requires, as a table and as JSON."""

import json

import pytest

from symcheck.cli import main

_WEIGHTS = ["W13", "W14", "W23", "W24", "W35", "W45"]


def _network_ids(prefix):
    ids = [f"{prefix}.{q}" for q in ("a3", "a4", "a5", "loss", "dL_da5")]
    for kind in ("grad", "new", "table"):
        ids += [f"{prefix}.{kind}.{w}" for w in _WEIGHTS]
    return ids


REQUIRED_IDS = (
    ["1.1.first", "1.1.second", "1.1.sym.first", "1.1.sym.second"]
    + [f"1.{i}.{o}" for i in range(2, 6) for o in ("first", "second")]
    + ["2.1.gradient", "2.1.solution"]
    + _network_ids("3.1") + _network_ids("3.3")
    + [f"3.4.grad.{p}" for p in ("W_o", "b_o", "W_h", "b_h")]
    + [f"3.4b.grad.{p}" for p in ("W_o", "b_o", "W_h2", "b_h2", "W_h1", "b_h1")]
    + ["4.rmse.pinv", "4.rmse.ridge", "4.rmse.mlp"]
)


def _list_json(capsys, *args):
    assert main(["list", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)["parts"]


def test_list_json_has_every_required_id(capsys):
    ids = [row["id"] for row in _list_json(capsys)]
    missing = [i for i in REQUIRED_IDS if i not in ids]
    assert not missing, f"missing ids: {missing}"
    assert len(ids) == len(set(ids))


def test_list_rows_say_statement_ask_and_points(capsys):
    for row in _list_json(capsys):
        assert row["title"].strip()
        assert row["asks"].strip()
        assert isinstance(row["points"], float) and row["points"] >= 0


def test_section_points_add_up_to_the_homework(capsys):
    rows = _list_json(capsys)
    by_section = {}
    for row in rows:
        by_section[row["section"]] = by_section.get(row["section"], 0) + row["points"]
    # The homework's headings: 1 (10), 2 (20), 3 (60 + bonuses 5 and 10), 4 (10).
    assert by_section["1"] == pytest.approx(10)
    assert by_section["2"] == pytest.approx(20)
    assert by_section["3"] == pytest.approx(60 + 5 + 10)
    assert by_section["4"] == pytest.approx(10)


def test_list_filters_by_prefix(capsys):
    ids = [row["id"] for row in _list_json(capsys, "1.5")]
    assert ids == ["1.5.first", "1.5.second"]


def test_list_table_ends_with_totals(capsys):
    assert main(["list", "1"]) == 0
    out = capsys.readouterr().out
    assert "1.5.second" in out and out.rstrip().endswith("12 parts, 10 points")


def test_unknown_part_is_a_usage_error_with_suggestion(capsys):
    assert main(["list", "1.5.frist"]) == 2
    err = capsys.readouterr().err
    assert "there is no part '1.5.frist'" in err and "did you mean 1.5.first" in err


@pytest.mark.parametrize("command", ["list", "verify", "derive", "evaluate"])
def test_every_command_has_help_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: symcheck " + command in out
    assert "example" in out.lower() and f"symcheck {command}" in out.split("usage:")[1]


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("list", "verify", "derive", "evaluate"):
        assert command in out


def test_bad_option_is_a_usage_error(capsys):
    assert main(["list", "--nope"]) == 2
    assert "unrecognized arguments: --nope" in capsys.readouterr().err


def test_an_internal_error_is_exit_1_with_a_short_message(capsys, monkeypatch):
    import symcheck.cli._list as list_command

    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.delenv("SYMCHECK_DEBUG", raising=False)
    monkeypatch.setattr(list_command, "run", broken)
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "ZeroDivisionError: boom" in err and "Traceback" not in err
