"""The grading core: verdicts and reason codes for symbolic answers, and their invariants.

Expected verdicts come from matrix calculus done by hand (Matrix Cookbook eqs. 69-70, 72, 78,
82): ∂(aᵀXb)/∂X = abᵀ, ∂tr(MX)/∂X = Mᵀ, ∂(aᵀXᵀXb)/∂X = X(abᵀ + baᵀ), the ridge gradient
2(XᵀX + λI)β − 2Xᵀy and the MLP's ∂MSE/∂W_o = (2/N)Hᵀ(Ŷ − Y); never from symcheck's output.
"""

from __future__ import annotations

import pytest

from symcheck.grade import GRADE_VERDICTS, REASON_CODES, Grader


@pytest.fixture(scope="module")
def grader():
    return Grader()


# (part, answer, verdict, code or None): the code a TA would name.
CASES = [
    # 1.4: ∂(aᵀXb)/∂X = abᵀ (m×n)
    ("1.4.first", "a*b.T", "correct", None),
    ("1.4.first", "(b*a.T).T", "correct", None),
    ("1.4.first", r"\mathbf{a}\mathbf{b}^\top", "correct", None),
    ("1.4.first", "b*a.T", "incorrect", "TRANSPOSED"),
    ("1.4.first", "-a*b.T", "incorrect", "SIGN"),
    ("1.4.first", "2*a*b.T", "incorrect", "FACTOR"),
    ("1.4.first", "a*b.T + X", "incorrect", "NOT_EQUIVALENT"),
    ("1.4.first", "a*b", "incorrect", "SHAPE"),
    ("1.4.first", "b.T*a", "incorrect", "SHAPE"),
    # 1.2: ∂tr(MX)/∂X = Mᵀ (n×m)
    ("1.2.first", "M.T", "correct", None),
    ("1.2.first", "M", "incorrect", "TRANSPOSED"),
    # 1.1: the Jacobian of MᵀMx is MᵀM; MM only when M is symmetric
    ("1.1.first", "M.T*M", "correct", None),
    ("1.1.first", "M*M", "incorrect", "SPECIAL_CASE"),
    ("1.1.sym.first", "M*M", "correct", None),
    ("1.1.sym.first", "M.T*M", "correct", None),
    # 1.5: X(abᵀ + baᵀ); the key's 2Xbaᵀ holds only when b = a
    ("1.5.first", "X*(a*b.T + b*a.T)", "correct", None),
    ("1.5.first", "X*a*b.T + X*b*a.T", "correct", None),
    ("1.5.first", r"\mathbf{X}(\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top)", "correct", None),
    ("1.5.first", "X*a*b.T", "incorrect", "MISSING_TERM"),
    ("1.5.first", "2*X*b*a.T", "incorrect", "SPECIAL_CASE"),
    # 1.3 and 1.5, second order: vec-Hessians (column-major vec)
    ("1.3.second", "2", "incorrect", "SCALAR_FOR_TENSOR"),
    ("1.5.second", "kron(a*b.T + b*a.T, Identity(n))", "correct", None),
    ("1.5.second", "kron(Identity(n), a*b.T + b*a.T)", "incorrect", "CONVENTION"),
    ("1.4.second", "0", "correct", None),
    # 2.1: the ridge gradient and solution
    ("2.1.gradient", "2*(X.T*X + lambda*I)*beta - 2*X.T*y", "correct", None),
    ("2.1.gradient", "2*X.T*(X*beta - y) + 2*lambda*beta", "correct", None),
    ("2.1.gradient", "-2*X.T*y + 2*X.T*X*beta", "incorrect", "MISSING_TERM"),
    ("2.1.gradient", "2*X.T*y - 2*X.T*X*beta - 2*lambda*beta", "incorrect", "SIGN"),
    ("2.1.solution", "(X.T*X + lambda*I)^-1*X.T*y", "correct", None),
    ("2.1.solution", "X.T*(X*X.T + lambda*Identity(n))^-1*y", "correct", None),   # push-through
    ("2.1.solution", "(X.T*X)^-1*X.T*y", "incorrect", "SPECIAL_CASE"),             # λ = 0
    # 3.4: ∂MSE/∂W_o = (2/N)Hᵀ(Ŷ − Y), folded or spelled out
    ("3.4.grad.W_o", "(2/N)*H.T*(Yhat - Y)", "correct", None),
    ("3.4.grad.W_o", "(2/N)*sigmoid(X*W_h + OneMatrix(N, 1)*b_h.T).T*(Yhat - Y)", "correct", None),
    ("3.4.grad.W_o", "-(2/N)*(Y - Yhat).T*H", "incorrect", "TRANSPOSED"),
    ("3.4.grad.W_o", "(1/N)*H.T*(Yhat - Y)", "incorrect", "FACTOR"),
    ("3.4.grad.W_o", "(2/(N*k))*H.T*(Yhat - Y)", "incorrect", "CONVENTION"),   # MSE over N·k
    ("1.5.second", "kron(a*b.T, Identity(n))", "incorrect", "MISSING_TERM"),
    ("3.4.grad.b_o", "(2/N)*(Yhat - Y).T*OneMatrix(N, 1)", "correct", None),
    # not graded at all
    ("1.4.first", "a*Z.T", "invalid", "UNKNOWN_SYMBOL"),
    ("1.4.first", "a*(b.T", "invalid", "SYNTAX"),
]


