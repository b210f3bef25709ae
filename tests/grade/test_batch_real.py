"""grade_batch with the real grader: in this process and on a Dask cluster of two processes.

(Forked worker processes with the real grader: tests/cli/test_cli_grade.py, --jobs 2.)

The class is built so the expected grades are known by hand: abᵀ is the gradient of aᵀXb
(Matrix Cookbook eq. 70), baᵀ its transpose, and tanh(2) = 0.96402758007... is a₄ of 3.1.
"""

import os

import pytest

from symcheck.grade import grade_batch

RIGHT = '[answers]\n"1.4.first" = "a*b.T"\n"3.1.a4" = "tanh(2)"\n'
TRANSPOSED = '[answers]\n"1.4.first" = "b*a.T"\n"3.1.a4" = 0.96402758008\n'
SCALED = '[answers]\n"1.4.first" = "(3*(a*b.T))/3"\n"3.1.a4" = -0.96402758008\n'


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    for i, text in enumerate([RIGHT, TRANSPOSED, SCALED] * 3):
        (folder / f"student{i}.toml").write_text(text)
    (folder / "broken.toml").write_text("[answers]\n\"1.4.first\" = 'a\n")
    return folder


@pytest.fixture(scope="module")
def alone(folder):
    return grade_batch(folder)


def test_grades_are_right_by_construction(alone):
    grades = {(r.student, r.id): r for r in alone.rows}
    for i in range(9):
        first, a4 = grades[f"student{i}", "1.4.first"], grades[f"student{i}", "3.1.a4"]
        if i % 3 == 1:
            assert first.verdict == "incorrect" and "TRANSPOSED" in first.codes
        else:
            assert first.verdict == "correct"
        assert (a4.verdict == "correct") == (i % 3 != 2)
    summary = {s["id"]: s for s in alone.summary()}
    assert (summary["1.4.first"]["answered"], summary["1.4.first"]["correct"]) == (9, 6)
    assert summary["1.4.first"]["codes"]["TRANSPOSED"] == pytest.approx(3 / 9)
    assert summary["1.4.first"]["most_common_wrong"][0]["answer"] == "b*a.T"
    assert [p for p in alone.problems if p.startswith("broken.toml:2")]


def test_a_dask_local_cluster_gives_the_same_rows(folder, alone):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = grade_batch(folder, executor=client.get_executor(), chunk_size=2)
        workers = client.run(os.getpid)
    assert on_dask.rows == alone.rows
    assert len(set(workers.values())) == 2


def test_split_parts_keeps_each_chained_computation_together():
    from symcheck.catalogue import load_catalogue
    from symcheck.grade import Grader
    from symcheck.grade import split_parts

    catalogue = load_catalogue()
    grader = Grader(catalogue)
    groups = split_parts(grader, 2)
    every = [p.id for p in grader.grade_submission({}).parts]
    assert sorted(i for g in groups for i in g) == sorted(every)  # a partition
    for prefix in ("3.1.", "3.3."):                                # each network run in one group
        run = {p.id for p in catalogue.parts if p.id.startswith(prefix) and p.ask.model == "net221"}
        assert len(run) > 20
        owners = {i for i, g in enumerate(groups) for part in g if part in run}
        assert len(owners) == 1
    assert min(len(g) for g in groups) > len(every) / 4            # roughly balanced
