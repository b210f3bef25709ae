"""Findings in the key: root errors and the values that only carry them forward.

The key is graded like a student's submission (issue 12).  For the network values of 3.1 and
3.3 every intermediate line that shows a value (``e^{-1.54} = 4.65235195767``,
``1 - 0.999212971^2 = 0.0001573996059``) is checked exactly; a wrong one is a root finding on its
part.  Each final number is checked against the truth; when it is wrong it is checked again
against the key's own computation line as written (the line that substitutes the earlier
values, at the precision written there): wrong given that line, it is a root; right given it,
it carries forward the roots upstream (found by walking the network's graph, through carried
values); right given it with no finding upstream, the difference is the rounding of correct
inputs and no finding at all.  Chains of rewritings in the symbolic parts go through the same
chain checker as a student's derivation.

>>> from symcheck.catalogue import load_catalogue
>>> found = key_findings(load_catalogue().select(["3.3.dtanh"]))
>>> [(f.id, f.step, f.code, f.root) for f in found]
[('3.3.dtanh', None, 'NOT_EQUIVALENT', True), ('3.3.dtanh', 4, 'NOT_EQUIVALENT', True)]
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from symcheck.errors import AnswerError
from symcheck.grade._numbers import NumberClaim, fmt, judge_number, to_decimal

__all__ = ["KeyFinding", "key_findings", "render_findings", "step_findings"]

_NETWORK = "net221"


@dataclass(frozen=True)
class KeyFinding:
    """One finding: the part and step (None for its answer), the claim, the truth, root or not."""

    id: str
    step: int | None
    claim: str
    truth: str
    root: bool
    carried_forward_from: tuple[str, ...]
    code: str
    explanation: str

    @property
    def label(self) -> str:
        """``3.3.dtanh`` or ``3.3.dtanh step 4``: how other findings name this one."""
        return self.id if self.step is None else f"{self.id} step {self.step}"

    def to_dict(self) -> dict:
        """Return the ``--json`` form: ``{id, step, claim, truth, root, carried_forward_from, code, explanation}``."""
        return {"id": self.id, "step": self.step, "claim": self.claim, "truth": self.truth,
                "root": self.root, "carried_forward_from": list(self.carried_forward_from),
                "code": self.code, "explanation": self.explanation}


def _literal_claim(text: str) -> NumberClaim:
    return NumberClaim(text, Decimal(text), text)


def _step_findings(grader, part) -> list[KeyFinding]:
    found = []
    for i, step in enumerate(part.key.steps, start=1):
        if step.expr is None or step.value_text is None:
            continue
        try:
            exact = grader._claim(step.expr, f"{part.id} step {i}").value
        except AnswerError:
            continue
        judgement = judge_number(_literal_claim(step.value_text), exact, min_figures=1)
        if not judgement.correct:
            reason = judgement.reasons[0]
            found.append(KeyFinding(part.id, i, f"{step.expr} = {step.value_text}", fmt(exact), True, (),
                                    reason.code, reason.message.replace("your answer", "the key's value", 1)))
    return found


def _computation_line(grader, part) -> Decimal | None:
    """The exact value of the key's last line that computes (not a bare number), if any."""
    for step in reversed(part.key.steps):
        if step.expr is None:
            continue
        try:
            claim = grader._claim(step.expr, part.id)
        except AnswerError:
            continue
        if claim.literal is None:
            return claim.value
    return None


def _network_findings(grader, parts) -> list[KeyFinding]:
    from symcheck.models.net221_symbolic import GRAPH, LEAVES

    findings: list[KeyFinding] = []
    by_node: dict[str, KeyFinding | None] = {}
    for part in parts:
        steps = _step_findings(grader, part)
        findings += steps
        if part.key.value_text is None:
            continue
        target = grader.target(part)
        result = grader._grade_number(part, target, part.key.value_text)[0]
        node = part.ask.quantity
        if result.verdict == "correct":
            by_node.setdefault(node, None)
            continue
        decimals = part.ask.decimals if part.ask.kind == "table_value" else None
        written = by_node.get(node)
        local = _computation_line(grader, part) if decimals is None else None
        claim = _literal_claim(part.key.value_text)
        right = local is not None and judge_number(claim, local, decimals=decimals).correct
        upstream = _upstream(GRAPH, LEAVES, by_node, node) + tuple(s.label for s in steps)
        if decimals is not None and written is not None:      # a table value rounds its own number
            right, upstream = True, (written.label,) if written.root else written.carried_forward_from
        reason = result.reasons[0]
        explanation = reason.message.replace("your answer", "the key's answer", 1)
        if right and not upstream:
            by_node.setdefault(node, None)
            continue
        if right:
            finding = KeyFinding(part.id, None, part.key.value_text, target.text, False, upstream,
                                 "CARRIED_FORWARD", f"right given the key's own line ({fmt(local)}) but "
                                 f"it carries forward {', '.join(upstream)}" if local is not None else
                                 f"the table rounds the key's own value, which carries forward "
                                 f"{', '.join(upstream)}")
        else:
            finding = KeyFinding(part.id, None, part.key.value_text, target.text, True, (), reason.code,
                                 explanation if local is None else
                                 f"{explanation}; the key's own line gives {fmt(local)}")
        findings.append(finding)
        if part.ask.kind != "table_value":
            by_node[node] = finding
    return findings