@pytest.mark.parametrize("part_id, answer, verdict, code", CASES)
def test_verdict_and_code(grader, part_id, answer, verdict, code):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict == verdict, result.feedback
    if code is None:
        assert result.reasons == ()
        assert result.score == result.max_score
    else:
        assert result.codes[0] == code, result.feedback
        assert result.score == 0
    assert result.verdict in GRADE_VERDICTS and all(c in REASON_CODES for c in result.codes)


def test_factor_names_c(grader):
    assert "c = 1/2" in grader.grade_answer("3.4.grad.W_o", "(1/N)*H.T*(Yhat - Y)").feedback
    assert "1/(N·k)" in grader.grade_answer("3.4.grad.W_o", "(2/(N*k))*H.T*(Yhat - Y)").feedback
    assert "c = 2" in grader.grade_answer("1.4.first", "2*a*b.T").feedback
    assert "c = N" in grader.grade_answer("3.4.grad.Yhat", "2*(Yhat - Y)").feedback
    # the truth is (2/N)·Hᵀ(Ŷ − Y): Hᵀ(Ŷ − Y) is N/2 times it, (2N)·Hᵀ(Ŷ − Y) is N² times it
    assert "c = N/2" in grader.grade_answer("3.4.grad.W_o", "H.T*(Yhat - Y)").feedback
    assert "c = 1/(2·N)" in grader.grade_answer("3.4.grad.W_o", "(1/N^2)*H.T*(Yhat - Y)").feedback
    squared = grader.grade_answer("3.4.grad.W_o", "2*N*H.T*(Yhat - Y)")
    assert squared.codes == ("FACTOR",) and "c = N²" in squared.feedback


def test_messages_name_the_answer_the_truth_and_the_condition(grader):
    special = grader.grade_answer("1.5.first", "2*X*b*a.T")
    assert "b = a" in special.feedback and "X" in special.feedback
    assert "M is symmetric" in grader.grade_answer("1.1.first", "M*M").feedback
    assert "lambda = 0" in grader.grade_answer("2.1.solution", "(X.T*X)^-1*X.T*y").feedback
    missing = grader.grade_answer("2.1.gradient", "-2*X.T*y + 2*X.T*X*beta")
    assert "lambda" in missing.feedback and "beta" in missing.feedback
    assert grader.grade_answer("1.4.first", "b*a.T").truth is not None


# -- invariants ------------------------------------------------------------------------------------

TRUTHS = {"1.4.first": "a*b.T", "1.5.first": "X*(a*b.T + b*a.T)", "1.2.first": "M.T",
          "2.1.solution": "(X.T*X + lambda*I)^-1*X.T*y", "3.4.grad.W_o": "(2/N)*H.T*(Yhat - Y)",
          "2.1.gradient": "2*(X.T*X + lambda*I)*beta - 2*X.T*y"}
VARIABLE = {"1.4.first": "X", "1.5.first": "X", "1.2.first": "X", "2.1.solution": "beta",
            "3.4.grad.W_o": "W_o", "2.1.gradient": "beta"}


