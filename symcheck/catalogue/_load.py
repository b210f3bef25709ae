"""Load and validate the problem catalogue: TOML files under ``problems/``.

Every problem is checked when it is loaded; a broken file raises CatalogueError naming the
file, the key (``parts[3].grading.points``), what is wrong and how to fix it.  The format is
documented in ``problems/README.md``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from symcheck.catalogue._model import (
    GRADING_RULES,
    Ask,
    Grading,
    KeyClaim,
    KeyStep,
    Part,
    Section,
)
from symcheck._files import read_text_file
from symcheck.errors import CatalogueError, UsageError
from symcheck.limits import LIMITS
from symcheck.tolerances import TOLERANCES

__all__ = ["Catalogue", "load_catalogue", "load_file", "default_catalogue_dir"]

_ID = re.compile(r"[0-9]+[a-z]?(\.[A-Za-z0-9_]+)+")   # matched whole (re.fullmatch)
_SIZE_NAME = re.compile(r"[A-Za-z]\w*")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    """Read typed values out of one TOML table, with errors that name the file and key."""

    def __init__(self, source: str, table: Mapping[str, Any], path: str):
        self.source, self.table, self.path = source, table, path

    def error(self, key: str | None, what: str, fix: str) -> CatalogueError:
        where = f"{self.source}: {self.path}.{key}" if key else f"{self.source}: {self.path}"
        return CatalogueError(what, where=where.replace(": .", ": "), fix=fix)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.table:
            if key not in allowed:
                import difflib

                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"allowed keys are {', '.join(sorted(allowed))}"
                raise self.error(key, "unknown key", hint)

    def get(self, key: str, kind: type | tuple, *, required: bool = False, default=None):
        if key not in self.table:
            if required:
                raise self.error(key, "is missing", f"add {key} = ... (see problems/README.md)")
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > 2 ** 53:
                raise self.error(key, f"the integer of {len(str(abs(value)))} digits is out of range",
                                 f"write {key} as a number of at most 15 digits")
            value = float(value)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.error(key, f"must be a {names}, got {type(value).__name__} {_short(value)}",
                             f"write {key} as a {names}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(key, f"{value!r} is not a finite number", f"write {key} as a finite number")
        return value

    def sub(self, key: str, *, required: bool = False) -> "_Reader":
        table = self.get(key, dict, required=required, default={})
        return _Reader(self.source, table, f"{self.path}.{key}")


def _read_symbols(reader: _Reader) -> dict[str, tuple]:
    table = reader.get("symbols", dict, default={})
    symbols = {}
    for name, shape in table.items():
        if not isinstance(shape, list) or len(shape) not in (0, 2) or not all(
                isinstance(d, (int, str)) and not isinstance(d, bool) for d in shape):
            raise reader.error(f"symbols.{name}", f"shape {shape!r} is not [rows, cols] or []",
                               'write e.g. X = ["n", "m"], x = ["m", 1], or lambda = [] for a scalar')
        for d in shape:
            if isinstance(d, int) and d < 1 or isinstance(d, str) and not _SIZE_NAME.fullmatch(d):
                raise reader.error(f"symbols.{name}", f"dimension {_short(d)} is not a positive integer "
                                   "or a size name", 'use sizes like 3 or "n"')
            if isinstance(d, int) and d > LIMITS["model_size"].value:
                cap = LIMITS["model_size"]
                raise reader.error(f"symbols.{name}", f"the size {_short(d)} is larger than {cap.value}",
                                   f"use a size name (\"n\") or a number up to {cap.value} "
                                   f"({cap.name} in symcheck/limits.py)")
        symbols[name] = tuple(shape)
    sizes = {d for shape in symbols.values() for d in shape if isinstance(d, str)}
    for name in symbols:
        if name in sizes:
            raise reader.error(f"symbols.{name}", f"{name} is both a symbol and a size",
                               f"rename the symbol {name} or the size {name}")
    return symbols


_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _check_alias_table(reader: _Reader) -> dict[str, str]:
    """Read the ``aliases`` table of ``reader``: alias name -> the name it stands for."""
    table = reader.get("aliases", dict, default={})
    for alias, target in table.items():
        if not _ALIAS.fullmatch(alias):
            raise reader.error(f"aliases.{alias}", f"{_short(alias)} is not a name an answer can use",
                               "write an alias as letters, digits and _, starting with a letter (hhat, h2)")
        if not isinstance(target, str):
            raise reader.error(f"aliases.{alias}", f"must be a str, got {type(target).__name__} "
                               f"{_short(target)}", f'write {alias} = "NAME", the symbol or definition '
                               "it stands for")
    return table


def _read_aliases(reader: _Reader, symbols: Mapping[str, tuple], ask: Ask,
                  inherited: Mapping[str, str]) -> dict[str, str]:
    """Read ``aliases = { hhat = "H" }``: other names an answer may use for a symbol or definition.

    The part's own aliases must each name one of its symbols or definitions.  ``inherited`` (the
    file's ``[defaults]`` aliases) apply where their target exists; the part's own win.
    """
    own = _check_alias_table(reader)
    defined = [name for name, _ in ask.definitions]
    targets = list(symbols) + [d for d in defined if d not in symbols]
    sizes = {d for shape in symbols.values() for d in shape if isinstance(d, str)}
    aliases = {a: t for a, t in inherited.items() if t in targets and a not in own}
    for alias, target in own.items():
        if target not in targets:
            raise reader.error(f"aliases.{alias}", f"{_short(target)} is not a symbol or definition "
                               f"of this part", f"alias one of {', '.join(targets) or '(none: declare symbols)'}")
        aliases[alias] = target
    for alias in aliases:
        if alias in symbols or alias in defined or alias in sizes:
            what = "symbol" if alias in symbols else "definition" if alias in defined else "size"
            raise reader.error(f"aliases.{alias}", f"{alias} is already a {what} of this part, so it "
                               "cannot be an alias", f"remove the alias {alias} or rename the {what}")
    return aliases


def _read_assumptions(reader: _Reader, texts: list, symbols: Mapping[str, tuple]) -> None:
    """Check each assumption with the one grammar (symcheck.expr.parse_assumption)."""
    from symcheck.expr import parse_assumption

    for i, text in enumerate(texts):
        try:
            parse_assumption(text, symbols)
        except UsageError as err:
            raise reader.error(f"assumptions[{i}]", err.what, err.fix) from None


def _read_steps(reader: _Reader, key: str) -> tuple[KeyStep, ...]:
    steps = reader.get(key, list, default=[])
    out = []
    for i, raw in enumerate(steps):
        if not isinstance(raw, dict):
            raise reader.error(f"{key}[{i}]", "must be a table", 'write { latex = "...", expr = "..." }')
        step = _Reader(reader.source, raw, f"{reader.path}.{key}[{i}]")
        step.check_keys({"latex", "expr", "value", "lhs", "rhs", "note"})
        value = step.get("value", (float, str))
        value_text = value if isinstance(value, str) else None
        out.append(KeyStep(
            latex=step.get("latex", str, required=True), expr=step.get("expr", str),
            value=_number(step, "value", value), value_text=value_text,
            lhs=step.get("lhs", str), rhs=step.get("rhs", str), note=step.get("note", str)))
    return tuple(out)


def _number(reader: _Reader, key: str, value):
    """Numbers may be written as strings to keep every printed digit ("-0.42614473734")."""
    if value is None or isinstance(value, float):
        return value
    try:
        number = float(value)
    except ValueError:
        raise reader.error(key, f"{_short(value)} is not a number",
                           'write a number, e.g. value = "-0.42614473734"') from None
    if not math.isfinite(number):
        raise reader.error(key, f"{_short(value)} is not a finite number", "write a finite number")
    return number


def _read_key(reader: _Reader) -> KeyClaim:
    key = reader.sub("key")
    key.check_keys({"latex", "answer", "value", "steps", "note"})
    value = key.get("value", (float, str))
    return KeyClaim(latex=key.get("latex", str), answer=key.get("answer", str),
                    value=_number(key, "value", value),
                    value_text=value if isinstance(value, str) else None,
                    steps=_read_steps(key, "steps"), note=key.get("note", str))


_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9.]+|\S")


def _check_expanded_sizes(ask, pairs, function) -> None:
    """Refuse definitions that grow too big once the earlier ones are substituted in.

    Each definition is built with the ones before it in place, so H1 = hadamard(H0, H0) + H0,
    H2 = hadamard(H1, H1) + H1, … doubles at every step (61 of them would build 2^61 nodes).
    The size is counted on the text, token by token, a name of an earlier definition counting
    that definition's size: no expression is built.  The bound is answer_nodes, the size of
    one expression.
    """
    cap = LIMITS["answer_nodes"]
    sizes: dict[str, int] = {}
    named = [(f"definitions[{i}]", name, text) for i, (name, text) in enumerate(pairs)]
    for key, name, text in named + ([("function", None, function)] if isinstance(function, str) else []):
        size = sum(sizes.get(token, 1) for token in _TOKEN.findall(text[:LIMITS["answer_length"].value]))
        if size > cap.value:
            raise ask.error(key, f"{name or 'the function'} is about {size:,} nodes once the "
                                 f"definitions before it are substituted, beyond {cap.describe()}",
                            "use each earlier definition fewer times, or fewer nested definitions")
        if name is not None:
            sizes[name] = size


_ASK_TYPES = {"function": str, "wrt": str, "order": int, "definitions": list, "solve": str,
              "model": str, "quantity": str, "decimals": int, "conventions": dict}


def _read_ask(reader: _Reader):
    """Read ``ask`` and check it against its kind's fields; return ``(Ask, Kind)``."""
    from symcheck.kinds import get_kind, kind_names, models_of

    ask = reader.sub("ask", required=True)
    ask.check_keys({"kind", *_ASK_TYPES})
    name = ask.get("kind", str, required=True)
    if name not in kind_names():
        raise ask.error("kind", f"{_short(name)} is not a kind of question",
                        f"use one of {', '.join(sorted(kind_names()))}")
    values = {key: ask.get(key, kind) for key, kind in _ASK_TYPES.items()}
    models = models_of(name)
    if models and values["model"] is not None and values["model"] not in models:
        raise ask.error("model", f"{_short(values['model'])} is not a model symcheck knows for a {name} "
                        "question", f"use one of {', '.join(sorted(models))}")
    kind = get_kind(name, values["model"])
    fields = {f.name: f for f in kind.fields}
    for key in ask.table:
        if key != "kind" and key not in fields:
            raise ask.error(key, f"is not a field of a {name} question",
                            f"remove it; a {name} question reads "
                            f"{', '.join(fields) or 'no other fields'}")
    for field in kind.fields:
        value = values[field.name]
        if value is None:
            if field.required:
                raise ask.error(field.name, f"is missing, and a {name} question needs it",
                                f"add {field.name} = ... (see problems/README.md)")
        elif not field.allows(value):
            raise ask.error(field.name, f"{field.name} = {_short(value)} is not allowed for a {name} "
                            "question", f"use {field.describe_choices()}")
    if values["model"] in models and values["quantity"] is not None:
        known = models[values["model"]]
        if values["quantity"] not in known:
            import difflib

            close = difflib.get_close_matches(values["quantity"], known, n=1)
            raise ask.error("quantity", f"{_short(values['quantity'])} is not a quantity of the model "
                            f"{values['model']}", (f"did you mean {close[0]!r}? " if close else "")
                            + f"use one of {', '.join(known)}")
    pairs = []
    for i, item in enumerate(values["definitions"] or []):
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item)):
            raise ask.error(f"definitions[{i}]", f"{_short(item)} is not a [name, expression] pair",
                            'write definitions = [["H", "sigmoid(X*W_h)"], ...]')
        pairs.append((item[0], item[1]))
    _check_expanded_sizes(ask, pairs, values["function"])
    result = Ask(kind=name, function=values["function"], wrt=values["wrt"],
                 order=1 if values["order"] is None else values["order"], definitions=tuple(pairs),
                 solve=values["solve"], model=values["model"], quantity=values["quantity"],
                 decimals=values["decimals"], conventions=values["conventions"] or {})
    return result, kind


