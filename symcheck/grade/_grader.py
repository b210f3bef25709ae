"""The grading API: grade one answer, or a whole submission, against the catalogue.

A :class:`Grader` prepares each part once, on first use (random instances and the truth on
them for a symbolic part, the 30-digit value for a number), and keeps a cache of answers it
has already graded, by part and normalised text.  An answer is a string (plain text or LaTeX),
a number, or a list of strings (a derivation chain, each line claimed equal to the one before).

>>> grader = Grader()                     
>>> result = grader.grade_answer("1.4.first", "b*a.T")
>>> result.verdict, result.codes
('incorrect', ('TRANSPOSED',))
>>> grader.grade_answer("3.1.a3", "0.26894").verdict
'correct'
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Collection, Mapping

from symcheck.errors import AnswerError, UsageError
from symcheck.grade._prepare import answer_definitions
from symcheck.grade._numbers import EXACT_DIGITS, NumberClaim, fmt, judge_number, round_to, to_decimal
from symcheck.grade._result import GradeResult, Reason, SubmissionResult
from symcheck.limits import LIMITS
from symcheck.tolerances import tolerance

__all__ = ["Grader", "KeyJudgement", "grade_answer", "grade_submission", "judge_key_claim"]

_LITERAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")   # ASCII digits only
_NETWORK = "net221"
# A second derivative written as the linear map: dX ↦ 2*dX, dX -> dX*(a*b.T + b*a.T), dX \mapsto ...
_MAP_FORM = re.compile(r"\s*(?:d|\\mathrm\{d\}\s*)(?P<var>[A-Za-z][A-Za-z0-9_]*)\s*"
                       r"(?:↦|⟼|\|->|->|\\mapsto\b)\s*")


@dataclass
class _NumberTarget:
    truth: Decimal
    text: str


@dataclass
class _ManualTarget:
    message: str


def symbolic_part(part) -> bool:
    """True for a part graded against a derived truth (not a number, not graded by a person)."""
    return _manual_message(part) is None and part.ask.kind not in ("number", "table_value")


def _manual_message(part) -> str | None:
    if part.grading.rule == "manual":
        return "a person grades this part; symcheck does not score it"
    if part.ask.model == "notebook":
        return ("a person grades this part: the figure comes from the course notebook's data set, "
                "which symcheck does not have")
    return None


def _evaluate_network(inputs) -> dict[str, str]:
    from symcheck.grade._carry import network_node_values

    return {name: str(value) for name, value in network_node_values(inputs).items()}


def _scientific_literal(tree) -> str | None:
    """Return ``m e k`` for an answer written ``m × 10^k`` (``2.6894 \\times 10^{-1}``), else None.

    Such an answer prints the digits of m, as ``2.6894e-1`` does: it is judged as that literal.
    """
    sign = ""
    if tree.op == "neg":
        tree, sign = tree.args[0], "-"
    if tree.op != "prod" or tuple(tree.value) != ("*",) or len(tree.args) != 2:
        return None
    mantissa, power = tree.args
    if mantissa.op != "num" or power.op != "pow" or not _LITERAL.fullmatch(mantissa.value[1]):
        return None
    base, exponent = power.args
    exponent_sign = ""
    if exponent.op == "neg":
        exponent, exponent_sign = exponent.args[0], "-"
    if base.op != "num" or base.value[1] != "10" or exponent.op != "num" or not exponent.value[1].isdigit():
        return None
    return f"{sign}{mantissa.value[1]}e{exponent_sign}{exponent.value[1]}"


def _default_parser():
    from symcheck.grade._language import parse_answer

    return parse_answer


class Grader:
    """Grade answers to the parts of a catalogue (default: the shipped homework).

    ``examples`` is the number of random instances per symbolic part (default 12, in three
    size draws).  ``parser`` replaces the answer language's ``parse_answer`` (for tests).
    ``derived_truths=False`` derives every truth with SymPy instead of reading the shipped
    catalogue's derived truths (``symcheck verify`` does, as checking the key is its job).
    """

    def __init__(self, catalogue=None, *, examples: int | None = None, parser=None,
                 derived_truths: bool = True):
        self._catalogue = catalogue
        self._examples = examples
        self._parse = parser
        self._derived_truths = derived_truths
        self._targets: dict[tuple, tuple] = {}
        self._latest: dict[str, tuple] = {}
        self._networks: dict[tuple, dict] = {}
        self._cache: OrderedDict = OrderedDict()
        self._parts: dict[str, object] = {}
        self._work_sizes: dict[str, dict[str, int]] = {}
        # part id -> (prepared, its truth_dims, the AnswerContext answers are parsed in)
        self._contexts: dict[str, tuple] = {}
        self._map_contexts: dict[str, object] = {}   # part id -> the context of a map's formula

    # -- set-up ----------------------------------------------------------------------------------
    @property
    def catalogue(self):
        if self._catalogue is None:
            from symcheck.catalogue import load_catalogue

            self._catalogue = load_catalogue()
        return self._catalogue

    def _parser(self):
        """The parser the grader was given, else the answer language's ``parse_answer``."""
        return self._parse if self._parse is not None else _default_parser()

    def part(self, part_id: str):
        """Return the catalogue part ``part_id``; raise UsageError naming close ids."""
        if not isinstance(part_id, str):
            raise UsageError(f"part_id={part_id!r} is not a part id", where="grade_answer",
                             fix="pass an id such as '1.4.first' (see 'symcheck list')")
        part = self._parts.get(part_id)
        if part is None:   # the catalogue looks parts up by a scan; remember each one found
            part = self._parts[part_id] = self.catalogue.part(part_id)
        return part

    def target(self, part, truth=None):
        """Return what answers to ``part`` are graded against, prepared on first use.

        ``truth`` (a kind's Truth, with ``expr``/``value``) is used instead of deriving it again.
        """
        key = (part.id, None if truth is None else id(truth))
        stored = self._targets.get(key)
        if stored is None and truth is None:   # prepared already from a kind's truth: reuse it
            stored = self._targets.get(self._latest.get(part.id))
        if stored is None or (stored[0] is not part and stored[0] != part):
            stored = self._targets[key] = (part, self._prepare(part, truth), truth)
            self._latest[part.id] = key
        return stored[1]

    def _prepare(self, part, truth=None):
        message = _manual_message(part)
        if message is not None:
            return _ManualTarget(message)
        if part.ask.kind in ("number", "table_value"):
            value = truth.value if truth is not None and truth.value is not None \
                else self._network(part)[part.ask.quantity]
            value = to_decimal(value)
            text = fmt(value, 15) if part.ask.kind == "number" else str(round_to(value, -part.ask.decimals))
            return _NumberTarget(value, text)
        from symcheck.grade._prepare import prepare_symbolic, truth_text

        given = None
        if truth is not None and truth.expr is not None:
            given = (truth.kind or "gradient", truth.expr, truth_text(part, truth.expr))
        return prepare_symbolic(part, examples=self._examples, truth=given,
                                derived=getattr(truth, "derived", None), truths=self._derived_truths)

    def _network(self, part) -> dict:
        from symcheck.grade._carry import network_inputs
        from symcheck.grade._store import network_values

        key = tuple(sorted(network_inputs(part).items()))
        if key not in self._networks:   # 30 digits, from the store or mpmath; as exact decimals
            values = network_values(dict(key), _evaluate_network)
            self._networks[key] = {name: Decimal(text) for name, text in values.items()}
        return self._networks[key]

    # -- one answer ------------------------------------------------------------------------------
    def grade_answer(self, part_id: str, answer) -> GradeResult:
        """Return the :class:`GradeResult` of ``answer`` (str, int, float or list of str)."""
        return self._grade(self.part(part_id), answer)[0]

    def _grade(self, part, answer) -> tuple[GradeResult, NumberClaim | None]:
        target = self.target(part)
        if isinstance(target, _ManualTarget):
            return _result(part, "manual", 0.0, (Reason("MANUAL", target.message),), None,
                           _shown_input(answer)), None
        problem = _check_type(answer)
        if problem is not None:
            return _result(part, *problem, None, _shown_input(answer)), None
        key = (part.id, tuple(answer) if isinstance(answer, list) else _key_text(answer))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        graded = self._grade_new(part, target, answer)
        self._remember(key, graded)
        return graded

    def _remember(self, key, graded) -> None:
        self._cache[key] = graded
        if len(self._cache) > LIMITS["grade_cache_answers"].value:
            self._cache.popitem(last=False)

    def _grade_new(self, part, target, answer):
        if isinstance(answer, list):
            return self._grade_chain(part, target, answer)
        if isinstance(target, _NumberTarget):
            return self._grade_number(part, target, answer)
        return self._grade_symbolic(part, target, str(answer)), None

    def _parse_symbolic(self, part, text: str, where: str, *, prepared=None, works=None):
        """Parse ``text`` over the part's symbols, definitions and aliases; what the answer leaves
        unsized (``2*I``, ``\\mathbf{0}`` alone) takes the shape of the truth (``prepared``,
        default the part's target)."""
        if prepared is None:
            prepared = self.target(part)
        context = self._contexts.get(part.id, ())
        if context == () or context[0] is not prepared:
            from symcheck.grade._language import AnswerContext
            from symcheck.grade._symbolic import truth_dims

            shape = truth_dims(prepared)
            context = self._contexts[part.id] = (prepared, shape, AnswerContext(
                part.symbols, definitions=answer_definitions(part), shape=shape,
                aliases=dict(part.aliases) or None))
        if self._parse is None:   # the answer language, through the part's context
            answer = context[2].parse(text, where=where)
        else:
            answer = self._parse(text, part.symbols, definitions=answer_definitions(part), where=where,
                                 shape=context[1], aliases=dict(part.aliases) or None)
        work = _check_work(answer, part, where, self._sizes_of(part))
        if works is not None:
            works.append(work)
        return answer

    def _sizes_of(self, part) -> dict[str, int]:
        """The part's sizes at their largest drawn value (for :func:`_check_work`), once."""
        sizes = self._work_sizes.get(part.id)
        if sizes is None:
            sizes = self._work_sizes[part.id] = _work_sizes(part)
        return sizes

    def _grade_symbolic(self, part, prepared, text: str) -> GradeResult:
        from symcheck.grade._symbolic import judge_symbolic

        form = _MAP_FORM.match(text) if part.ask.wrt else None
        if form is not None:
            return self._grade_map(part, prepared, text, form)
        try:
            answer = self._parse_symbolic(part, text, where=part.id, prepared=prepared)
        except AnswerError as err:
            return _refused(part, err, text, prepared.truth_text)
        plain = answer.plain()
        key = (part.id, "plain", plain)
        cached = self._cache.get(key)
        if cached is not None:
            return replace(cached[0], answer=text)
        judgement = judge_symbolic(prepared, answer, shown=plain)
        result = _judged(part, judgement, prepared.truth_text, text)
        self._remember(key, (result, None))
        return result

    def _claim(self, text: str, where: str) -> NumberClaim:
        text = text.strip()
        if _LITERAL.fullmatch(text) and _within_limits(Decimal(text)):
            return NumberClaim(text, Decimal(text), text)
        answer = self._parser()(text, {}, where=where)
        literal = answer.number_literal or _scientific_literal(answer.tree)
        if literal is not None and _within_limits(Decimal(literal)):
            return NumberClaim(answer.plain(), Decimal(literal), literal)
        import mpmath   # (only exact expressions need it)

        value = answer.exact(EXACT_DIGITS)
        bits = int(mpmath.mag(value)) if value != 0 else 0
        if abs(bits) > _MAX_MAGNITUDE_BITS:
            power = int(bits * mpmath.log10(2))
            size = f"about 1e{power}" if abs(power) < 10 ** 9 else \
                ("far smaller than 1e-1000000000" if power < 0 else "far larger than 1e1000000000")
            raise AnswerError(f"the value of {answer.plain()[:40]} is {size}, beyond "
                              f"10^±{LIMITS['number_exponent'].value} (limit number_exponent)",
                              code="TOO_LARGE", where=where, fix="write a number of ordinary size")
        return NumberClaim(answer.plain(), to_decimal(value), None)

    def _grade_number(self, part, target: _NumberTarget, answer):
        text = _number_text(answer)
        try:
            claim = self._claim(text, part.id)
        except AnswerError as err:
            return _refused(part, err, text, target.text), None
        judgement = judge_number(claim, target.truth, **_number_rules(part))
        verdict = "correct" if judgement.correct else "incorrect"
        return _result(part, verdict, 1.0 if judgement.correct else 0.0, judgement.reasons,
                       target.text, text), claim

    # -- a second derivative as the map dX ↦ H[dX] -------------------------------------------------
    def _grade_map(self, part, prepared, text: str, form) -> GradeResult:
        from symcheck.grade._language import AnswerContext
        from symcheck.grade._symbolic import judge_map

        wrt = part.ask.wrt
        direction = "d" + wrt
        start = form.end()
        refusal = None
        if form.group("var") != wrt:
            refusal = AnswerError(f"the map's variable is d{form.group('var')}, but this part "
                                  f"differentiates by {wrt}", code="UNKNOWN_SYMBOL", where=part.id,
                                  column=1, fix=f"write {direction} ↦ … (or {direction} -> …) with "
                                                f"{direction} in the formula")
        elif wrt not in part.symbols or direction in part.symbols or direction in dict(part.ask.definitions):
            refusal = AnswerError(f"the map form {direction} ↦ … cannot be read for this part ({wrt} is "
                                  f"not one of its symbols, or {direction} already names something)",
                                  code="UNSUPPORTED", where=part.id, column=1,
                                  fix="write the second derivative as its matrix")
        if refusal is not None:
            return _refused(part, refusal, text, prepared.truth_text)
        context = self._map_contexts.get(part.id)
        if context is None:
            context = self._map_contexts[part.id] = AnswerContext(
                {**part.symbols, direction: tuple(part.symbols[wrt])}, definitions=answer_definitions(part),
                shape=tuple(part.symbols[wrt]), aliases=dict(part.aliases) or None)
        try:
            body = context.parse(text[start:], where=part.id)
            _check_work(body, part, part.id, self._sizes_of(part))
        except AnswerError as err:
            if err.column:   # the column in the whole text, not in the formula after the arrow
                err = AnswerError(err.what, code=err.code, where=part.id, column=err.column + start,
                                  fix=err.fix)
            return _refused(part, err, text, prepared.truth_text)
        shown = f"{direction} ↦ {body.plain()}"
        key = (part.id, "map", shown)
        cached = self._cache.get(key)
        if cached is not None:
            return replace(cached[0], answer=text)
        result = _judged(part, judge_map(prepared, body, direction, shown), prepared.truth_text, text)
        self._remember(key, (result, None))
        return result

    # -- derivation chains -----------------------------------------------------------------------
    def _grade_chain(self, part, target, lines: list):
        from symcheck.grade._chain import broken_number_step, broken_step
        from symcheck.grade._symbolic import judge_symbolic

        texts = [str(line) for line in lines]
        shown = " = ".join(texts)
        truth_text = target.text if isinstance(target, _NumberTarget) else target.truth_text
        parsed, works = [], []
        for i, text in enumerate(texts, start=1):
            try:
                if isinstance(target, _NumberTarget):
                    parsed.append(self._claim(text, f"{part.id} line {i}"))
                else:
                    parsed.append(self._parse_symbolic(part, text, where=f"{part.id} line {i}",
                                                       prepared=target, works=works))
                    _check_total_work(sum(works), part, f"{part.id} line {i}",
                                      what=f"the derivation's lines 1 to {i}")
            except AnswerError as err:
                return _refused(part, err, shown, truth_text, line=i), None
        if isinstance(target, _NumberTarget):
            judgement = judge_number(parsed[-1], target.truth, **_number_rules(part))
            outcome = "correct" if judgement.correct else "incorrect"
            reasons, credit = judgement.reasons, 1.0 if judgement.correct else 0.0
            broken = broken_number_step(parsed, texts, tol=tolerance(part.grading.tolerance))
            claim = parsed[-1]
        else:
            j = judge_symbolic(target, parsed[-1])
            outcome, reasons, credit = j.outcome, j.reasons, j.credit
            broken = broken_step(target, parsed, texts)
            claim = None
        if broken is not None and broken.code == "UNDECIDED":
            return _result(part, "invalid", 0.0, (broken,), truth_text, shown), claim
        if broken is not None:
            # A false equality in the derivation: no credit, even when the last line is right.
            first = () if outcome == "correct" else reasons
            return _result(part, "incorrect", 0.0, (broken, *first), truth_text, shown), claim
        return _judged_parts(part, outcome, credit, reasons, truth_text, shown), claim

    # -- a whole submission ----------------------------------------------------------------------
    def grade_submission(self, answers: Mapping[str, object], *,
                         parts: Collection[str] | None = None) -> SubmissionResult:
        """Grade every part of the catalogue: absent parts get ``missing``, unknown ids are listed.

        Network values (3.1, 3.3) are then checked for error carried forward.  ``parts`` (ids)
        grades only those parts, in catalogue order, and leaves the others out of the result
        (a worker of a split batch grades its share so); the values of one chained computation
        must be all in or all out (:func:`symcheck.grade.split_parts` keeps them together).
        """
        if not isinstance(answers, Mapping):
            raise UsageError(f"answers={type(answers).__name__} is not a mapping", where="grade_submission",
                             fix="pass {part_id: answer, ...}")
        known = {p.id for p in self.catalogue.parts}
        parts = self.catalogue.parts if parts is None else \
            tuple(p for p in self.catalogue.parts if p.id in parts)
        graded: dict[str, tuple[GradeResult, NumberClaim | None]] = {}
        for part in parts:
            if part.id in answers and answers[part.id] is not None:
                graded[part.id] = self._grade(part, answers[part.id])
            else:
                graded[part.id] = (_absent(part), None)
        self._carry_forward(parts, graded)
        unknown = tuple(k for k in answers if k not in known)
        return SubmissionResult(tuple(graded[p.id][0] for p in parts), unknown)

    def _carry_forward(self, parts, graded) -> None:
        from symcheck.grade._carry import ChainedValue, apply_carry_forward, carry_forward, network_inputs

        runs: dict[tuple, list] = {}
        for part in parts:
            if part.ask.model != _NETWORK or part.ask.kind not in ("number", "table_value"):
                continue
            result, claim = graded[part.id]
            key = tuple(sorted(network_inputs(part).items()))
            runs.setdefault(key, []).append(ChainedValue(part, part.ask.quantity, claim,
                                                         result.verdict == "incorrect"))
        for values in runs.values():
            rules = _number_rules(values[0].part)
            findings = carry_forward(values, min_figures=rules["min_figures"])
            for part_id, finding in findings.items():
                part = next(v.part for v in values if v.part.id == part_id)
                credit = float(getattr(part.grading, "carried_forward_credit", 1.0))
                result, claim = graded[part_id]
                if "CHAIN_STEP" in result.codes:   # a false step in its own derivation: no credit
                    continue
                graded[part_id] = (apply_carry_forward(result, finding, credit), claim)