@pytest.mark.parametrize("part_id", sorted(TRUTHS))
@pytest.mark.parametrize("eps", ["1e-3", "1e-6", "1e-8"])
def test_no_false_accepts_of_perturbed_truths(grader, part_id, eps):
    truth, wrt = TRUTHS[part_id], VARIABLE[part_id]
    assert grader.grade_answer(part_id, truth).verdict == "correct"
    for wrong in (f"(1 + {eps})*({truth})", f"{truth} + {eps}*{wrt}", f"{truth} - {eps}*{wrt}"):
        result = grader.grade_answer(part_id, wrong)
        assert result.verdict != "correct", wrong
        assert result.score == 0


REWRITINGS = [
    ("1.4.first", "((a*b.T).T).T"),
    ("1.4.first", "a*b.T + X - X"),
    ("1.4.first", "(a*(2*b).T)/2"),
    ("1.5.first", "X*a*b.T + X*b*a.T"),
    ("1.5.first", "(X*b)*a.T + X*(a*b.T)"),
    ("1.5.first", "((a*b.T + b*a.T).T*X.T).T"),
    ("2.1.gradient", "2*X.T*X*beta + 2*lambda*beta - 2*X.T*y"),
    ("2.1.gradient", "-2*X.T*(y - X*beta) + 2*lambda*beta"),
    ("2.1.gradient", "2*(X.T*X*beta - X.T*y + lambda*beta)"),
    ("2.1.solution", "inv(X.T*X + lambda*Identity(p))*X.T*y"),
    ("2.1.solution", "(X.T*X + lambda*I)^(-1)*(y.T*X).T"),
    ("3.4.grad.W_o", "-(2/N)*H.T*(Y - Yhat)"),
    ("3.4.grad.W_o", "(2/N)*(H.T*Yhat - H.T*Y)"),
    ("3.4.grad.W_o", "2*((Yhat - Y).T*H).T/N"),
]


@pytest.mark.parametrize("part_id, answer", REWRITINGS)
def test_no_false_rejects_of_rewritings(grader, part_id, answer):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict == "correct", result.feedback


@pytest.mark.parametrize("part_id, answer", [
    ("1.3.first", "2*X + 0*log(tr(X*X.T) - 1000)"),      # log of a negative number: NaN
    ("1.4.first", "a*b.T + 0*inv(X*X.T - X*X.T)"),        # a singular inverse
    ("1.3.first", "2*X + 0*exp(exp(exp(tr(X.T*X))))"),     # overflow
])
def test_an_undecided_answer_is_never_correct(grader, part_id, answer):
    result = grader.grade_answer(part_id, answer)
    assert result.verdict != "correct"
    assert result.score == 0


def test_an_answer_too_big_to_evaluate_is_refused(grader):
    huge = "tr(kron(kron(kron(X.T*X, X.T*X), kron(X.T*X, X.T*X)), X.T*X))*kron(a*b.T + b*a.T, Identity(n))"
    result = grader.grade_answer("1.5.second", huge)
    assert result.verdict == "invalid" and result.codes == ("TOO_LARGE",)


def test_every_verdict_keeps_its_invariants(grader):
    for part_id, answer, _, _ in CASES:
        r = grader.grade_answer(part_id, answer)
        assert 0 <= r.score <= r.max_score
        if "UNDECIDED" in r.codes:
            assert r.verdict != "correct"
        assert (r.verdict == "correct") == (r.score == r.max_score and not r.reasons) or r.max_score == 0


def test_identical_normalised_answers_share_one_grade(grader):
    first = grader.grade_answer("1.5.first", "X*(a*b.T+b*a.T)")
    again = grader.grade_answer("1.5.first", "X * ( a*b.T + b*a.T )")
    assert again.verdict == first.verdict == "correct"
    assert again.answer == "X * ( a*b.T + b*a.T )"


def test_the_truth_a_verdict_shows_is_itself_graded_correct(grader):
    """A student who copies the truth a verdict shows (feedback's ``truth: …``) into an answer is
    right, on every gradable part: the text is in the answer language, not only readable by a
    person.  The truth text comes from SymPy's derivation and printer; the grader reads it as
    any answer and judges it on its own NumPy instances against the lambdified truth."""
    checked = 0
    for part in grader.grade_submission({}).parts:
        if part.verdict == "manual":
            continue
        shown = grader.grade_answer(part.id, "0").truth
        assert shown, part.id
        if shown.startswith("0 (the zero tensor"):
            shown = "0"      # an explanation beside the number, as the feedback words it
        result = grader.grade_answer(part.id, shown)
        assert result.verdict == "correct", (part.id, shown, result.feedback)
        checked += 1
    assert checked >= 80
