"""Check the symbolic half of the answer corpus against truths derived by hand, without symcheck.

For every symbolic part the truth derived by hand (the header comments of tests/grade/corpus/*.toml)
is written here in NumPy and checked by central differences of the part's function, at a random
instance with all dimensions unequal.  Then every plain-text corpus answer our own small evaluator
can read (Python's ``ast`` over trusted corpus text, a whitelist of nodes, never eval) is checked:
correct forms equal the truth; TRANSPOSED, SIGN and FACTOR answers are what their code says; SHAPE
answers do not compose or have another shape; the rest differ from the truth.  So a wrong corpus
entry fails here, whatever the grader does.
"""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

from test_corpus import PARTS, SUBMISSIONS, _entry, shared_grader   # noqa: E402  (same folder; pytest puts it on sys.path)

SIZES = dict(m=3, n=4, p=3, N=6, k=2, n1=5, n2=7)   # all unequal where a part mixes them
RNG = np.random.default_rng(20261201)


def _sig(t):
    return 1 / (1 + np.exp(-t))


def _instance(symbols):
    env = {}
    for name, shape in symbols.items():
        if shape == ():
            env[name] = float(RNG.uniform(0.5, 1.5))
        else:
            env[name] = RNG.standard_normal(tuple(SIZES.get(d, d) for d in shape))
    return env


# ---------------------------------------------------------------------------------------------
# The parts: symbols, the function, the variable and the truth derived by hand
# ---------------------------------------------------------------------------------------------
def _mlp1(e):
    one = np.ones((SIZES["N"], 1))
    H = _sig(e["X"] @ e["W_h"] + one @ e["b_h"].T)
    Yhat = H @ e["W_o"] + one @ e["b_o"].T
    return dict(H=H, Yhat=Yhat, dMSE_dYhat=-(2 / SIZES["N"]) * (e["Y"] - Yhat),
                hhat=H)   # the homework's own name ĥ for the hidden layer


def _mlp2(e):
    one = np.ones((SIZES["N"], 1))
    H1 = _sig(e["X"] @ e["W_h1"] + one @ e["b_h1"].T)
    H2 = _sig(H1 @ e["W_h2"] + one @ e["b_h2"].T)
    Yhat = H2 @ e["W_o"] + one @ e["b_o"].T
    return dict(H1=H1, H2=H2, Yhat=Yhat, dMSE_dYhat=-(2 / SIZES["N"]) * (e["Y"] - Yhat),
                h1=H1, h2=H2, hhat=H2)   # the homework's h_1, h_2, and ĥ (the output layer's input)


def _mse(e, defs):
    return float(np.sum((e["Y"] - defs(e)["Yhat"]) ** 2) / SIZES["N"])


MLP1 = dict(X=("N", "m"), Y=("N", "k"), W_h=("m", "n"), b_h=("n", 1), W_o=("n", "k"), b_o=("k", 1))
MLP2 = dict(MLP1, W_h1=("m", "n1"), b_h1=("n1", 1), W_h2=("n1", "n2"), b_h2=("n2", 1), W_o=("n2", "k"))


def _G(e, d):
    return (2 / SIZES["N"]) * (d["Yhat"] - e["Y"])


def _D1(e, d):   # Δ of the one-layer MLP
    H = d["H"]
    return (_G(e, d) @ e["W_o"].T) * H * (1 - H)


def _D2(e, d):   # Δ2 and Δ1 of the two-layer MLP
    H1, H2 = d["H1"], d["H2"]
    d2 = (_G(e, d) @ e["W_o"].T) * H2 * (1 - H2)
    return d2, (d2 @ e["W_h2"].T) * H1 * (1 - H1)


def _ones():
    return np.ones((SIZES["N"], 1))


def _vech(n):
    return np.eye(n)


