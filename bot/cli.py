"""`lawbot` command line: one small function per subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


def _run(args: argparse.Namespace) -> int:
    from bot.app import run_bot

    return run_bot() or 0


def _console(args: argparse.Namespace) -> int:
    from bot.console import run_console

    return run_console() or 0


def _search(args: argparse.Namespace) -> int:
    from knowledge.commands import search_command

    return search_command(args)


def _ask(args: argparse.Namespace) -> int:
    from knowledge.commands import ask_command

    return ask_command(args)


def _index(args: argparse.Namespace) -> int:
    from knowledge.commands import index_command

    return index_command(args)


def _import(args: argparse.Namespace) -> int:
    from knowledge.commands import import_command

    return import_command(args)


def _eval(args: argparse.Namespace) -> int:
    from knowledge.commands import eval_command

    return eval_command(args)


def _map(args: argparse.Namespace) -> int:
    from knowledge.cli_mapping import map_main

    return map_main(args.rest)


def _check(args: argparse.Namespace) -> int:
    from knowledge.cli_mapping import check_main

    return check_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lawbot", description="执法助手：生态环境执法知识库与 Telegram 机器人")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="运行 Telegram 机器人（需要 LAWBOT_TOKEN）").set_defaults(func=_run)
    sub.add_parser("console", help="离线控制台对话（每行一条消息）").set_defaults(func=_console)

    p = sub.add_parser("search", help="检索条文")
    p.add_argument("query", nargs="?", help="问题或引用")
    p.add_argument("--batch", metavar="FILE", help="JSONL 文件，每行含 id 与 q；结果以 JSONL 写到标准输出")
    p.add_argument("-k", "--limit", type=int, default=10)
    p.set_defaults(func=_search)

    p = sub.add_parser("ask", help="提问并显示前几条结果")
    p.add_argument("question")
    p.add_argument("-k", "--limit", type=int, default=3)
    p.set_defaults(func=_ask)

    sub.add_parser("index", help="（重新）建立检索索引").set_defaults(func=_index)

    p = sub.add_parser("import", help="导入 LawRefBook 格式的 markdown 文件夹")
    p.add_argument("folder")
    p.set_defaults(func=_import)

    p = sub.add_parser("eval", help="在评测集上计算 Hit@1/Hit@5/MRR@10 与延迟")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=_eval)

    p = sub.add_parser("map", help="原法律条文 → 生态环境法典条文（lawbot map 大气法99条；--batch FILE）", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_map)

    p = sub.add_parser("check", help="处罚决定书核验（lawbot check FILE）", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_check)
    return parser


_PASS_THROUGH = {"map": _map, "check": _check}  # these parse their own options


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in _PASS_THROUGH:
        return _PASS_THROUGH[argv[0]](argparse.Namespace(rest=argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
