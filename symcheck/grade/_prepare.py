"""Prepare a symbolic part once: random instances, the truth and its pieces evaluated on them.

A part is prepared on first use and then reused for every answer.  Preparation draws a few
size assignments (every dimension at least 2, all dimensions different, so an answer right only
when ``m = n`` or ``N = 2`` cannot pass) and for each a batch of instances stacked along a first
axis, so that one batched NumPy evaluation of an answer covers the whole batch.  Values are
N(0, 1), dense and non-symmetric unless the part assumes otherwise (symmetric, positive
definite, invertible and orthogonal matrices are built with that property and a condition
number of at most 4; a scalar ``> 0`` lies in [0.5, 2]).  The truth, the part's definitions (H,
Yhat, ...) and later, on demand, the terms of the truth, special-case batches and the truth in
another convention are evaluated with SymPy's lambdify, once per part.

A prepared part is kept in the store (:mod:`symcheck.grade._store`): read back, it is the same
arrays without SymPy, and the symbolic side (the truth as an expression, the evaluator) is
rebuilt only if something asks for it (a derivation chain, a piece not computed yet).

>>> from symcheck.catalogue import load_catalogue
>>> prepared = prepare_symbolic(load_catalogue().part("1.4.first"))      # ∂(aᵀXb)/∂X = abᵀ
>>> d = prepared.draws[0]
>>> d.sizes["m"] != d.sizes["n"] and min(d.sizes.values()) >= 2
True
>>> d.truth.shape == (d.batch, d.sizes["m"], d.sizes["n"]) == d.values["X"].shape
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

__all__ = ["AnswerEvaluator", "Draw", "PreparedSymbolic", "SpecialCase", "SymbolicSide", "prepare_symbolic",
           "SIZE_VALUES", "answer_definitions", "distribute", "load_prepared", "save_prepared",
           "truth_terms"]

# Sizes are drawn as distinct values from this range (every dimension >= 2).
SIZE_VALUES = tuple(range(2, 8))
DRAWS = 3          # size assignments per part
BATCH = 4          # instances per size assignment
SPECIAL_DRAWS = 1  # size assignments per special case (it only names a mistake already found)
SEED = 20261201
PROBE = 1e-9       # relative perturbation used to estimate how well conditioned a value is


@dataclass
class Draw:
    """One size assignment with a batch of instances: the symbol and definition values, the truth.

    ``values`` maps each symbol and definition name to an array of shape (batch, rows, cols) for
    a matrix or (batch,) for a scalar; ``truth`` has shape (batch, rows, cols).
    """

    sizes: dict[str, int]
    values: dict[str, np.ndarray]
    truth: np.ndarray
    perturbed: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        # Answers are evaluated on these arrays without copies (an answer that is just X
        # returns X itself): read-only, so that no step can change a part's instances.
        for array in (self.truth, *self.values.values(), *self.perturbed.values()):
            if isinstance(array, np.ndarray):
                array.flags.writeable = False

    @property
    def batch(self) -> int:
        return int(self.truth.shape[0])


@dataclass
class SpecialCase:
    """A condition the part does not assume (M symmetric, X square, b = a) with its own draws.

    ``changes_shapes`` marks a condition on sizes (m = n, N = 1) under which shapes that differ
    in general can agree; only "X square" is worth naming for an answer of the wrong shape.
    """

    condition: str
    draws: list[Draw]
    kind: str = "values"


def _dims_of(symbols: Mapping[str, tuple]) -> list[str]:
    return sorted({d for shape in symbols.values() for d in tuple(shape) if isinstance(d, str)})


def _properties(part) -> dict[str, frozenset[str]]:
    """Return ``{name: properties}`` from the part's assumptions (spd implies symmetric, ...)."""
    try:
        from symcheck.expr import facts_by_name, parse_assumptions
    except ImportError:   # the shared assumptions grammar is not exported yet
        return _properties_fallback(part.assumptions)
    return facts_by_name(parse_assumptions(part.assumptions))