# part -> (symbols, function f(env) or None, variable, truth(env, defs), definitions(env) or None,
#          kind: "grad" | "jac" | "hess")
PART_SPECS = {
    "1.1.first": (dict(M=("m", "m"), x=("m", 1)), lambda e: e["M"].T @ e["M"] @ e["x"], "x",
                  lambda e, d: e["M"].T @ e["M"], None, "jac"),
    "1.1.second": (dict(M=("m", "m"), x=("m", 1)), None, "x",
                   lambda e, d: np.zeros((SIZES["m"] ** 2, SIZES["m"])), None, "zero"),
    "1.1.sym.first": (dict(M=("m", "m"), x=("m", 1)), lambda e: e["M"].T @ e["M"] @ e["x"], "x",
                      lambda e, d: e["M"] @ e["M"], None, "jac"),
    "1.1.sym.second": (dict(M=("m", "m"), x=("m", 1)), None, "x",
                       lambda e, d: np.zeros((SIZES["m"] ** 2, SIZES["m"])), None, "zero"),
    "1.2.first": (dict(M=("m", "n"), X=("n", "m")), lambda e: np.trace(e["M"] @ e["X"]), "X",
                  lambda e, d: e["M"].T, None, "grad"),
    "1.2.second": (dict(M=("m", "n"), X=("n", "m")), lambda e: np.trace(e["M"] @ e["X"]), "X",
                   lambda e, d: np.zeros((SIZES["m"] * SIZES["n"],) * 2), None, "hess"),
    "1.3.first": (dict(X=("n", "n")), lambda e: np.trace(e["X"] @ e["X"].T), "X",
                  lambda e, d: 2 * e["X"], None, "grad"),
    "1.3.second": (dict(X=("n", "n")), lambda e: np.trace(e["X"] @ e["X"].T), "X",
                   lambda e, d: 2 * np.eye(SIZES["n"] ** 2), None, "hess"),
    "1.4.first": (dict(X=("m", "n"), a=("m", 1), b=("n", 1)), lambda e: (e["a"].T @ e["X"] @ e["b"]).item(), "X",
                  lambda e, d: e["a"] @ e["b"].T, None, "grad"),
    "1.4.second": (dict(X=("m", "n"), a=("m", 1), b=("n", 1)), lambda e: (e["a"].T @ e["X"] @ e["b"]).item(), "X",
                   lambda e, d: np.zeros((SIZES["m"] * SIZES["n"],) * 2), None, "hess"),
    "1.5.first": (dict(X=("n", "m"), a=("m", 1), b=("m", 1)),
                  lambda e: (e["a"].T @ e["X"].T @ e["X"] @ e["b"]).item(), "X",
                  lambda e, d: e["X"] @ (e["a"] @ e["b"].T + e["b"] @ e["a"].T), None, "grad"),
    "1.5.second": (dict(X=("n", "m"), a=("m", 1), b=("m", 1)),
                   lambda e: (e["a"].T @ e["X"].T @ e["X"] @ e["b"]).item(), "X",
                   lambda e, d: np.kron(e["a"] @ e["b"].T + e["b"] @ e["a"].T, np.eye(SIZES["n"])), None, "hess"),
    "2.1.gradient": (dict(X=("n", "p"), y=("n", 1), beta=("p", 1), **{"lambda": ()}),
                     lambda e: float(np.sum((e["y"] - e["X"] @ e["beta"]) ** 2) + e["lambda"] * np.sum(e["beta"] ** 2)),
                     "beta", lambda e, d: 2 * e["X"].T @ e["X"] @ e["beta"] - 2 * e["X"].T @ e["y"]
                     + 2 * e["lambda"] * e["beta"], None, "grad"),   # I: sized by context
    "2.1.solution": (dict(X=("n", "p"), y=("n", 1), beta=("p", 1), **{"lambda": ()}), None, "beta",
                     lambda e, d: np.linalg.solve(e["X"].T @ e["X"] + e["lambda"] * np.eye(SIZES["p"]), e["X"].T @ e["y"]),
                     None, "solution"),
    "3.4.grad.Yhat": (dict(MLP1, Yhat=("N", "k")), lambda e: float(np.sum((e["Y"] - e["Yhat"]) ** 2) / SIZES["N"]),
                      "Yhat", lambda e, d: (2 / SIZES["N"]) * (e["Yhat"] - e["Y"]), None, "grad"),
    "3.4.grad.W_o": (MLP1, lambda e: _mse(e, _mlp1), "W_o", lambda e, d: d["H"].T @ _G(e, d), _mlp1, "grad"),
    "3.4.grad.b_o": (MLP1, lambda e: _mse(e, _mlp1), "b_o", lambda e, d: _G(e, d).T @ _ones(), _mlp1, "grad"),
    "3.4.grad.H": (dict(MLP1, H=("N", "n")),
                   lambda e: float(np.sum((e["Y"] - e["H"] @ e["W_o"] - _ones() @ e["b_o"].T) ** 2) / SIZES["N"]),
                   "H", lambda e, d: _G(e, d) @ e["W_o"].T,
                   lambda e: dict(Yhat=e["H"] @ e["W_o"] + _ones() @ e["b_o"].T,
                                  dMSE_dYhat=-(2 / SIZES["N"]) * (e["Y"] - e["H"] @ e["W_o"] - _ones() @ e["b_o"].T)),
                   "grad"),
    "3.4.grad.W_h": (MLP1, lambda e: _mse(e, _mlp1), "W_h", lambda e, d: e["X"].T @ _D1(e, d), _mlp1, "grad"),
    "3.4.grad.b_h": (MLP1, lambda e: _mse(e, _mlp1), "b_h", lambda e, d: _D1(e, d).T @ _ones(), _mlp1, "grad"),
    "3.4b.grad.W_o": (MLP2, lambda e: _mse(e, _mlp2), "W_o", lambda e, d: d["H2"].T @ _G(e, d), _mlp2, "grad"),
    "3.4b.grad.b_o": (MLP2, lambda e: _mse(e, _mlp2), "b_o", lambda e, d: _G(e, d).T @ _ones(), _mlp2, "grad"),
    "3.4b.grad.W_h2": (MLP2, lambda e: _mse(e, _mlp2), "W_h2", lambda e, d: d["H1"].T @ _D2(e, d)[0], _mlp2, "grad"),
    "3.4b.grad.b_h2": (MLP2, lambda e: _mse(e, _mlp2), "b_h2", lambda e, d: _D2(e, d)[0].T @ _ones(), _mlp2, "grad"),
    "3.4b.grad.W_h1": (MLP2, lambda e: _mse(e, _mlp2), "W_h1", lambda e, d: e["X"].T @ _D2(e, d)[1], _mlp2, "grad"),
    "3.4b.grad.b_h1": (MLP2, lambda e: _mse(e, _mlp2), "b_h1", lambda e, d: _D2(e, d)[1].T @ _ones(), _mlp2, "grad"),
}


