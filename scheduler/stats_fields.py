"""The monthly statistics' field set (scheduler/data/stats_fields.yaml) and the reading of what officers type.

    fields = load_fields()
    fields.parse_value(fields.get("fines"), "1.2万元")      # → Decimal("1.2")   (the field is in 万元)
    fields.parse_block("批次 12\n罚款金额：3.5万\n人次：２４")  # → {batches: 12, fines: 3.5, persons: 24}, problems
    fields.check({...})                                      # → warnings of the cross-field rules

Numbers: 全角 digits, 千位分隔 (1,234), Chinese numerals and units (十二, 一万二千, 叁佰, 五十点五: the maintained
`cn2an`); for a 万元 field 1.2万元 / 1.2万 / 1.2 are 1.2, 12000元 is 1.2. Errors say what is wrong in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path

import cn2an
import yaml

from scheduler.texts import stats as T

MONEY_PLACES = Decimal("0.0001")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－：　", "0123456789.,-: ")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_LINE = re.compile(r"^\s*([^\s:：0-9０-９零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟-]+)\s*[:：]?\s*(\S.*?)\s*$")


class ValueProblem(ValueError):
    """What is wrong with a typed value, for the officer."""


def _within_max(field: Field, value: Decimal | int) -> None:
    if value > field.max:
        raise ValueProblem(T.TOO_LARGE.format(name=field.name, value=field.format(value), max=field.max))


@dataclass(frozen=True)
class Field:
    id: str
    name: str
    short: tuple[str, ...]
    unit: str
    kind: str  # count | money
    max: int

    def format(self, value: Decimal | int | None) -> str:
        if value is None:
            return T.NOT_FILLED
        if self.kind == "money":
            return f"{Decimal(value).normalize():f}{self.unit}"
        return f"{int(value)}{self.unit}"


@dataclass(frozen=True)
class Rule:
    left: str
    op: str
    right: tuple[str, ...]
    level: str  # warn | error
    text: str


class FieldSet:
    def __init__(self, fields: list[Field], rules: list[Rule], four_kinds: tuple[str, ...], paragraph: str = ""):
        self.fields = fields
        self.paragraph = paragraph
        self.rules = rules
        self.four_kinds = four_kinds
        self._by_id = {f.id: f for f in fields}
        names: dict[str, str] = {}
        for f in fields:
            for name in (f.name, *f.short):
                if names.setdefault(name, f.id) != f.id:
                    raise ValueError(f"stats_fields: “{name}” names two fields")
        self._names = names

    def get(self, field_id: str) -> Field:
        return self._by_id[field_id]

    def ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def find(self, name: str) -> Field | None:
        """A field by its full or short name (spaces and a trailing 数/数量 forgiven)."""
        name = name.strip().translate(_FULLWIDTH).replace(" ", "")
        for candidate in (name, name.removesuffix("数"), name.removesuffix("数量"), name.removesuffix("金额")):
            if candidate in self._names:
                return self._by_id[self._names[candidate]]
        return None

    # --- values ------------------------------------------------------------------------------------
    def parse_value(self, field: Field, raw: str) -> Decimal | int:
        text = _THOUSANDS.sub("", (raw or "").strip().translate(_FULLWIDTH)).replace(" ", "")
        if not text:
            raise ValueProblem(T.EMPTY)
        if text.startswith("-") or text.startswith("负"):
            raise ValueProblem(T.NEGATIVE.format(name=field.name))
        if field.kind == "money":
            value = self._money(text, field)
        else:
            value = self._count(text, field)
        _within_max(field, value)
        return value

    @staticmethod
    def _number(text: str, field: Field) -> Decimal:
        try:
            value = cn2an.cn2an(text, "smart")
        except (ValueError, KeyError, TypeError):
            raise ValueProblem(T.NOT_A_NUMBER.format(text=text, name=field.name, unit=field.unit)) from None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueProblem(T.NOT_A_NUMBER.format(text=text, name=field.name, unit=field.unit)) from None

    def _money(self, text: str, field: Field) -> Decimal:
        """万元: 3.5 / 3.5万 / 3.5万元 → 3.5; 35000元 / 叁万伍仟元 → 3.5."""
        if text.endswith("万元") or (text.endswith("万") and not text.endswith("元")):
            value = self._number(text.removesuffix("元").removesuffix("万") or "0", field)
        elif text.endswith("元"):
            value = self._number(text.removesuffix("元"), field) / 10000
        else:
            value = self._number(text, field)
        _within_max(field, value)  # before rounding: a number of 24 digits has no room for the places
        rounded = value.quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)
        if rounded != value:
            raise ValueProblem(T.TOO_PRECISE.format(name=field.name, value=text))
        return rounded.normalize()

    def _count(self, text: str, field: Field) -> int:
        text = text.removesuffix(field.unit).removesuffix("个").removesuffix("件").removesuffix("次")
        value = self._number(text, field)
        if value != value.to_integral():
            raise ValueProblem(T.NOT_WHOLE.format(name=field.name, value=text, unit=field.unit))
        return int(value)

    def parse_block(self, text: str) -> tuple[dict[str, Decimal | int], list[str]]:
        """Every `名称 数值` line of a pasted block; problems name the line. Also `批次12，人次24` on one line."""
        values: dict[str, Decimal | int] = {}
        problems: list[str] = []
        for line in self._lines(text):
            m = _LINE.match(line)
            field = self.find(m.group(1)) if m else None
            if m is None or field is None:
                problems.append(T.UNKNOWN_LINE.format(line=line))
                continue
            try:
                values[field.id] = self.parse_value(field, m.group(2))
            except ValueProblem as problem:
                problems.append(T.BAD_LINE.format(line=line, problem=problem))
        return values, problems

    @staticmethod
    def _lines(text: str) -> list[str]:
        pieces = re.split(r"[\n；;]|(?<=[\d万元件次篇])[，,、]\s*(?=\D)", text.translate(_FULLWIDTH))
        return [p.strip() for p in pieces if p.strip()]

    def looks_like_block(self, text: str) -> bool:
        """Several `名称 数值` lines (or pairs on one line), most of them known fields: a pasted form."""
        lines = self._lines(text)
        known = [ln for ln in lines if (m := _LINE.match(ln)) and self.find(m.group(1))]
        return len(known) >= 2 or (len(lines) == 1 and len(known) == 1 and bool(_LINE.match(lines[0])))

    # --- cross-field rules -------------------------------------------------------------------------------
    def check(self, values: dict[str, Decimal | int]) -> list[tuple[str, str]]:
        """(level, sentence) for every rule the values break (fields not filled are not judged)."""
        out = []
        for rule in self.rules:
            if rule.left not in values or any(r not in values for r in rule.right):
                continue
            left, right = values[rule.left], sum(values[r] for r in rule.right)
            broken = left < right if rule.op == ">=" else left > right
            if broken:
                out.append((rule.level, rule.text))
        return out


def _field(raw: dict) -> Field:
    if raw.get("kind") not in ("count", "money"):
        raise ValueError(f"stats_fields.{raw.get('id')}: kind 应为 count 或 money")
    return Field(id=str(raw["id"]), name=str(raw["name"]), short=tuple(str(s) for s in raw.get("short") or ()),
                 unit=str(raw["unit"]), kind=raw["kind"], max=int(raw["max"]))


@lru_cache(maxsize=4)
def load_fields(path: Path | None = None) -> FieldSet:
    path = path or Path(str(resources.files("scheduler") / "data" / "stats_fields.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = [_field(raw) for raw in data["fields"]]
    rules = [Rule(r["left"], r["op"], tuple(r["right"]), r.get("level", "warn"), r["text"]) for r in data.get("rules") or []]
    ids = {f.id for f in fields}
    for r in rules:
        if r.left not in ids or not set(r.right) <= ids or r.op not in ("<=", ">="):
            raise ValueError(f"stats_fields rule on unknown fields or op: {r}")
    four = tuple(data.get("four_kinds") or ())
    if not set(four) <= ids:
        raise ValueError("stats_fields.four_kinds names unknown fields")
    paragraph = "".join(str(data.get("paragraph") or "").split())
    try:
        paragraph.format(**{f.id: 0 for f in fields})
    except (KeyError, IndexError) as err:
        raise ValueError(f"stats_fields.paragraph names an unknown field: {err}") from err
    return FieldSet(fields, rules, four, paragraph)