def _properties_fallback(texts) -> dict[str, frozenset[str]]:
    words = {"symmetric": "symmetric", "invertible": "invertible", "positive definite": "spd",
             "spd": "spd", "orthogonal": "orthogonal", "> 0": "> 0", ">= 0": ">= 0", "< 0": "< 0"}
    table: dict[str, set[str]] = {}
    for text in texts:
        name, _, rest = text.strip().partition(" ")
        prop = words.get(rest.strip(), rest.strip())
        table.setdefault(name, set()).add(prop)
        if prop == "spd":
            table[name] |= {"symmetric", "invertible"}
    return {k: frozenset(v) for k, v in table.items()}


def _orthogonal(rng: np.random.Generator, batch: int, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((batch, n, n)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def _matrix(rng: np.random.Generator, batch: int, rows: int, cols: int,
            props: frozenset[str]) -> np.ndarray:
    """Draw ``batch`` matrices with the properties asked (condition number at most 4)."""
    if "spd" in props:
        q = _orthogonal(rng, batch, rows)
        return (q * rng.uniform(0.5, 2.0, (batch, 1, rows))) @ np.swapaxes(q, 1, 2)
    if "orthogonal" in props:
        return _orthogonal(rng, batch, rows)
    if "invertible" in props or "well_conditioned" in props:
        u, v = _orthogonal(rng, batch, rows), _orthogonal(rng, batch, rows)
        a = (u * rng.uniform(0.5, 2.0, (batch, 1, rows))) @ v
        return (a + np.swapaxes(a, 1, 2)) / 2 if "symmetric" in props else a
    a = rng.standard_normal((batch, rows, cols))
    return (a + np.swapaxes(a, 1, 2)) / 2 if "symmetric" in props else a


def _scalar(rng: np.random.Generator, batch: int, props: frozenset[str]) -> np.ndarray:
    if props & {"> 0", ">= 0"}:
        return rng.uniform(0.5, 2.0, batch)
    if "< 0" in props:
        return -rng.uniform(0.5, 2.0, batch)
    return rng.standard_normal(batch)


def _size_of(d, sizes: Mapping[str, int]) -> int:
    return sizes[d] if isinstance(d, str) else int(d)


def draw_values(rng: np.random.Generator, symbols: Mapping[str, tuple], sizes: Mapping[str, int],
                props: Mapping[str, frozenset[str]], batch: int) -> dict[str, np.ndarray]:
    """Return a batch of values for every symbol: (batch, rows, cols) or (batch,) arrays."""
    values = {}
    for name, shape in symbols.items():
        p = props.get(name, frozenset())
        if len(tuple(shape)) == 0:
            values[name] = _scalar(rng, batch, p)
        else:
            rows, cols = (_size_of(d, sizes) for d in shape)
            values[name] = _matrix(rng, batch, rows, cols, p)
    return values


class _Evaluator:
    """Evaluate SymPy expressions of one part on batches, one lambdify per expression."""

    def __init__(self, part):
        from symcheck.expr import symbols_from_shapes

        self.part = part
        self.namespace = symbols_from_shapes(part.symbols)
        self.dims = _dims_of(part.symbols)
        self.names = list(part.symbols)
        self.args = [self.namespace[d] for d in self.dims] + [self.namespace[n] for n in self.names]

    def function(self, expr) -> Callable:
        from symcheck.verify import numpy_function

        return numpy_function(expr, self.args)

    def batch(self, expr, sizes: Mapping[str, int], values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Return ``expr`` at every instance of the batch: (batch, rows, cols), complex if needed."""
        f = self.function(expr)
        count = len(next(iter(values.values()))) if values else 1
        out = []
        with np.errstate(all="ignore"):
            for i in range(count):
                args = [sizes[d] for d in self.dims] + [values[n][i] for n in self.names]
                out.append(np.asarray(f(*args)))
        return np.stack([_as_matrix(v) for v in out])


class AnswerEvaluator:
    """Evaluate answer-language expressions (:class:`~symcheck.grade._language.Answer`) of one
    part on batches, with the language's NumPy compiler: no SymPy.  ``definitions`` are the
    part's named quantities as Answers, in order; each is computed first when it is not given."""

    def __init__(self, definitions: Sequence[tuple[str, object]]):
        self.definitions = list(definitions)

    def batch(self, answer, sizes: Mapping[str, int], values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Return ``answer`` at every instance of the batch: (batch, rows, cols)."""
        values = dict(values)
        for name, definition in self.definitions:
            if name not in values:
                values[name] = definition.evaluate(values, sizes)
        v = answer.evaluate(values, sizes)
        return v.reshape(-1, 1, 1) if v.ndim == 1 else v


_IDENTITY = re.compile(r"Identity\(\s*\w+\s*\)")


def answer_definitions(part) -> tuple:
    """The definitions an answer may use; ``I = Identity(p)`` is left to the language, which
    sizes I by context (in X.T*(X*X.T + lambda*I)^-1*y it is n×n)."""
    return tuple((name, text) for name, text in part.ask.definitions
                 if not (name == "I" and _IDENTITY.fullmatch(text.strip())))


def _as_matrix(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v)
    if v.ndim == 0:
        return v.reshape(1, 1)
    return v


def _definition_exprs(part, namespace) -> list[tuple[str, object]]:
    from symcheck.expr import parse

    ns = dict(namespace)
    out = []
    for name, text in part.ask.definitions:
        expr = parse(text, ns, where=f"{part.id}.ask.definitions.{name}")
        ns[name] = expr
        out.append((name, expr))
    return out


def _definition_values(evaluator, definitions, sizes, values) -> dict[str, np.ndarray]:
    out = {}
    for name, expr in definitions:
        v = evaluator.batch(expr, sizes, {**values, **out})
        out[name] = v if _is_matrix(expr) else v[:, 0, 0]
    return out


def _is_matrix(expr) -> bool:
    """True for a matrix: a SymPy matrix expression, or an Answer of shape (rows, cols)."""
    return bool(getattr(expr, "is_Matrix", False) or getattr(expr, "shape", ()))


def _truth_kind_and_expr(part):
    from symcheck.calculus import derive, stationary_point

    f, wrt = part.function_expr(), part.wrt_symbol()
    if part.ask.kind == "closed_form":
        return "solution", stationary_point(f, wrt, part.assumptions).expr
    result = derive(f, wrt, order=part.ask.order, assumptions=part.assumptions)
    return result.kind, result.expr


def truth_text(part, expr) -> str:
    """The truth as text, with the part's named quantities (H, Yhat) folded in."""
    from symcheck.calculus import answer_text, fold_definitions

    if getattr(expr, "is_ZeroMatrix", False):
        return f"0 (the zero tensor, shape {expr.shape[0]}×{expr.shape[1]})"
    return answer_text(fold_definitions(expr, part.named_quantities()))


def largest_size(part) -> int:
    """The largest size any instance of ``part`` gets (size draws use distinct values)."""
    return SIZE_VALUES[0] + max(len(SIZE_VALUES), len(_dims_of(part.symbols))) - 1


def _check_instance_sizes(part) -> None:
    """Refuse a part whose symbols would be too big to draw: a catalogue may write a size as a
    number (``X = [10000, 10000]``), and every instance holds each symbol's entries."""
    from symcheck.errors import CatalogueError
    from symcheck.limits import LIMITS

    top, cap = largest_size(part), LIMITS["grade_matrix_entries"]
    for name, shape in part.symbols.items():
        dims = [top if isinstance(d, str) else int(d) for d in tuple(shape)]
        entries = int(np.prod(dims)) if dims else 1
        if entries > cap.value:
            raise CatalogueError(f"the symbol {name} is {'×'.join(map(str, dims))} in its instances, "
                                 f"{entries:,} entries, beyond {cap.describe()}", where=part.id,
                                 fix="write its sizes as names (n, m) or as smaller numbers")


def _size_draws(rng: np.random.Generator, dims: Sequence[str], count: int,
                equal: tuple[str, str] | None = None) -> list[dict[str, int]]:
    """Return ``count`` size assignments; all dimensions distinct (except the pair ``equal``)."""
    draws = []
    for _ in range(count):
        values = rng.permutation(np.arange(SIZE_VALUES[0], SIZE_VALUES[0] + max(len(SIZE_VALUES), len(dims))))
        sizes = {d: int(v) for d, v in zip(dims, values)}
        if equal is not None:
            sizes[equal[1]] = sizes[equal[0]]
        draws.append(sizes)
    return draws


@dataclass
class SymbolicSide:
    """The symbolic half of a prepared part: the truth, the definitions and f as expressions.

    SymPy expressions with a lambdifying evaluator for a part derived here, or Answers of the
    answer language with an :class:`AnswerEvaluator` for a part read from the shipped derived
    truths (:mod:`symcheck.grade._truths`), with the truth's terms given.
    """

    truth_expr: object
    evaluator: _Evaluator | AnswerEvaluator
    definitions: list[tuple[str, object]]
    function_expr: object | None = None
    terms: list[tuple[str, object]] | None = None   # (text, expression); None: distribute the truth


@dataclass
class PreparedSymbolic:
    """Everything needed to grade answers to one symbolic part, computed once.

    The arrays (draws, terms, special cases) are all an answer is judged on; the SymPy side
    (:class:`SymbolicSide`) is built by ``make_side`` the first time something needs it.
    """

    part: object
    kind: str
    truth_text: str
    truth_shape: str
    is_zero: bool
    draws: list[Draw]
    properties: dict[str, frozenset[str]]
    make_side: Callable[[], SymbolicSide]
    store_key: str | None = None
    truth_digest: str | None = None
    _side: SymbolicSide | None = None
    _terms: list[list[np.ndarray]] | None = None
    _term_texts: list[str] | None = None
    _specials: list[SpecialCase] | None = None
    _function_values: list[np.ndarray] | None = None
    _flat: tuple | None = None
    _combined: tuple | None = None
    _missing: list | None = None
    _symmetric: dict = field(default_factory=dict)

    def side(self) -> SymbolicSide:
        """The truth, definitions and f as SymPy expressions (derived again if read from the store)."""
        if self._side is None:
            self._side = self.make_side()
        return self._side

    @property
    def truth_expr(self):
        return self.side().truth_expr

    @property
    def evaluator(self) -> _Evaluator:
        return self.side().evaluator

    @property
    def definitions(self) -> list[tuple[str, object]]:
        return self.side().definitions

    @property
    def function_expr(self):
        return self.side().function_expr

    def equal_fast(self, values: Sequence[np.ndarray], tol) -> bool:
        """True when ``values`` (one array per draw) equal the truth entry by entry.

        A sufficient test, stricter than ``compare_values``: each entry within atol + rtol·(the
        instance's largest truth entry).  NaN or inf fail it.  One concatenation and a few vector
        operations, so a right answer costs little.
        """
        if self._flat is None:
            truth = np.concatenate([d.truth.ravel() for d in self.draws])
            scale = np.concatenate([np.repeat(np.abs(d.truth).reshape(d.batch, -1).max(axis=1),
                                              d.truth[0].size) for d in self.draws])
            self._flat = (truth, scale)
        truth, scale = self._flat
        try:
            flat = np.concatenate([v.ravel() for v in values])
        except ValueError:
            return False
        if flat.shape != truth.shape:
            return False
        with np.errstate(all="ignore"):
            return bool((np.abs(flat - truth) <= tol.atol + tol.rtol * scale).all())

    def terms(self) -> tuple[list[str], list[list[np.ndarray]]]:
        """Return the additive terms of the expanded truth, as texts and per-draw values."""
        if self._terms is None:
            self._term_texts, self._terms = _terms_of(self)
            save_prepared(self)
        return self._term_texts, self._terms

    def missing_candidates(self) -> list:
        """The truth minus each proper subset of its terms, per draw (for MISSING_TERM), once."""
        if self._missing is None:
            from symcheck.grade._classify import missing_candidates

            self._missing = missing_candidates([d.truth for d in self.draws], self.terms()[1])
        return self._missing

    def truth_symmetric(self, tol) -> bool:
        """True when the truth equals its transpose on every instance (then TRANSPOSED says nothing)."""
        key = (tol.atol, tol.rtol)
        if key not in self._symmetric:
            from symcheck.grade._classify import equal_values

            truths = [d.truth for d in self.draws]
            self._symmetric[key] = equal_values(truths, [np.swapaxes(t, 1, 2) for t in truths], tol)
        return self._symmetric[key]

    def specials(self) -> list[SpecialCase]:
        """Return the special cases (conditions the part does not assume), drawn on first use."""
        if self._specials is None:
            self._specials = _special_cases(self)
            save_prepared(self)
        return self._specials

    def value_cases(self) -> tuple[Draw, list[tuple[str, slice]]] | None:
        """The special cases on values (same sizes) stacked in one draw, with each one's slice.

        One batched evaluation of an answer then covers all of them.
        """
        if self._combined is None:
            cases = [c for c in self.specials() if c.kind == "values"]
            if not cases:
                self._combined = ()
            else:
                draws = [c.draws[0] for c in cases]
                names = draws[0].values.keys()
                values = {n: np.concatenate([d.values[n] for d in draws]) for n in names}
                truth = np.concatenate([d.truth for d in draws])
                bounds = np.cumsum([0] + [d.batch for d in draws])
                slices = [(c.condition, slice(int(a), int(b)))
                          for c, a, b in zip(cases, bounds[:-1], bounds[1:])]
                self._combined = (Draw(draws[0].sizes, values, truth), slices)
        return self._combined or None

    def function_values(self) -> list[np.ndarray] | None:
        """Return the part's function f on every draw (for derivation chains that rewrite f)."""
        if self._function_values is None and self.function_expr is not None:
            self._function_values = [self.evaluator.batch(self.function_expr, d.sizes, d.values)
                                     for d in self.draws]
        return self._function_values


def _well_conditioned(evaluator, expr, sizes, values, truth) -> np.ndarray:
    """Mask of instances where ``expr`` is finite and insensitive to a tiny perturbation."""
    rng = np.random.default_rng(SEED + 1)
    perturbed = {k: v * (1 + PROBE * rng.standard_normal(v.shape)) for k, v in values.items()}
    other = evaluator.batch(expr, sizes, perturbed)
    finite = np.isfinite(truth).all(axis=(1, 2)) & np.isfinite(other).all(axis=(1, 2))
    scale = np.maximum(np.abs(truth).max(axis=(1, 2)), 1e-300)
    with np.errstate(all="ignore"):
        change = np.abs(other - truth).max(axis=(1, 2)) / scale
    return finite & (change < 1e4 * PROBE)


def _draws(evaluator, part, truth_expr, definitions, props, size_draws, rng, batch) -> list[Draw]:
    draws = []
    for sizes in size_draws:
        values = draw_values(rng, part.symbols, sizes, props, batch)
        truth = evaluator.batch(truth_expr, sizes, values)
        keep = _well_conditioned(evaluator, truth_expr, sizes, values, truth)
        if not keep.any():
            continue
        values = {k: v[keep] for k, v in values.items()}
        truth = truth[keep]
        values.update(_definition_values(evaluator, definitions, sizes, values))
        prng = np.random.default_rng(SEED + 2)
        perturbed = {k: v * (1 + PROBE * prng.standard_normal(v.shape)) for k, v in values.items()}
        draws.append(Draw(sizes, values, np.real_if_close(truth), perturbed))
    return draws


def prepare_symbolic(part, *, examples: int | None = None, truth=None,
                     derived: str | None = None, store: bool = True,
                     truths: bool = True) -> PreparedSymbolic:
    """Prepare a symbolic part (derivative, matrix gradient, closed form) for grading.

    ``truth`` is an optional ``(kind, expr, text)`` from the part's kind; without it the truth is
    the shipped derived truth of the part (:mod:`symcheck.grade._truths`, no SymPy) or, when
    there is none or ``truths`` is False, derived here.  ``derived`` says the given truth is
    the kind's own derivation of the part (the same as deriving it here), so it is stored as
    the grader's own.  ``examples`` is the total number of random instances (default 12).
    ``store=False`` neither reads nor writes the prepared-part store.
    """
    from symcheck.grade._store import part_key

    _check_instance_sizes(part)
    batch = max(1, (examples or DRAWS * BATCH) // DRAWS)
    settings = dict(batch=batch, draws=DRAWS, seed=SEED, probe=PROBE)
    # Two kinds of entries: one prepared from the truth derived here ("derived"), and one per
    # truth a caller gave (verify passes the kind's truth).  A given truth may use the derived
    # entry when it is the same expression; a derived lookup never uses a given truth's entry.
    # A part prepared from the shipped derived truths is not stored: preparing it again from
    # the file takes less time than reading an entry back (0.2 s against 0.35 s for all parts),
    # and so the store holds only what SymPy derived.
    key = derived_key = part_key(part, "symbolic", truth="derived", **settings)
    entry = _shipped_entry(part) if truth is None and truths else None
    side = None if entry is None else _shipped_side(part, entry)
    digest = None
    if truth is not None:
        digest = _expr_digest(truth[1])
        if derived != digest:   # only the kind's own, unchanged derivation is the grader's
            key = part_key(part, "symbolic", truth=digest, **settings)
    for candidate in dict.fromkeys((derived_key, key)) if store and side is None else ():
        stored = load_prepared(part, candidate, truth_digest=digest, truths=truths)
        if stored is not None:
            if truth is not None:   # the caller's truth is the one stored: no need to derive it
                stored.make_side = lambda: _side(part, truth[1])
            return stored
    if side is not None:   # the shipped derived truth, read by the answer language
        store = False
        kind, truth_text_, shape, zero = entry["kind"], entry["truth"], entry["shape"], entry["zero"]
        expr_digest = None   # SymPy's digest of the truth (srepr) is not kept in the file
    else:
        if truth is None:
            kind, expr = _truth_kind_and_expr(part)
            truth_text_ = truth_text(part, expr)
        else:
            kind, expr, truth_text_ = truth
        side = _side(part, expr)
        from symcheck.expr import format_shape

        shape, zero = format_shape(expr), bool(getattr(expr, "is_ZeroMatrix", False) or expr == 0)
        expr_digest = _expr_digest(expr)
    props = _properties(part)
    rng = np.random.default_rng(SEED)
    dims = _dims_of(part.symbols)
    draws = _draws(side.evaluator, part, side.truth_expr, side.definitions, props,
                   _size_draws(rng, dims, DRAWS), rng, batch)
    prepared = PreparedSymbolic(part, kind, truth_text_, shape, zero, draws, props,
                                make_side=lambda: side, store_key=key if store else None, _side=side)
    prepared.truth_digest = expr_digest
    save_prepared(prepared)
    return prepared


def _shipped_entry(part):
    from symcheck.grade._truths import derived_entry

    return derived_entry(part)


def _shipped_side(part, entry):
    from symcheck.grade._truths import derived_side

    return derived_side(part, entry)


def _derived_side(part, truths: bool = True) -> SymbolicSide:
    """The part's symbolic side: from the shipped derived truths when there is one, else derived."""
    entry = _shipped_entry(part) if truths else None
    side = None if entry is None else _shipped_side(part, entry)
    return side if side is not None else _side(part, _truth_kind_and_expr(part)[1])


def _side(part, expr) -> SymbolicSide:
    evaluator = _Evaluator(part)
    definitions = _definition_exprs(part, evaluator.namespace)
    function = part.function_expr() if part.ask.kind != "closed_form" else None
    return SymbolicSide(expr, evaluator, definitions, function)


def _expr_digest(expr) -> str:
    from symcheck.kinds import expr_digest

    return expr_digest(expr)


# -- the prepared part in the store ------------------------------------------------------------

def _draw_arrays(prefix: str, draw: Draw, arrays: dict) -> dict:
    arrays[f"{prefix}.truth"] = draw.truth
    for name, v in draw.values.items():
        arrays[f"{prefix}.v.{name}"] = np.asarray(v)
    for name, v in draw.perturbed.items():
        arrays[f"{prefix}.p.{name}"] = np.asarray(v)
    return {"sizes": draw.sizes, "values": list(draw.values), "perturbed": list(draw.perturbed)}


def _draw_from(prefix: str, header: dict, arrays: Mapping[str, np.ndarray]) -> Draw:
    truth = arrays[f"{prefix}.truth"]
    if truth.ndim != 3:
        raise ValueError(f"{prefix}: a truth of {truth.ndim} axes")
    values = {n: arrays[f"{prefix}.v.{n}"] for n in header["values"]}
    perturbed = {n: arrays[f"{prefix}.p.{n}"] for n in header["perturbed"]}
    for v in (*values.values(), *perturbed.values()):
        if v.shape[:1] != truth.shape[:1]:
            raise ValueError(f"{prefix}: a batch of {v.shape[:1]}, not {truth.shape[:1]}")
    sizes = {str(k): int(v) for k, v in header["sizes"].items()}
    return Draw(sizes, values, truth, perturbed)


def save_prepared(prepared: PreparedSymbolic) -> None:
    """Write ``prepared`` (with whatever pieces it has computed) to the store."""
    from symcheck.grade._store import write_entry

    if prepared.store_key is None:
        return
    arrays: dict[str, np.ndarray] = {}
    header = {"kind": prepared.kind, "truth_text": prepared.truth_text,
              "truth_shape": prepared.truth_shape, "is_zero": prepared.is_zero,
              "truth_digest": prepared.truth_digest,
              "draws": [_draw_arrays(f"d{i}", d, arrays) for i, d in enumerate(prepared.draws)],
              "terms": None, "specials": None}
    if prepared._terms is not None:
        header["terms"] = list(prepared._term_texts)
        for i, values in enumerate(prepared._terms):
            for t, v in enumerate(values):
                arrays[f"t{t}.d{i}"] = np.asarray(v)
    if prepared._specials is not None:
        header["specials"] = [
            {"condition": c.condition, "kind": c.kind,
             "draws": [_draw_arrays(f"s{j}.d{i}", d, arrays) for i, d in enumerate(c.draws)]}
            for j, c in enumerate(prepared._specials)]
    write_entry(prepared.store_key, header, arrays)


def load_prepared(part, key: str, *, truth_digest: str | None = None,
                  truths: bool = True) -> PreparedSymbolic | None:
    """Return the prepared part stored under ``key``, or None (no entry, or not this truth)."""
    from symcheck.grade._store import read_entry

    found = read_entry(key)
    if found is None:
        return None
    header, arrays = found
    if truth_digest is not None and header.get("truth_digest") != truth_digest:
        return None
    try:
        draws = [_draw_from(f"d{i}", h, arrays) for i, h in enumerate(header["draws"])]
        prepared = PreparedSymbolic(
            part, str(header["kind"]), str(header["truth_text"]), str(header["truth_shape"]),
            bool(header["is_zero"]), draws, _properties(part),
            make_side=lambda: _derived_side(part, truths), store_key=key)
        prepared.truth_digest = header.get("truth_digest")
        if header.get("terms") is not None:
            texts = [str(t) for t in header["terms"]]
            prepared._terms = [[arrays[f"t{t}.d{i}"] for t in range(len(texts))]
                               for i in range(len(draws))] if texts else []
            prepared._term_texts = texts
        if header.get("specials") is not None:
            prepared._specials = [
                SpecialCase(str(c["condition"]),
                            [_draw_from(f"s{j}.d{i}", h, arrays) for i, h in enumerate(c["draws"])],
                            str(c["kind"]))
                for j, c in enumerate(header["specials"])]
    except (KeyError, TypeError, ValueError, AttributeError):   # a malformed entry is a miss
        return None
    return prepared


_EVALUATION_ERRORS = (ArithmeticError, ValueError, TypeError, IndexError, np.linalg.LinAlgError)


# -- pieces computed on demand (only wrong answers need them) -----------------------------------

MAX_TERMS = 8


class _TooManyTerms(Exception):
    pass


def distribute(expr) -> list:
    """Return the terms of ``expr`` with products (matrix, Kronecker, Hadamard) distributed over sums.

    >>> from symcheck.expr import parse, symbols_from_shapes
    >>> ns = symbols_from_shapes({"X": ("n", "m"), "a": ("m", 1), "b": ("m", 1)})
    >>> distribute(parse("X*(a*b.T + b*a.T)", ns))
    [X*a*b.T, X*b*a.T]
    """
    from itertools import product

    import sympy as sp

    if isinstance(expr, sp.MatAdd):
        terms = [t for a in expr.args for t in distribute(a)]
    elif isinstance(expr, (sp.MatMul, sp.KroneckerProduct, sp.HadamardProduct)):
        options = [distribute(a) if getattr(a, "is_Matrix", False) else [a] for a in expr.args]
        count = int(np.prod([len(o) for o in options]))
        if count > MAX_TERMS:
            raise _TooManyTerms
        terms = [_flat(expr.func, choice) for choice in product(*options)]
    elif isinstance(expr, sp.Transpose):
        terms = [t.T for t in distribute(expr.arg)]
    else:
        terms = [expr]
    if len(terms) > MAX_TERMS:
        raise _TooManyTerms
    return terms


def _flat(func, args):
    """Rebuild a product, flattening nested products of the same kind (X*(a*b.T) -> X*a*b.T)."""
    flat = []
    for a in args:
        flat.extend(a.args if isinstance(a, func) else (a,))
    return func(*flat)


def truth_terms(expr) -> list[tuple[str, object]]:
    """The additive terms of a SymPy truth, as (text, expression), for MISSING_TERM: its products
    distributed over sums when that gives 2–8 terms, else its own terms, else none."""
    import sympy as sp

    from symcheck.calculus import text

    try:
        terms = distribute(expr)
    except _TooManyTerms:
        terms = []
    if not (2 <= len(terms) <= MAX_TERMS):
        terms = list(expr.args) if isinstance(expr, sp.MatAdd) else []
    if not (2 <= len(terms) <= MAX_TERMS):
        return []
    return [(text(t), t) for t in terms]


def _terms_of(prepared: PreparedSymbolic) -> tuple[list[str], list[list[np.ndarray]]]:
    side = prepared.side()
    terms = side.terms if side.terms is not None else truth_terms(side.truth_expr)
    if not terms:
        return [], []
    values = [[side.evaluator.batch(t, d.sizes, d.values) for _, t in terms] for d in prepared.draws]
    return [text for text, _ in terms], values


def _square_pairs(part) -> list[tuple[str, str, str]]:
    """(matrix, rows dim, cols dim) for matrices whose two dimensions differ."""
    out = []
    for name, shape in part.symbols.items():
        shape = tuple(shape)
        if len(shape) == 2 and all(isinstance(d, str) for d in shape) and shape[0] != shape[1]:
            out.append((name, shape[0], shape[1]))
    return out


def _special_cases(prepared: PreparedSymbolic) -> list[SpecialCase]:
    """Conditions the part does not assume, each with draws where it holds."""
    part, ev, props = prepared.part, prepared.evaluator, prepared.properties
    rng = np.random.default_rng(SEED + 3)
    dims = _dims_of(part.symbols)
    cases: list[SpecialCase] = []
    common = _size_draws(rng, dims, 1)   # conditions on values share one size draw

    def add(condition, size_draws, adjust=None, extra_props=None, kind="values"):
        p = dict(props)
        for name, q in (extra_props or {}).items():
            p[name] = p.get(name, frozenset()) | q
        draws = []
        for sizes in size_draws:
            values = draw_values(rng, part.symbols, sizes, p, BATCH)
            if adjust is not None:
                adjust(values)
            try:   # the truth itself may not exist in the special case (a singular XᵀX at λ = 0)
                truth = ev.batch(prepared.truth_expr, sizes, values)
                values.update(_definition_values(ev, prepared.definitions, sizes, values))
            except _EVALUATION_ERRORS:
                continue
            if np.isfinite(truth).all():
                draws.append(Draw(sizes, values, np.real_if_close(truth)))
        if draws:
            cases.append(SpecialCase(condition, draws, kind))

    for name, shape in part.symbols.items():
        shape = tuple(shape)
        if len(shape) == 2 and shape[0] == shape[1] and shape[0] != 1 \
                and "symmetric" not in props.get(name, frozenset()):
            add(f"{name} is symmetric ({name} = {name}ᵀ)", common,
                extra_props={name: frozenset({"symmetric"})})
    seen = set()
    for name, rows, cols in _square_pairs(part):
        if (rows, cols) in seen:
            continue
        seen.add((rows, cols))
        add(f"{name} is square ({rows} = {cols})", _size_draws(rng, dims, SPECIAL_DRAWS, equal=(rows, cols)),
            kind="square")
    vectors = [(n, tuple(s)) for n, s in part.symbols.items() if len(tuple(s)) == 2]
    for i, (a, sa) in enumerate(vectors):
        for b, sb in vectors[i + 1:]:
            if sa == sb and sa[1] == 1:
                def same(values, a=a, b=b):
                    values[b] = values[a].copy()
                add(f"{a}{b}ᵀ is symmetric ({b} = {a})", common, adjust=same)
    for name, shape in part.symbols.items():
        if not tuple(shape):
            def zero(values, name=name):
                values[name] = np.zeros_like(values[name])
            add(f"{name} = 0", common, adjust=zero)
    for d in dims:
        def one(d=d):
            out = []
            for sizes in _size_draws(rng, dims, SPECIAL_DRAWS):
                sizes[d] = 1
                out.append(sizes)
            return out
        add(f"{d} = 1", one(), kind="size one")
    return cases
