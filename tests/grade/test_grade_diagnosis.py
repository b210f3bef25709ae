"""The grader's diagnosis: unsized I and 0 take the truth's shape, the homework's own names
(aliases), size-one special cases named only when they explain something, and a transposed
answer off by a constant named with both mistakes.

Expected verdicts come from matrix calculus done by hand (Matrix Cookbook eqs. 69-70, 72, 100):
∂(aᵀXb)/∂X = abᵀ (m×n), ∂tr(MX)/∂X = Mᵀ (n×m), ∂tr(XXᵀ)/∂X = 2X with vec-Hessian 2·I_{n²}, the
Jacobian of MᵀMx is MᵀM, the vec-Hessian of a linear map is 0, the ridge gradient
2Xᵀ(Xβ − y) + 2λβ, and the MLP's ∂MSE/∂W_o = (2/N)Hᵀ(Ŷ − Y); never from symcheck's output.
"""

from __future__ import annotations

import textwrap
from types import SimpleNamespace

import numpy as np
import pytest

from symcheck.catalogue import load_catalogue
from symcheck.grade import Grader


@pytest.fixture(scope="module")
def grader():
    return Grader()


def _graded(grader, part_id, answer):
    result = grader.grade_answer(part_id, answer)
    return result.verdict, set(result.codes), result


# -- I and 0 sized by the truth ------------------------------------------------------------------

# The vec-Hessians of linear maps are zero (1.1, 1.2, 1.4: each derivative is constant).
ZERO_PARTS = ["1.1.second", "1.1.sym.second", "1.2.second", "1.4.second"]


# (the 1.1 vec-Hessian is m²×m, not square: an identity cannot have its shape)
@pytest.mark.parametrize("part_id, answer", [(p, r"\mathbf{0}") for p in ZERO_PARTS]
                         + [(p, a) for p in ("1.2.second", "1.4.second") for a in ("0*I", r"0\mathbf{I}")])
def test_an_unsized_zero_takes_the_shape_of_a_zero_truth(grader, part_id, answer):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "correct", result


@pytest.mark.parametrize("part_id", ["1.2.second", "1.4.second"])
def test_an_unsized_identity_for_a_zero_truth_is_wrong_not_unsized(grader, part_id):
    verdict, codes, result = _graded(grader, part_id, "I")
    assert verdict == "incorrect" and codes == {"NOT_EQUIVALENT"}, result


@pytest.mark.parametrize("answer, verdict, code", [
    ("2*I", "correct", None), (r"2\mathbf{I}", "correct", None), ("I + I", "correct", None),
    (r"\mathbf{I} \cdot 2", "correct", None),
    ("I", "incorrect", "FACTOR"), ("-2*I", "incorrect", "SIGN"), ("3*I", "incorrect", "FACTOR"),
    ("2*Identity(n)", "incorrect", "SHAPE"),          # a known shape is never changed
    ("2", "incorrect", "SCALAR_FOR_TENSOR"),         # a scalar stays a scalar
])
def test_an_unsized_identity_takes_the_hessians_size(grader, answer, verdict, code):
    got, codes, result = _graded(grader, "1.3.second", answer)   # H = 2·I_{n²}
    assert got == verdict and (code is None or code in codes), result


def test_an_unsized_identity_of_a_gradient_is_sized_like_the_gradient(grader):
    # 1.3.first: ∇ = 2X (n×n); 2I is n×n, a wrong value, not an answer of unknown size.
    verdict, codes, result = _graded(grader, "1.3.first", "2*I")
    assert verdict == "incorrect" and "SHAPE" not in codes, result


@pytest.mark.parametrize("part_id, dims", [
    ("1.3.second", ("n*n", "n*n")), ("1.2.second", ("m*n", "m*n")), ("1.1.second", ("m*m", "m")),
    ("1.5.second", ("m*n", "m*n")), ("3.4.grad.W_o", ("n", "k")), ("2.1.solution", ("p", "1")),
])
def test_truth_dims_are_the_truths_shape_in_size_names(grader, part_id, dims):
    from symcheck.grade._symbolic import truth_dims

    assert truth_dims(grader.target(grader.part(part_id))) == dims