# -- results -------------------------------------------------------------------------------------

def _work_sizes(part) -> dict[str, int]:
    """Every size of ``part`` at the largest value its instances use (for :func:`_check_work`)."""
    from symcheck.grade._prepare import largest_size

    top = largest_size(part)
    return {d: top for shape in part.symbols.values() for d in tuple(shape) if isinstance(d, str)}


def _check_work(answer, part, where: str, sizes: dict[str, int] | None = None) -> int:
    """Refuse (TOO_LARGE) an answer whose evaluation would be too big; return its work.

    Every node's shape is evaluated with every size at the largest value instances use, an
    upper bound on what any evaluation of the answer allocates per instance: no matrix may have
    more than ``grade_matrix_entries`` entries.  The work is a bound on the scalar operations
    of one instance: each node's entries times the largest dimension of its operands (a matrix
    product's inner dimension is one of them); it may not exceed ``grade_answer_work``.  A
    derivation chain adds up its lines' work against the same limit (:meth:`Grader._grade_chain`).
    """
    tree = getattr(answer, "tree", None)
    if tree is None:
        return 0
    if sizes is None:
        sizes = _work_sizes(part)
    limit = LIMITS["grade_matrix_entries"].value
    known: dict = {}   # each distinct Dim is valued once

    def dims(node) -> tuple[int, int]:
        shape = getattr(node, "shape", None) or ()
        if len(shape) != 2:
            return 1, 1
        out = []
        for d in shape:
            value = known.get(d)
            if value is None:
                value = known[d] = d.value(sizes)
            out.append(value)
        return out[0], out[1]

    work, stack = 0, [tree]
    while stack:
        node = stack.pop()
        rows, cols = dims(node)
        entries = rows * cols
        if entries > limit:
            from symcheck.grade._prepare import largest_size

            top = largest_size(part)
            raise AnswerError(f"the answer builds a {node.shape[0]}×{node.shape[1]} matrix, {entries:,} "
                              f"entries at sizes {top}, beyond {LIMITS['grade_matrix_entries'].describe()}",
                              code="TOO_LARGE", where=where, fix="simplify it")
        inner = max((max(dims(a)) for a in node.args), default=1)
        work += entries * inner
        stack.extend(node.args)
    _check_total_work(work, part, where)
    return work


