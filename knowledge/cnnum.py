"""Chinese numerals ⇄ integers, as used in article numbers (第一千一百零七条)."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def to_halfwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)


def cn_to_int(text: str) -> int | None:
    """Parse 一千二百零一 / 十二 / 一〇七 / 1107 (also full-width). None when it is not a number."""
    text = to_halfwidth_digits(text.strip())
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):  # digit-by-digit form: 一〇七
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + current) * unit
                section = 0
            else:
                section += (current or 1) * unit
            current = 0
    return total + section + current


def int_to_cn(number: int) -> str:
    """1107 → 一千一百零七, 10 → 十, 15 → 十五, 110 → 一百一十 (the style of Chinese statutes)."""
    if number < 0:
        raise ValueError("negative")
    if number < 10:
        return "零一二三四五六七八九"[number]
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    started = False
    zero_pending = False
    for value, unit in units:
        d = (number // value) % 10
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if value == 10 and d == 1 and not started:
            parts.append("十")
        else:
            parts.append(digits[d] + unit)
        started = True
    return "".join(parts)