def test_truth_dims_refuse_what_the_draws_cannot_tell_apart():
    from symcheck.grade._symbolic import truth_dims

    def draws(*rows):
        return SimpleNamespace(draws=[SimpleNamespace(sizes=s, truth=np.zeros((1, r, 2)))
                                      for s, r in rows])

    # m·n = 12 = p·q in both draws: two fits of two names, neither can be chosen
    assert truth_dims(draws(({"m": 3, "n": 4, "p": 2, "q": 6}, 12),
                            ({"m": 2, "n": 5, "p": 10, "q": 1}, 10))) is None
    # no product of at most three names gives 7 and 11
    assert truth_dims(draws(({"m": 2}, 7), ({"m": 3}, 11))) is None
    # a 1×1 truth is left to the language
    assert truth_dims(SimpleNamespace(draws=[SimpleNamespace(sizes={"m": 2}, truth=np.zeros((1, 1, 1)))])) is None


# -- the homework's own names ----------------------------------------------------------------------

@pytest.mark.parametrize("part_id, answer", [
    ("3.4.grad.W_o", r"\frac{2}{N}\hat{\mathbf{h}}^\top(\hat{\mathbf{Y}} - \mathbf{Y})"),
    ("3.4.grad.W_o", "(2/N)*hhat.T*(Yhat - Y)"),
    ("3.4.grad.W_h", "(2/N)*X.T*hadamard((Yhat - Y)*W_o.T, hhat, 1 - hhat)"),
    ("3.4.grad.b_h", r"\frac{2}{N}\left[\left((\hat{Y} - Y)\mathbf{W}_o^\top\right) \odot \hat{h} \odot (1 - \hat{h})\right]^\top \mathbf{1}_N"),
    ("3.4.grad.H", "(2/N)*(hhat*W_o + ones(N, 1)*b_o.T - Y)*W_o.T"),
    ("3.4b.grad.W_o", r"\frac{2}{N}\mathbf{h}_2^\top(\hat{\mathbf{Y}} - \mathbf{Y})"),
    ("3.4b.grad.W_o", "(2/N)*hhat.T*(Yhat - Y)"),            # ĥ is the output layer's input, H2
    ("3.4b.grad.W_h2", "(2/N)*h1.T*hadamard((Yhat - Y)*W_o.T, h2, 1 - h2)"),
])
def test_the_homeworks_names_are_read_as_the_parts_quantities(grader, part_id, answer):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "correct", result


@pytest.mark.parametrize("part_id, answer, code", [
    ("3.4.grad.W_o", "-(2/N)*hhat.T*(Yhat - Y)", "SIGN"),
    ("3.4.grad.W_o", "(2/N)*h.T*(Yhat - Y)", "UNKNOWN_SYMBOL"),      # h = XW_h + b_h is no alias of H
    ("3.4.grad.Yhat", "hhat", "UNKNOWN_SYMBOL"),                    # this part has no H
    ("3.4b.grad.W_o", "(2/N)*h1.T*(Yhat - Y)", "SHAPE"),            # h_1 is H1 (N×n1), not H2
    ("1.4.first", "hhat", "UNKNOWN_SYMBOL"),
])
def test_an_alias_means_its_target_and_nothing_else(grader, part_id, answer, code):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict != "correct" and code in codes, result


# -- size-one special cases --------------------------------------------------------------------------

@pytest.mark.parametrize("part_id, answer", [
    ("1.3.first", "2*tr(X)*Identity(n)"),          # X n×n: at n = 1 everything is a scalar
    ("1.3.first", "2*tr(X)*I"),
    ("1.1.first", "tr(M.T*M)*Identity(m)"),        # M m×m: the same collapse at m = 1
    ("1.1.first", "M.T*M*tr(M.T*M)/tr(M*M.T)*2"),  # not even a size-one case: 2MᵀM
])
def test_a_size_that_makes_the_truth_a_scalar_is_no_special_case(grader, part_id, answer):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "incorrect" and "SPECIAL_CASE" not in codes, result