def _check_total_work(work: int, part, where: str, what: str = "the answer") -> None:
    if work > LIMITS["grade_answer_work"].value:
        from symcheck.grade._prepare import largest_size

        raise AnswerError(f"{what} takes about {work:,} operations an instance at sizes "
                          f"{largest_size(part)}, beyond {LIMITS['grade_answer_work'].describe()}",
                          code="TOO_LARGE", where=where, fix="simplify it")


# An exact answer's value must be a number of ordinary size, as a literal must: exp(-1e300) is
# representable in mpmath, but not as a Decimal (and is no answer to a homework question).
_MAX_MAGNITUDE_BITS = int((LIMITS["number_exponent"].value + 1) * 3.33)


def _within_limits(value: Decimal) -> bool:
    """True when a literal is within the number limits (else the language refuses it: TOO_LARGE)."""
    digits, exponent = len(value.as_tuple().digits), value.adjusted()
    return digits <= LIMITS["number_digits"].value and abs(exponent) <= LIMITS["number_exponent"].value


def _number_rules(part) -> dict:
    return {"tol": tolerance(part.grading.tolerance),
            "min_figures": int(getattr(part.grading, "min_significant_figures", 4)),
            "decimals": part.ask.decimals if part.ask.kind == "table_value" else None}


def _shown_input(answer) -> str | None:
    if answer is None:
        return None
    if isinstance(answer, list):
        return " = ".join(str(a) for a in answer)
    return str(answer)


