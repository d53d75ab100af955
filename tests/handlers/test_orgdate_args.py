"""/orgdate arguments as unit admins type them."""

from __future__ import annotations

from handlers.orgdates import parse_change


def test_command_parsing() -> None:
    assert parse_change(["1", "5"]) == parse_change(["1", "5日"])
    assert (parse_change(["1", "5"]).op, parse_change(["1", "5"]).day) == ("day", 5)
    yearly = parse_change(["3", "11-20", "蓬江大队"])
    assert (yearly.month, yearly.day, yearly.unit_name) == (11, 20, "蓬江大队")
    assert parse_change(["3", "11月20日"]).month == 11
    assert [parse_change(["2", w]).op for w in ("关闭", "开启", "默认")] == ["off", "on", "def"]
    for bad in ([], ["1"], ["一", "5"], ["1", "五号"], ["1", "下周"]):
        assert parse_change(bad) is None, bad