def _upstream(graph, leaves, by_node, node) -> tuple[str, ...]:
    roots: list[str] = []
    for p in graph[node].parents:
        if p in leaves:
            continue
        if p in by_node:
            f = by_node[p]
            if f is not None:
                roots += [f.label] if f.root else list(f.carried_forward_from)
        else:
            roots += _upstream(graph, leaves, by_node, p)
    return tuple(dict.fromkeys(roots))


def _chain_findings(grader, part) -> list[KeyFinding]:
    from symcheck.grade._chain import broken_step

    lines = [(i, s.expr) for i, s in enumerate(part.key.steps, start=1) if s.expr is not None]
    if len(lines) < 1 or part.ask.kind == "closed_form":
        return []
    target = grader.target(part)
    parsed, numbers, texts = [], [], []
    for i, text in lines:
        try:
            parsed.append(grader._parse_symbolic(part, text, where=f"{part.id} step {i}", prepared=target))
        except AnswerError as err:
            if err.code == "SHAPE":
                return [KeyFinding(part.id, i, text, target.truth_text, True, (), "SHAPE",
                                   f"line {i} does not compose: {err.what}")]
            continue
        numbers.append(i)
        texts.append(text)
    reason = broken_step(target, parsed, texts) if parsed else None
    if reason is None:
        return []
    bad = int(reason.message.split()[1]) - 1
    return [KeyFinding(part.id, numbers[bad], texts[bad], target.truth_text, True, (), reason.code,
                       reason.message.replace(f"line {bad + 1} ", f"line {numbers[bad]} ", 1))]


def step_findings(part, *, grader=None) -> list[KeyFinding]:
    """Return the findings on the key's intermediate lines of one part (its answer aside).

    A network value's lines that show a value are checked exactly with the number rules; a
    symbolic part's chain of lines with the chain checker a student's derivation goes through.
    These are the step findings of :func:`key_findings`, and ``symcheck verify`` lists them
    under the part's verdict.

    >>> from symcheck.catalogue import load_catalogue
    >>> [(f.step, f.code) for f in step_findings(load_catalogue().part("3.3.a4"))]
    [(6, 'NOT_EQUIVALENT')]
    """
    from symcheck.grade._grader import _manual_message, verify_grader

    if _manual_message(part) is not None or not part.key.present:
        return []
    grader = grader or verify_grader()
    if part.ask.model == _NETWORK:
        return _step_findings(grader, part)
    if part.ask.function is not None:
        return _chain_findings(grader, part)
    return []


def key_findings(parts: Iterable, *, grader=None) -> list[KeyFinding]:
    """Return the findings in the key for ``parts`` (catalogue parts), in catalogue order.

    Network values are checked with error carried forward over the key's own values, as
    written; the steps of symbolic parts through the chain checker.
    """
    from symcheck.grade._grader import _manual_message, verify_grader

    grader = grader or verify_grader()
    parts = [p for p in parts if _manual_message(p) is None and p.key.present]
    runs: dict[tuple, list] = {}
    found: list[KeyFinding] = []
    for part in parts:
        if part.ask.model == _NETWORK:
            from symcheck.grade._carry import network_inputs

            runs.setdefault(tuple(sorted(network_inputs(part).items())), []).append(part)
    for run in runs.values():
        found += _network_findings(grader, run)
    for part in parts:
        if part.ask.model != _NETWORK and part.ask.function is not None:
            found += _chain_findings(grader, part)
    order = {p.id: i for i, p in enumerate(parts)}
    return sorted(found, key=lambda f: (order[f.id], f.step or 0))


def render_findings(findings) -> str:
    """Return the findings as lines for the terminal, under verify's table."""
    if not findings:
        return "findings: none"
    roots = sum(f.root for f in findings)
    lines = [f"findings: {roots} root error{'s' if roots != 1 else ''}, "
             f"{len(findings) - roots} carried forward"]
    for f in findings:
        origin = "root" if f.root else "carried forward from " + ", ".join(f.carried_forward_from)
        lines.append(f"  {f.label:<22} {f.code:<16} {origin}: {f.claim} (truth {f.truth})")
        lines.append(f"  {'':<22} {f.explanation}")
    return "\n".join(lines)