def _h2_defs(e):
    Yhat = e["H2"] @ e["W_o"] + _ones() @ e["b_o"].T
    return dict(Yhat=Yhat, dMSE_dYhat=-(2 / SIZES["N"]) * (e["Y"] - Yhat))


def _h1_defs(e):
    H2 = _sig(e["H1"] @ e["W_h2"] + _ones() @ e["b_h2"].T)
    Yhat = H2 @ e["W_o"] + _ones() @ e["b_o"].T
    return dict(H2=H2, Yhat=Yhat, dMSE_dYhat=-(2 / SIZES["N"]) * (e["Y"] - Yhat))


PART_SPECS["3.4b.grad.H2"] = (dict(MLP2, H2=("N", "n2")), lambda e: _mse(e, _h2_defs), "H2",
                              lambda e, d: _G(e, d) @ e["W_o"].T, _h2_defs, "grad")
PART_SPECS["3.4b.grad.H1"] = (dict(MLP2, H1=("N", "n1")), lambda e: _mse(e, _h1_defs), "H1",
                              lambda e, d: ((_G(e, d) @ e["W_o"].T) * d["H2"] * (1 - d["H2"])) @ e["W_h2"].T,
                              _h1_defs, "grad")


def _setup(pid):
    symbols, f, var, truth, defs, kind = PART_SPECS[pid]
    env = _instance(symbols)
    if pid.startswith("1.1.sym."):   # the part assumes M symmetric
        env["M"] = (env["M"] + env["M"].T) / 2
    d = defs(env) if defs else {}
    return env, d, f, var, truth(env, d), kind


def test_every_symbolic_corpus_part_has_a_truth_here():
    symbolic = {pid for pid in PARTS if pid[0] in "12" or pid.startswith("3.4")}
    assert symbolic == set(PART_SPECS)


@pytest.mark.parametrize("pid", sorted(PART_SPECS))
def test_hand_derived_truth_matches_central_differences(pid):
    env, d, f, var, truth, kind = _setup(pid)
    h = 1e-5
    x0 = env[var]
    if kind == "zero":   # the second derivative of a linear map: its Jacobian does not depend on x
        assert not truth.any()
        return
    if kind == "solution":   # the stationary point: the ridge gradient vanishes there
        e = dict(env, beta=truth)
        g = 2 * e["X"].T @ (e["X"] @ truth - e["y"]) + 2 * e["lambda"] * truth
        assert np.allclose(g, 0, atol=1e-10)
        return
    direction = RNG.standard_normal(x0.shape)

    def at(t):
        return f(dict(env, **{var: x0 + t * direction}))

    if kind == "grad":
        numeric = (at(h) - at(-h)) / (2 * h)
        assert truth.shape == x0.shape
        assert np.isclose(np.sum(truth * direction), numeric, rtol=1e-6, atol=1e-8), pid
    elif kind == "jac":
        numeric = (at(h) - at(-h)) / (2 * h)
        assert np.allclose(truth @ direction, numeric, rtol=1e-6, atol=1e-8), pid
    elif kind == "hess":   # vᵀHv = second directional derivative, vec column-major
        v = direction.reshape(-1, order="F")
        numeric = (at(h) - 2 * at(0) + at(-h)) / h ** 2
        assert np.isclose(v @ truth @ v, numeric, rtol=1e-4, atol=1e-4), pid