def _key_text(answer) -> str:
    return answer.strip() if isinstance(answer, str) else repr(answer)


def _number_text(answer) -> str:
    if isinstance(answer, float):
        return repr(answer)
    return str(answer)


def _check_type(answer):
    """Refuse what is not an answer at all: (verdict, credit, reasons) or None."""
    if isinstance(answer, bool) or not isinstance(answer, (str, int, float, list)):
        return ("invalid", 0.0, (Reason("SYNTAX", f"an answer is a text, a number or a list of lines, "
                                                  f"not {type(answer).__name__}"),))
    if isinstance(answer, list):
        if not answer or not all(isinstance(a, str) for a in answer):
            return ("invalid", 0.0, (Reason("SYNTAX", "a derivation is a non-empty list of text lines"),))
        if len(answer) > LIMITS["chain_lines"].value:
            return ("invalid", 0.0, (Reason("TOO_LARGE", f"the derivation has {len(answer)} lines; "
                                                         f"the limit is {LIMITS['chain_lines'].describe()}"),))
    if isinstance(answer, float) and not math.isfinite(answer):
        return ("invalid", 0.0, (Reason("SYNTAX", f"{answer!r} is not a finite number"),))
    if isinstance(answer, str) and not answer.strip():
        return ("missing", 0.0, (Reason("MISSING", "the answer is empty"),))
    return None