@pytest.mark.parametrize("part_id, answer, condition", [
    # the residuals summed over the samples first: right for one sample only (β stays p×1)
    ("2.1.gradient", "2*X.T*ones(n, 1)*ones(1, n)*(X*beta - y) + 2*lambda*beta", "n = 1"),
    # the output errors summed over the outputs: right for one output only (W_o stays n×1)
    ("3.4.grad.W_o", "(2/N)*H.T*(Yhat - Y)*ones(k, k)", "k = 1"),
])
def test_a_size_one_case_that_keeps_the_truth_a_matrix_is_named(grader, part_id, answer, condition):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "incorrect" and "SPECIAL_CASE" in codes, result
    assert condition in result.reasons[0].message, result


# -- a transposed answer off by a constant ------------------------------------------------------------

@pytest.mark.parametrize("part_id, answer, codes, c", [
    ("1.4.first", "-b*a.T", {"TRANSPOSED", "SIGN"}, None),        # shapes differ: n×m for m×n
    ("1.4.first", "2*b*a.T", {"TRANSPOSED", "FACTOR"}, "2"),
    ("1.2.first", "-M", {"TRANSPOSED", "SIGN"}, None),
    ("1.2.first", "M/2", {"TRANSPOSED", "FACTOR"}, "1/2"),
    ("1.3.first", "-2*X.T", {"TRANSPOSED", "SIGN"}, None),         # square: the same shape
    ("1.3.first", "4*X.T", {"TRANSPOSED", "FACTOR"}, "2"),
    ("3.4.grad.W_o", "-(2/N)*(Yhat - Y).T*H", {"TRANSPOSED", "SIGN"}, None),
    ("3.4.grad.W_o", "(1/N)*(Yhat - Y).T*H", {"TRANSPOSED", "FACTOR"}, "1/2"),
    ("3.4.grad.W_o", "2*(Yhat - Y).T*H", {"TRANSPOSED", "FACTOR"}, "N"),
    ("3.4.grad.W_o", "(2/(N*k))*(Yhat - Y).T*H", {"TRANSPOSED", "CONVENTION"}, None),   # the 1/(N·k) MSE
])
def test_a_scaled_transpose_names_both_mistakes(grader, part_id, answer, codes, c):
    verdict, got, result = _graded(grader, part_id, answer)
    assert verdict == "incorrect" and result.score == 0 and got == codes, result
    assert [r.code for r in result.reasons][0] == "TRANSPOSED"       # the transpose first
    if c is not None:
        assert f"c = {c}" in result.reasons[1].message, result


@pytest.mark.parametrize("part_id, answer", [
    ("1.4.first", "b*a.T*tr(X.T*X)"),     # the transpose times a non-constant: only SHAPE
    ("1.4.first", "b*a.T + b*b.T*b*a.T"),
])
def test_a_transpose_times_a_varying_scalar_is_a_shape_error(grader, part_id, answer):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "incorrect" and codes == {"SHAPE"}, result


JACOBIAN = """\
[section]
number = "9"
title = "Test"
points = 1

[[parts]]
id = "9.1.jacobian"
title = "The Jacobian of Ax"
statement = 'Compute the Jacobian of $f(x) = Ax$.'
symbols = { A = ["m", "n"], x = ["n", 1] }
ask = { kind = "derivative", function = "A*x", wrt = "x", order = 1 }
grading = { rule = "symbolic", tolerance = "symbolic", points = 1, convention_credit = 0.5 }
"""