def _share(grading: _Reader, key: str, default: float) -> float:
    value = grading.get(key, float, default=default)
    if not 0.0 <= value <= 1.0:
        raise grading.error(key, f"{key} = {value} is not a share", "use a number from 0 to 1")
    return value


def _read_grading(reader: _Reader, kind) -> Grading:
    grading = reader.sub("grading", required=True)
    grading.check_keys({"rule", "tolerance", "points", "min_significant_figures",
                        "carried_forward_credit", "convention_credit"})
    rule = grading.get("rule", str, required=True)
    if rule not in GRADING_RULES:
        raise grading.error("rule", f"{_short(rule)} is not a grading rule",
                            f"use one of {', '.join(GRADING_RULES)}")
    if rule not in kind.rules:
        raise grading.error("rule", f"rule {rule!r} does not suit a question of kind {kind.name!r}",
                            f"use rule = {' or '.join(repr(r) for r in kind.rules)} for a {kind.name} question")
    tolerance = grading.get("tolerance", str, default="symbolic" if rule == "symbolic" else "numeric_full")
    if tolerance not in TOLERANCES:
        raise grading.error("tolerance", f"{_short(tolerance)} is not a known tolerance",
                            f"use one of {', '.join(sorted(TOLERANCES))} (symcheck/tolerances.py)")
    points = grading.get("points", float, required=True)
    if points < 0:
        raise grading.error("points", f"points = {points} is negative", "use 0 or more points")
    figures = grading.get("min_significant_figures", int, default=4)
    if not 1 <= figures <= 17:
        raise grading.error("min_significant_figures", f"min_significant_figures = {_short(figures)} "
                            "is out of range", "use an integer from 1 to 17")
    return Grading(rule=rule, tolerance=tolerance, points=points, min_significant_figures=figures,
                   carried_forward_credit=_share(grading, "carried_forward_credit", 1.0),
                   convention_credit=_share(grading, "convention_credit", 0.0))