def _result(part, verdict: str, credit: float, reasons, truth, answer, feedback=None) -> GradeResult:
    points = float(part.grading.points)
    if feedback is None:
        feedback = reasons[0].message if reasons else ("correct" if verdict == "correct" else verdict)
    return GradeResult(part.id, verdict, credit * points if verdict != "manual" else 0.0, points,
                       feedback, tuple(reasons), (), truth, answer)


def _judged_parts(part, outcome, credit, reasons, truth, shown) -> GradeResult:
    if outcome == "correct":
        return _result(part, "correct", 1.0, (), truth, shown, feedback="correct")
    if outcome == "undecided":
        return _result(part, "invalid", 0.0, reasons, truth, shown)
    return _result(part, "partial" if credit > 0 else "incorrect", credit, reasons, truth, shown)


def _judged(part, judgement, truth, shown) -> GradeResult:
    return _judged_parts(part, judgement.outcome, judgement.credit, judgement.reasons, truth, shown)


def _refused(part, err: AnswerError, text: str, truth, *, line: int | None = None) -> GradeResult:
    places = ([f"line {line}"] if line else []) + ([f"column {err.column}"] if err.column else [])
    column = ", ".join(places) + ": " if places else ""
    message = f"{column}{err.what}" + (f"; {err.fix}" if err.fix else "")
    code = err.code if err.code in ("SYNTAX", "UNKNOWN_SYMBOL", "UNSUPPORTED", "TOO_LARGE", "SHAPE") \
        else "SYNTAX"
    verdict = "incorrect" if code == "SHAPE" else "invalid"
    return _result(part, verdict, 0.0, (Reason(code, message),), truth, text)