def test_a_scaled_jacobian_in_the_other_layout_names_the_convention_and_the_sign(tmp_path):
    (tmp_path / "jacobian.toml").write_text(JACOBIAN, encoding="utf-8")
    grader = Grader(load_catalogue(tmp_path))
    assert grader.grade_answer("9.1.jacobian", "A").verdict == "correct"   # numerator layout: A (m×n)
    plain = grader.grade_answer("9.1.jacobian", "A.T")
    assert plain.verdict == "partial" and plain.codes == ("CONVENTION",)
    scaled = grader.grade_answer("9.1.jacobian", "-A.T")
    assert scaled.verdict == "incorrect" and scaled.score == 0 and set(scaled.codes) == {"CONVENTION", "SIGN"}


ALIASED = textwrap.dedent("""\
    [section]
    number = "9"
    title = "Test"
    points = 1

    [defaults]
    symbols = { X = ["N", "m"], W = ["m", "n"], V = ["n", "k"] }
    aliases = { zhat = "Z" }

    [[parts]]
    id = "9.1.grad"
    title = "A gradient through a hidden layer"
    statement = 'Compute the gradient of $\\mathrm{tr}(\\hat{z} V)$ wrt $V$.'
    aliases = { hidden = "Z" }
    ask = { kind = "matrix_gradient", function = "tr(V.T*Z.T*OneMatrix(N, k))", wrt = "V", definitions = [["Z", "sigmoid(X*W)"]] }
    grading = { rule = "symbolic", tolerance = "symbolic", points = 1 }

    [[parts]]
    id = "9.2.grad"
    title = "A gradient without the hidden layer"
    statement = 'Compute the gradient of $\\mathrm{tr}(V^\\top W^\\top X^\\top 1)$ wrt $V$.'
    ask = { kind = "matrix_gradient", function = "tr(V.T*W.T*X.T*OneMatrix(N, k))", wrt = "V" }
    grading = { rule = "symbolic", tolerance = "symbolic", points = 1 }
""")