# ---------------------------------------------------------------------------------------------
# Our own evaluator for the plain answers of the corpus
# ---------------------------------------------------------------------------------------------
class _Eye:
    """The identity I sized by context, times a scalar."""

    def __init__(self, scale=1.0):
        self.scale = scale


class Unreadable(Exception):
    """The text is outside what this small evaluator reads (LaTeX, juxtaposed names)."""


class BadShape(Exception):
    """The expression does not compose."""


def _translate(text):
    if "\\" in text or "{" in text:
        raise Unreadable(text)
    t = text.replace("λ", "lambda").replace("β", "beta").replace("∘", "|").replace("⊗", "&")
    t = re.sub(r"\blambda\b", "lam", t)
    t = re.sub(r"([\w)])'", r"\1.T", t)
    t = t.replace("^T", ".T").replace("^(-1)", "**-1").replace("^-1", "**-1").replace("^", "**")
    t = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([A-Za-z(])", r"\1*\2", t)   # 2X, 2 X
    return t


def _mul(a, b):
    if isinstance(a, _Eye) and isinstance(b, _Eye):
        return _Eye(a.scale * b.scale)
    if isinstance(a, _Eye):
        return _Eye(a.scale * b) if np.ndim(b) == 0 else a.scale * b
    if isinstance(b, _Eye):
        return _Eye(b.scale * a) if np.ndim(a) == 0 else b.scale * a
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b
    if a.shape[1] != b.shape[0]:
        raise BadShape(f"{a.shape} x {b.shape}")
    return a @ b


def _add(a, b, sign, elementwise):
    if isinstance(a, _Eye) and np.ndim(b) == 2:
        a = a.scale * np.eye(b.shape[0])
    if isinstance(b, _Eye) and np.ndim(a) == 2:
        b = b.scale * np.eye(a.shape[0])
    if (np.ndim(a) == 0) != (np.ndim(b) == 0) and not elementwise:
        raise BadShape("scalar + matrix")
    if np.ndim(a) == 2 and np.ndim(b) == 2 and a.shape != b.shape:
        raise BadShape(f"{a.shape} + {b.shape}")
    return a + sign * b


def _evaluate(text, env, sizes):
    tree = ast.parse(_translate(text), mode="eval")

    def size(node):
        if isinstance(node, ast.Constant):
            return int(node.value)
        if isinstance(node, ast.Name) and node.id in sizes:
            return sizes[node.id]
        raise Unreadable(ast.dump(node))

    def ev(node, elementwise=False):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            name = "lambda" if node.id == "lam" else node.id
            if name == "I" and "I" not in env:
                return _Eye()
            if name in env:
                return env[name]
            if name in sizes:
                return float(sizes[name])
            raise NameError(name)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            v = ev(node.value, elementwise)
            return v if isinstance(v, _Eye) or np.ndim(v) == 0 else v.T
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = ev(node.operand, elementwise)
            return _Eye(-v.scale) if isinstance(v, _Eye) else -v
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op in (ast.BitOr,):   # ∘
                a, b = ev(node.left, True), ev(node.right, True)
                return _hadamard([a, b])
            a, b = ev(node.left, elementwise), ev(node.right, elementwise)
            if op is ast.BitAnd:
                return np.kron(a, b)
            if op is ast.Mult:
                return _mul(a, b)
            if op is ast.MatMult:
                return _mul(a, b)
            if op in (ast.Add, ast.Sub):
                return _add(a, b, 1 if op is ast.Add else -1, elementwise)
            if op is ast.Div:
                if np.ndim(b) != 0:
                    raise BadShape("division by a matrix")
                return a / b
            if op is ast.Pow:
                if np.ndim(a) == 0:
                    return a ** b
                if a.shape[0] != a.shape[1]:
                    raise BadShape("power of a non-square matrix")
                return np.linalg.inv(a) if b == -1 else np.linalg.matrix_power(a, int(b))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn, args = node.func.id, node.args
            if fn in ("Identity",):
                return np.eye(size(args[0]))
            if fn in ("ones", "OneMatrix"):
                return np.ones((size(args[0]), size(args[1])))
            if fn == "hadamard":
                return _hadamard([ev(a, True) for a in args])
            vals = [ev(a, elementwise) for a in args]
            if fn == "inv":
                if vals[0].shape[0] != vals[0].shape[1]:
                    raise BadShape("inverse of a non-square matrix")
                return np.linalg.inv(vals[0])
            if fn == "transpose":
                return vals[0].T
            if fn == "tr":
                if vals[0].shape[0] != vals[0].shape[1]:
                    raise BadShape("trace of a non-square matrix")
                return float(np.trace(vals[0]))
            if fn == "kron":
                return np.kron(*vals)
            if fn == "sigmoid":
                return _sig(vals[0])
        raise Unreadable(ast.dump(node))

    return ev(tree)


def _hadamard(vals):
    shapes = {v.shape for v in vals if np.ndim(v) == 2}
    if len(shapes) != 1:
        raise BadShape(f"hadamard of {shapes}")
    out = vals[0]
    for v in vals[1:]:
        out = out * v
    return out


def _value(text, env, sizes):
    """Return ('ok', value), ('shape', None), ('unknown', None), ('syntax', None) or ('unread', None)."""
    try:
        return "ok", _evaluate(text, env, sizes)
    except BadShape:
        return "shape", None
    except NameError:
        return "unknown", None
    except SyntaxError:
        return "syntax", None
    except Unreadable:
        return "unread", None


def _equal(v, truth):
    if isinstance(v, _Eye):   # I sized by context: the truth's size
        v = v.scale * np.eye(truth.shape[0])
    if np.ndim(v) == 0:
        return float(v) == 0 and not np.any(truth)
    return v.shape == truth.shape and np.allclose(v, truth, rtol=1e-9, atol=1e-12)


def _read(pid, answer, setup=None):
    env, d, _, _, _, _ = setup or _setup(pid)
    names = {dim for shape in PART_SPECS[pid][0].values() for dim in shape if isinstance(dim, str)}
    return _value(answer, {**env, **d}, {k: SIZES[k] for k in names})


def _within_this_evaluator(pid, answer, code) -> bool:
    """This small evaluator reads plain text only: LaTeX and juxtaposed names are left out."""
    status, _ = _read(pid, answer)
    return not (status == "unread" or (status == "syntax" and code != "SYNTAX"))


def _cases():
    for pid in sorted(PART_SPECS):
        entry = PARTS[pid]
        labelled = [(f"correct[{i}]", _entry(item)[0], None) for i, item in enumerate(entry["correct"])]
        labelled += [(f"wrong[{i}]", w["answer"], w["code"]) for i, w in enumerate(entry["wrong"])]
        for label, answer, code in labelled:
            if _within_this_evaluator(pid, answer, code):
                yield pytest.param(pid, answer, code, id=f"{pid}-{label}")


@pytest.mark.parametrize("pid, answer, code", list(_cases()))
def test_corpus_answer_is_what_its_label_says(pid, answer, code):
    setup = _setup(pid)
    truth = setup[4]
    status, v = _read(pid, answer, setup)
    if code is None:
        assert status == "ok" and _equal(v, truth), (pid, answer, status)
        return
    if code == "SYNTAX":
        assert status == "syntax", (pid, answer, status)
    elif code == "UNKNOWN_SYMBOL":
        assert status == "unknown", (pid, answer, status)
    elif code == "SHAPE":
        assert status == "shape" or (np.ndim(v) != np.ndim(truth) or np.shape(v) != truth.shape), (pid, answer)
        if status == "ok" and np.ndim(v) == 2 and truth.ndim == 2:
            assert not (v.shape == truth.T.shape and np.allclose(v, truth.T)), "that is TRANSPOSED"
    else:
        assert status == "ok", (pid, answer, status)
        assert not _equal(v, truth), (pid, answer, "equals the truth")
        labels = {w["code"] for w in PARTS[pid]["wrong"] if w["answer"] == answer}
        scaled = bool(labels & {"SIGN", "FACTOR"}) and "TRANSPOSED" in labels   # c times the transpose
        if code == "TRANSPOSED":
            c = -1.0 if "SIGN" in labels else _factor(v.T, truth) if "FACTOR" in labels else 1.0
            assert _equal(v.T, c * truth), (pid, answer, c)
        elif code == "SIGN":
            assert _equal(-(v.T if scaled else v), truth), (pid, answer)
        elif code == "FACTOR":
            w = v.T if scaled else v
            c = _factor(w, truth)
            assert not np.isclose(abs(c), 1) and _equal(w, c * truth), (pid, answer, c)


def _factor(v, truth) -> float:
    """The least-squares c in v ≈ c·truth (0 when the shapes differ)."""
    if np.shape(v) != np.shape(truth):
        return 0.0
    return float(np.sum(v * truth) / np.sum(truth * truth))


@pytest.mark.parametrize("case", [c for c in SUBMISSIONS["chain"] if c["part"] in PART_SPECS],
                         ids=lambda c: c["part"])
def test_corpus_symbolic_chains_break_where_they_say(case):
    """Check that the first line that differs from the one before is bad_line (LaTeX lines skipped)."""
    pid = case["part"]
    env, d, _, _, truth, _ = _setup(pid)
    names = {dim for shape in PART_SPECS[pid][0].values() for dim in shape if isinstance(dim, str)}
    values = [_value(line, {**env, **d}, {k: SIZES[k] for k in names}) for line in case["lines"]]
    first_bad = None
    for i in range(1, len(values)):
        (s0, v0), (s1, v1) = values[i - 1], values[i]
        if s0 == "ok" and s1 == "ok" and not _equal(v1, v0 if not isinstance(v0, _Eye) else v0.scale * np.eye(truth.shape[0])):
            first_bad = i + 1
            break
    assert first_bad == case.get("bad_line"), (pid, [s for s, _ in values])


# ---------------------------------------------------------------------------------------------
# Mutants: small edits of the corpus's correct plain forms, judged by our evaluator, then graded
# ---------------------------------------------------------------------------------------------
_MUTANTS_PER_KIND = 3


def _mutants(text, names):
    """Yield small edits of an answer: one transpose toggled, one sign flipped, one constant changed."""
    out = []
    tokens = [m for m in re.finditer(r"(?<![\w.])([A-Za-z_]\w*)(?![\w(])", text) if m.group(1) in names]
    for m in tokens[:_MUTANTS_PER_KIND]:
        end = m.end()
        if text.startswith(".T", end):
            out.append(text[:end] + text[end + 2:])
        elif not text.startswith(("'", "^T"), end):
            out.append(text[:end] + ".T" + text[end:])
    for m in list(re.finditer(r" ([+-]) ", text))[:_MUTANTS_PER_KIND]:
        flip = " - " if m.group(1) == "+" else " + "
        out.append(text[:m.start()] + flip + text[m.end():])
    for m in list(re.finditer(r"(?<![\w.])2(?![\w.])", text))[:_MUTANTS_PER_KIND]:
        out.append(text[:m.start()] + "3" + text[m.end():])
    return [t for t in dict.fromkeys(out) if t != text]


@pytest.fixture(scope="module")
def grader():
    return shared_grader()


@pytest.mark.parametrize("pid", sorted(PART_SPECS))
def test_mutants_of_correct_forms_are_graded_as_our_evaluator_says(grader, pid):
    """Grade mutants of every correct plain form: correct exactly when our evaluator finds them equal."""
    env, d, _, _, truth, _ = _setup(pid)
    names = {dim for shape in PART_SPECS[pid][0].values() for dim in shape if isinstance(dim, str)}
    sizes = {k: SIZES[k] for k in names}
    symbols = set(PART_SPECS[pid][0]) | set(d)
    problems, checked = [], 0
    for item in PARTS[pid]["correct"]:
        text = _entry(item)[0]
        if not isinstance(text, str) or _value(text, {**env, **d}, sizes)[0] != "ok":
            continue
        for mutant in _mutants(text, symbols):
            status, v = _value(mutant, {**env, **d}, sizes)
            if status in ("unread", "syntax", "unknown"):
                continue
            equal = status == "ok" and _equal(v, truth)
            result = grader.grade_answer(pid, mutant)
            checked += 1
            if (result.verdict == "correct") != equal:
                problems.append(f"{mutant!r}: ours {'equal' if equal else status + ', not equal'}, "
                                f"grader {result.verdict} {list(result.codes)}")
    assert not problems, f"{pid} ({checked} mutants):\n" + "\n".join(problems)