def _absent(part) -> GradeResult:
    message = _manual_message(part)
    if message is not None:
        return _result(part, "manual", 0.0, (Reason("MANUAL", message + "; no answer was given"),), None, None)
    return _result(part, "missing", 0.0, (Reason("MISSING", "the submission has no answer for this part"),),
                   None, None)


# -- the key's claims, for symcheck verify ----------------------------------------------------------

@dataclass(frozen=True)
class KeyJudgement:
    """A key's claim judged by the grader, in verify's words: agrees, differs, warning, unverifiable."""

    verdict: str
    reasons: tuple[str, ...]
    result: GradeResult


_VERIFY_GRADER: Grader | None = None


def _as_key(message: str) -> str:
    return message.replace("your answer", "the key's answer", 1).replace("your earlier", "its earlier")


def verify_grader() -> Grader:
    """Return the Grader ``symcheck verify`` judges the key with (one per process)."""
    global _VERIFY_GRADER
    if _VERIFY_GRADER is None:   # every truth derived here, none read from a file
        _VERIFY_GRADER = Grader(derived_truths=False)
    return _VERIFY_GRADER


def judge_key_claim(part, truth, claim) -> KeyJudgement:
    """Judge the key's ``claim`` (an answer text, a number's text, or a list of lines) for ``part``.

    ``truth`` is the kind's established Truth (its ``expr`` or ``value`` is used as is).  This
    is the one comparison: ``symcheck verify`` judges the key with it, as students are graded.
    A scalar written for c·I (the key's ``2``) is a warning, the rest maps by verdict.
    """
    grader = verify_grader()
    target = grader.target(part, truth)
    result = grader._grade_new(part, target, claim)[0] if _check_type(claim) is None \
        else _result(part, *_check_type(claim), None, _shown_input(claim))
    reasons = tuple(_as_key(r.message) for r in result.reasons)
    if result.verdict == "correct":
        verdict = "agrees"
    elif "SCALAR_FOR_TENSOR" in result.codes or "UNDECIDED" in result.codes:
        verdict = "warning"
    elif result.verdict == "invalid":
        verdict = "unverifiable"
    else:
        verdict = "differs"
    return KeyJudgement(verdict, reasons, result)


# -- module-level API ----------------------------------------------------------------------------

_GRADERS: dict[int, Grader] = {}


def _grader_for(catalogue) -> Grader:
    key = id(catalogue)
    grader = _GRADERS.get(key)
    if grader is None or (catalogue is not None and grader._catalogue is not catalogue):
        grader = _GRADERS[key] = Grader(catalogue)
    return grader


def grade_answer(part_id: str, answer, *, catalogue=None) -> GradeResult:
    """Grade one answer on a shared :class:`Grader` (the shipped catalogue by default).

    >>> grade_answer("1.3.first", "2*X").verdict
    'correct'
    """
    return _grader_for(catalogue).grade_answer(part_id, answer)


def grade_submission(answers: Mapping[str, object], *, catalogue=None) -> SubmissionResult:
    """Grade a whole submission ``{part_id: answer}`` on a shared :class:`Grader`."""
    return _grader_for(catalogue).grade_submission(answers)