def test_catalogue_aliases_are_passed_to_the_answer_language(tmp_path):
    (tmp_path / "aliased.toml").write_text(ALIASED, encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert dict(catalogue.part("9.1.grad").aliases) == {"zhat": "Z", "hidden": "Z"}
    assert dict(catalogue.part("9.2.grad").aliases) == {}     # no Z: the section's alias does not apply
    grader = Grader(catalogue)
    # ∂tr(VᵀZᵀ1)/∂V = Zᵀ1 (n×k), 1 = ones(N, k)
    for answer in ("Z.T*ones(N, k)", "zhat.T*ones(N, k)", "hidden.T*ones(N, k)", r"\hat{\mathbf{z}}^\top \mathbf{1}_N \mathbf{1}_k^\top"):
        assert grader.grade_answer("9.1.grad", answer).verdict == "correct", answer
    assert grader.grade_answer("9.2.grad", "zhat.T*ones(N, k)").codes == ("UNKNOWN_SYMBOL",)


@pytest.mark.parametrize("c", [2.0, -1.0, 0.5, -1 / 3, 7.25])
def test_constant_factor_finds_c_and_only_c(c):
    from symcheck.grade._classify import constant_factor

    rng = np.random.default_rng(7)
    truths = [rng.standard_normal((4, 3, 5)), rng.standard_normal((4, 6, 2))]
    truths[0][:, 0, 0] = 0.0                                     # zero entries are allowed
    factors = constant_factor([c * t for t in truths], truths)
    assert factors is not None and np.allclose(factors, c, rtol=1e-12)
    off = [c * t for t in truths]
    off[1] = off[1].copy()
    off[1][2, 4, 1] += 1e-3                                     # one entry off: no factor
    assert constant_factor(off, truths) is None
    assert constant_factor([np.zeros_like(t) + 1 for t in truths], [np.zeros_like(t) for t in truths]) is None


def test_truth_dims_give_every_symbolic_parts_shape_at_every_draw(grader):
    from symcheck.grade._symbolic import truth_dims

    def value(dim, sizes):
        return int(np.prod([int(f) if f.isdigit() else sizes[f] for f in dim.split("*")]))

    checked = 0
    for part in grader.catalogue.parts:
        if part.grading.rule != "symbolic":
            continue
        prepared = grader.target(part)
        dims = truth_dims(prepared)
        shapes = {tuple(d.truth.shape[1:]) for d in prepared.draws}
        if shapes == {(1, 1)}:
            assert dims is None, part.id
            continue
        assert dims is not None, part.id
        for d in prepared.draws:
            assert tuple(value(x, d.sizes) for x in dims) == d.truth.shape[1:], (part.id, dims, d.sizes)
        checked += 1
    assert checked >= 20


def _case(*shapes, symmetric=False):
    draws = []
    for rows, cols in shapes:
        t = np.arange(1.0, 1 + rows * cols).reshape(1, rows, cols)
        draws.append(SimpleNamespace(truth=(t + np.swapaxes(t, 1, 2)) if symmetric and rows == cols else t))
    return SimpleNamespace(draws=draws)


@pytest.mark.parametrize("general, at_one, explains", [
    (_case((3, 3)), _case((1, 1)), False),                     # the truth becomes a scalar
    (_case((3, 3)), _case((2, 2), symmetric=True), False),     # d = 1 makes it symmetric: Tᵀ would pass too
    (_case((3, 3)), _case((2, 2)), True),
    (_case((3, 3), symmetric=True), _case((2, 2), symmetric=True), True),   # symmetric anyway
    (_case((3, 4)), _case((3, 1)), True),                      # a column of three entries
])
def test_a_size_one_case_explains_only_what_it_does_not_collapse(general, at_one, explains):
    from symcheck.grade._symbolic import _size_one_explains
    from symcheck.tolerances import TOLERANCES

    tol = TOLERANCES["symbolic"]
    symmetric = all(np.allclose(d.truth, np.swapaxes(d.truth, 1, 2)) for d in general.draws
                    if d.truth.shape[1] == d.truth.shape[2])
    prepared = SimpleNamespace(draws=general.draws, truth_symmetric=lambda tol: symmetric)
    assert _size_one_explains(prepared, at_one, tol) is explains


# ---------------------------------------------------------------------------------------------
# MISSING_TERM: terms of the truth as the part writes it, in words the answer language has
# ---------------------------------------------------------------------------------------------
# Δ = ((Ŷ − Y)W_oᵀ) ∘ H ∘ (1 − H) is one product: dropping a factor of σ′ leaves no term out.
_DELTA = r"(\hat{\mathbf{Y}}-\mathbf{Y})\mathbf{W}_o^\top"


@pytest.mark.parametrize("answer", [
    r"\frac{2}{N}\mathbf{X}^\top\left[" + _DELTA + r"\odot\mathbf{H}\right]",
    r"\frac{2}{N}\mathbf{X}^\top\left[" + _DELTA + r"\odot(1-\mathbf{H})\right]",
    "(2/N)*X.T*hadamard((Yhat - Y)*W_o.T, H)",
])
def test_a_dropped_factor_of_the_sigmoid_derivative_is_not_a_missing_term(grader, answer):
    result = grader.grade_answer("3.4.grad.W_h", answer)
    assert result.verdict == "incorrect"
    assert result.codes == ("NOT_EQUIVALENT",), result.feedback


@pytest.mark.parametrize("pid, answer", [
    ("3.4.grad.W_o", r"\frac{2}{N}\mathbf{H}^\top\hat{\mathbf{Y}}"),   # (2/N)Hᵀ(Ŷ − Y) less −(2/N)HᵀY
    ("3.4.grad.W_o", "(2/N)*H.T*Yhat"),
])
def test_a_missing_term_is_never_named_in_sympy_text(grader, pid, answer):
    result = grader.grade_answer(pid, answer)
    assert result.codes == ("MISSING_TERM",), result.feedback
    assert "applyfunc" not in result.feedback and "HadamardProduct" not in result.reasons[0].message


def test_a_missing_term_in_plain_symbols_is_still_named(grader):
    result = grader.grade_answer("1.5.first", "X*a*b.T")   # X(abᵀ + baᵀ) less Xbaᵀ
    assert result.codes == ("MISSING_TERM",)
    assert "X*b*a.T" in result.feedback


# -- answers that are not finite are never equal (a hold-out examiner's cases) ------------------

# exp(1000) overflows float64 to inf: the answer is inf·(the truth) at every instance, which no
# tolerance may call equal to a finite truth (inf ≤ atol + rtol·inf is True in IEEE arithmetic).
@pytest.mark.parametrize("part_id, answer", [
    ("1.3.first", "2*X*exp(1000)"),                             # ∂tr(XXᵀ)/∂X = 2X
    ("1.4.first", r"\exp(1000)\,\mathbf{a}\mathbf{b}^\top"),    # ∂aᵀXb/∂X = abᵀ
    ("2.1.solution", "exp(1000)*(X.T*X + lambda*I)^-1*X.T*y"),  # β = (XᵀX + λI)⁻¹Xᵀy
])
def test_an_answer_that_overflows_is_never_correct(grader, part_id, answer):
    verdict, codes, result = _graded(grader, part_id, answer)
    assert verdict == "invalid" and codes == {"UNDECIDED"}, result.feedback
    assert "not finite" in result.feedback


def test_a_derivation_step_that_cannot_be_checked_is_not_passed(grader):
    # 2X·e^1000 = 2X is false, and not finite: the chain is not taken as right though its last
    # line is the gradient 2X.
    result = grader.grade_answer("1.3.first", ["X*exp(1000)*2", "2*X"])
    assert result.verdict == "invalid" and result.codes == ("UNDECIDED",), result.feedback
    assert "line 2" in result.feedback and "line 1" in result.feedback
    # the same chain with a finite first line that is false is a CHAIN_STEP
    assert grader.grade_answer("1.3.first", ["3*X", "2*X"]).codes == ("CHAIN_STEP",)


def test_a_special_case_is_named_only_where_the_answer_equals_the_truth(grader):
    # (XᵀX + λI)⁻¹Xᵀy/λ is 1/λ times the solution: at λ = 0 it divides by zero (not equal),
    # so "equals it when λ = 0" would be false.
    verdict, codes, result = _graded(grader, "2.1.solution", "(X.T*X + lambda*I)^-1*X.T*y/lambda")
    assert verdict == "incorrect" and "SPECIAL_CASE" not in codes, result.feedback
    # OLS (XᵀX)⁻¹Xᵀy does equal the ridge solution at λ = 0, and only the condition is claimed
    verdict, codes, result = _graded(grader, "2.1.solution", "(X.T*X)^-1*X.T*y")
    assert codes == {"SPECIAL_CASE"} and "lambda = 0" in result.feedback
    assert "only when" not in result.feedback


def test_an_answer_or_a_chain_over_the_work_limit_is_refused(grader):
    from symcheck.limits import LIMITS

    # The vec-Hessian of tr(XXᵀ) is 2·(I ⊗ I), written as 2(I ⊗ I) times (X ⊗ X)⁻¹(X ⊗ X) again
    # and again: right, but each factor is an n²×n² product at the largest size drawn.
    factor = "*kron(X, X)^-1*kron(X, X)"
    heavy = "2*kron(Identity(n), Identity(n))" + factor * 150
    result = grader.grade_answer("1.3.second", heavy)
    assert result.verdict == "invalid" and result.codes == ("TOO_LARGE",), result.feedback
    assert "grade_answer_work" in result.feedback
    # a chain of lines each within the limit, together over it
    line = "2*kron(Identity(n), Identity(n))" + factor * 2
    single = grader.grade_answer("1.3.second", line)
    assert single.verdict == "correct", single.feedback
    chain = grader.grade_answer("1.3.second", [line] * LIMITS["chain_lines"].value)
    assert chain.verdict == "invalid" and chain.codes == ("TOO_LARGE",), chain.feedback
    assert "lines 1 to" in chain.feedback