def _read_part(source: str, raw: Mapping[str, Any], index: int, section: str,
               defaults: Mapping[str, Any]) -> Part:
    merged = {**defaults, **raw}
    if "symbols" in defaults and "symbols" in raw:
        merged["symbols"] = {**defaults["symbols"], **raw["symbols"]}
    merged.pop("aliases", None)
    if "aliases" in raw:
        merged["aliases"] = raw["aliases"]
    reader = _Reader(source, merged, f"parts[{index}]")
    part_id = reader.get("id", str, required=True)
    reader.path = f"parts[{index}] (id {_short(part_id)})"
    reader.check_keys({"id", "title", "statement", "symbols", "assumptions", "ask", "grading",
                       "key", "as_written", "context", "aliases"})
    if not _ID.fullmatch(part_id):
        raise reader.error("id", f"{_short(part_id)} is not a part id",
                           "ids are dotted, starting with the section number, e.g. 1.5.first")
    if not re.match(rf"{re.escape(section)}[a-z]?\.", part_id):
        raise reader.error("id", f"{part_id!r} does not belong to section {section}",
                           f"start the id with {section}.")
    assumptions = reader.get("assumptions", list, default=[])
    symbols = _read_symbols(reader)
    _read_assumptions(reader, assumptions, symbols)
    ask, kind = _read_ask(reader)
    if ask.wrt is not None and ask.wrt not in symbols and ask.wrt not in dict(ask.definitions):
        raise reader.error("ask.wrt", f"{_short(ask.wrt)} is not a symbol of this part",
                           f"use one of {', '.join(symbols) or '(none: declare symbols)'}")
    part = Part(id=part_id, section=section, title=reader.get("title", str, required=True),
                statement=reader.get("statement", str, required=True), ask=ask,
                grading=_read_grading(reader, kind), key=_read_key(reader),
                symbols=symbols, assumptions=tuple(assumptions),
                as_written=reader.get("as_written", dict, default={}),
                context=reader.get("context", dict, default={}), source=source,
                aliases=_read_aliases(reader, symbols, ask, defaults.get("aliases") or {}))
    kind.check(part, reader.error)
    return part


def load_file(path: Path | str, *, source: str | None = None) -> Section:
    """Load and validate one catalogue file; raise CatalogueError naming file and key."""
    path = Path(path)
    source = source or path.name
    text = read_text_file(path, limit_name="catalogue_file_bytes", error=CatalogueError,
                          where=source, fix="a catalogue file must be a regular TOML file")
    return _load_text(text, source)


# What matters for nesting, outside strings and comments: a bracket or brace opens or closes
# a level, a dot joins the parts of a dotted key, and '=', ',' or a newline ends a key.
_TOML_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)' r"|'''.*?(?:'''|\Z)"
    r'|"(?:[^"\\\n]|\\.)*"?' r"|'[^'\n]*'?"  # an unclosed string ends the scan of it
    r"|#[^\n]*|[\[\]{}.=,\n]", re.S)


def _check_toml_nesting(text: str, source: str) -> None:
    """Refuse nesting deeper than catalogue_toml_depth before tomllib sees the text.

    tomllib recurses once per nested array or inline table (a RecursionError near 1,000) and
    is quadratic in the parts of a dotted key or table header ([a.a.a...] with 100,000 parts
    takes seconds), so both are counted here, in one linear pass.
    """
    cap = LIMITS["catalogue_toml_depth"]
    depth = parts = 0
    for match in _TOML_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth, parts = depth + 1, 0
        elif token in ("]", "}"):
            depth, parts = max(depth - 1, 0), 0
        elif token == ".":
            parts += 1
        elif token in ("=", ",", "\n"):
            parts = 0
        else:
            continue
        if depth > cap.value or parts >= cap.value:
            what = (f"brackets nest more than {cap.value} deep" if depth > cap.value else
                    f"a dotted key or table header has more than {cap.value} parts")
            line = text.count("\n", 0, match.start()) + 1
            raise CatalogueError(f"{what} (the limit {cap.name})", where=f"{source}, line {line}",
                                 fix="flatten the structure (see problems/README.md)")


def _decode_toml(text: str, source: str) -> dict:
    _check_toml_nesting(text, source)
    try:
        data = tomllib.loads(text)
        parts, cap = data.get("parts"), LIMITS["catalogue_parts"]
        if isinstance(parts, list) and len(parts) > cap.value:
            raise CatalogueError(f"the file has {len(parts)} parts, more than the limit "
                                 f"{cap.name} = {cap.value}", where=source,
                                 fix="split the section into several files")
        return data
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"this is not valid TOML ({exc})", where=source,
                             fix="check quotes, brackets and '=' signs; LaTeX is safest in '''literal''' strings") from None
    except RecursionError:
        raise CatalogueError("the file nests too deeply to read", where=source,
                             fix="flatten the structure (see problems/README.md)") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise CatalogueError(f"a number is too long to read ({str(exc).split(':')[0]})", where=source,
                             fix="write numbers with at most 15 digits") from None


def _load_text(text: str, source: str) -> Section:
    data = _decode_toml(text, source)
    top = _Reader(source, data, "")
    top.check_keys({"section", "defaults", "parts"})
    head = top.sub("section", required=True)
    head.check_keys({"number", "title", "points", "note"})
    number = head.get("number", str, required=True)
    if not re.fullmatch(r"[0-9]+", number):
        raise head.error("number", f"{_short(number)} is not a section number",
                         'write the number as text, e.g. number = "3"')
    defaults_reader = top.sub("defaults")
    defaults_reader.check_keys({"symbols", "assumptions", "ask", "grading", "key", "context",
                                "statement", "title", "aliases"})
    defaults = defaults_reader.table
    if "symbols" in defaults:
        _read_symbols(defaults_reader)  # validates the shared symbols once, naming [defaults]
    raw_parts = top.get("parts", list, required=True)
    if not raw_parts:
        raise top.error("parts", "is empty", "add at least one [[parts]] table")
    inherited = _check_alias_table(defaults_reader)
    parts = tuple(_read_part(source, raw if isinstance(raw, dict) else {"id": raw}, i, number, defaults)
                  for i, raw in enumerate(raw_parts))
    for alias, target in inherited.items():
        if not any(target in p.symbols or target in dict(p.ask.definitions) for p in parts):
            raise defaults_reader.error(f"aliases.{alias}", f"{_short(target)} is not a symbol or "
                                        "definition of any part of this file", "alias a name the parts use")
    points = head.get("points", float, required=True)
    if points < 0:
        raise head.error("points", f"points = {points} is negative", "use 0 or more points")
    return Section(number=number, title=head.get("title", str, required=True),
                   points=points, source=source, parts=parts)


@dataclass(frozen=True)
class Catalogue:
    """All sections of the homework, with parts looked up by id."""

    sections: tuple[Section, ...]

    @property
    def parts(self) -> tuple[Part, ...]:
        """Every part, in catalogue order."""
        return tuple(p for s in self.sections for p in s.parts)

    def part(self, part_id: str) -> Part:
        """Return the part called ``part_id``; raise UsageError listing the ids it may mean.

        >>> load_catalogue().part("1.5")
        Traceback (most recent call last):
        ...
        symcheck.errors.UsageError: PART: '1.5' is not a part id, but it starts 2 parts: 1.5.first, 1.5.second; give one of them
        """
        for p in self.parts:
            if p.id == part_id:
                return p
        ids = [p.id for p in self.parts]
        starting = [i for i in ids if i.startswith(part_id + ".")]
        if starting:
            shown = ", ".join(starting[:12]) + (", ..." if len(starting) > 12 else "")
            raise UsageError(f"{part_id!r} is not a part id, but it starts {len(starting)} parts: "
                             f"{shown}", where="PART", fix="give one of them")
        import difflib

        close = difflib.get_close_matches(part_id, ids, n=3)
        raise UsageError(f"there is no part {part_id!r}", where="PART",
                         fix=(f"did you mean {' or '.join(close)}? " if close else "")
                         + "run 'symcheck list' to see every id")

    def problem(self, part_id: str):
        """Return the parsed :class:`Problem` of the part called ``part_id`` (the same one each time)."""
        return self.part(part_id).problem

    def select(self, patterns: Iterable[str] = ()) -> tuple[Part, ...]:
        """Return the parts whose id equals a pattern or starts with ``pattern.``; all if none."""
        patterns = list(patterns)
        if not patterns:
            return self.parts
        chosen = []
        for pattern in patterns:
            hits = [p for p in self.parts if p.id == pattern or p.id.startswith(pattern + ".")]
            if not hits:
                self.part(pattern)  # raises with suggestions
            chosen += [p for p in hits if p not in chosen]
        return tuple(chosen)


def default_catalogue_dir() -> Path:
    """Return the folder of the shipped catalogue.

    An installed symcheck carries it inside the package as ``symcheck/problems``; in a source
    checkout it is the top-level ``problems/`` folder beside ``symcheck/``.
    """
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "problems", package.parent / "problems"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    raise CatalogueError("the problem catalogue is not installed", where=str(package / "problems"),
                         fix="reinstall symcheck with 'pip install .' from the project folder")


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Load every ``*.toml`` file of the catalogue folder (default: the shipped one).

    >>> cat = load_catalogue()
    >>> cat.part("1.5.first").ask.wrt
    'X'
    """
    folder = Path(directory) if directory is not None else default_catalogue_dir()
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CatalogueError("no *.toml files found", where=str(folder),
                             fix="point at a folder of catalogue files (see problems/README.md)")
    sections = tuple(load_file(f) for f in files)
    seen: dict[str, str] = {}
    for section in sections:
        for part in section.parts:
            if part.id in seen:
                raise CatalogueError(f"part id {part.id!r} is used twice",
                                     where=f"{section.source} and {seen[part.id]}",
                                     fix="give every part a unique id")
            seen[part.id] = section.source
    return Catalogue(sections)
