"""`lawbot` command line: one small function per subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.settings import get_settings
from knowledge import commands
from knowledge.corpus import load_corpus
from knowledge.quiz import commands as quiz_commands
from knowledge.quiz.bank import BankError
from scheduler.quiz_pool import all_questions

Handler = Callable[[argparse.Namespace], int]


def _run(args: argparse.Namespace) -> int:
    # PTB, the handlers and the job queue load only for the bot itself: `lawbot search` starts without them
    from bot.app import run_bot

    return run_bot() or 0


def _console(args: argparse.Namespace) -> int:
    from bot.console import run_console  # lazy for the same reason as _run

    return run_console() or 0


def _db(args: argparse.Namespace) -> int:
    """`lawbot db upgrade` / `lawbot db revision`: the operator's schema commands (the bot also upgrades on start)."""
    import asyncio

    from bot.settings import Settings
    from bot.storage import Database

    async def go() -> str | None:
        db = Database(Settings().database_url)
        try:
            return await (db.migrate() if args.db_command == "upgrade" else db.revision())
        finally:
            await db.dispose()

    revision = asyncio.run(go())
    print(f"数据库结构已升级到 {revision}" if args.db_command == "upgrade" else f"数据库结构版本：{revision or '空库'}")
    return 0


def _with_knowledge(command: Handler) -> Handler:
    """Knowledge commands get the data dir and corpus folders from the settings (they read none themselves)."""

    def run(args: argparse.Namespace) -> int:
        settings = get_settings()
        args.data_dir, args.corpus_dirs = settings.data_dir, settings.corpus_dir_list
        args.semantic = settings.semantic
        return command(args)

    return run


def _map(args: argparse.Namespace) -> int:
    return commands.map_main(args.rest)


def _check(args: argparse.Namespace) -> int:
    return commands.check_main(args.rest)


def _quiz(args: argparse.Namespace) -> int:
    """The bank, the generated questions and those from the deadline rules, as the bot serves them."""
    corpus = load_corpus(get_settings().data_dir, get_settings().corpus_dir_list)
    try:
        questions = all_questions(corpus)
    except BankError as err:
        print(err)
        return 1
    return quiz_commands.report(questions, corpus)


def _report(args: argparse.Namespace) -> int:
    """`lawbot report 2026-10 [--unit NAME] --xlsx FILE`: the monthly report from the database, as a bureau
    admin sees it (every unit, or the named unit's tree)."""
    from bot.stats_cli import report_main  # the database and the report stack load only for this command

    return report_main(args, get_settings())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lawbot", description="执法助手：生态环境执法知识库与 Telegram 机器人")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="运行 Telegram 机器人（需要 LAWBOT_TOKEN）").set_defaults(func=_run)
    sub.add_parser("console", help="离线控制台对话（每行一条消息）").set_defaults(func=_console)

    p = sub.add_parser("search", help="检索条文")
    p.add_argument("query", nargs="?", help="问题或引用")
    p.add_argument("--batch", metavar="FILE", help="JSONL 文件，每行含 id 与 q；结果以 JSONL 写到标准输出")
    p.add_argument("-k", "--limit", type=int, default=10)
    p.set_defaults(func=_with_knowledge(commands.search_command))

    p = sub.add_parser("ask", help="提问并显示前几条结果")
    p.add_argument("question")
    p.add_argument("-k", "--limit", type=int, default=3)
    p.set_defaults(func=_with_knowledge(commands.ask_command))

    sub.add_parser("index", help="（重新）建立检索索引").set_defaults(func=_with_knowledge(commands.index_command))

    p = sub.add_parser("import", help="导入 LawRefBook 格式的 markdown 文件夹")
    p.add_argument("folder")
    p.set_defaults(func=_with_knowledge(commands.import_command))

    p = sub.add_parser("eval", help="在评测集上计算 Hit@1/Hit@5/MRR@10 与延迟")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=_with_knowledge(commands.eval_command))

    p = sub.add_parser("map", help="原法律条文 → 生态环境法典条文（lawbot map 大气法99条；--batch FILE）", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_map)

    p = sub.add_parser("check", help="处罚决定书核验（lawbot check FILE）", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_check)

    p = sub.add_parser("report", help="月度执法统计报告：lawbot report 2026-10 [--unit 单位] --xlsx 文件")
    p.add_argument("period", help="2026-10 或 2026-01..2026-10")
    p.add_argument("--unit", help="只统计该单位及其下级单位")
    p.add_argument("--xlsx", metavar="FILE", nargs="?", const="", help="写出 Excel 文件（不给文件名时用“2026年10月执法统计.xlsx”）")
    p.add_argument("--png", metavar="FILE", nargs="?", const="", help="写出图表 PNG（不给文件名时同上，.png）")
    p.set_defaults(func=_report)

    db = sub.add_parser("db", help="数据库结构：lawbot db upgrade（升级到最新）/ lawbot db revision（当前版本）")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="升级数据库结构到本程序的最新版本").set_defaults(func=_db)
    db_sub.add_parser("revision", help="显示数据库结构版本").set_defaults(func=_db)

    quiz = sub.add_parser("quiz", help="每日练习题库").add_subparsers(dest="quiz_command", required=True)
    quiz.add_parser("check", help="逐题核对题库与条文（有问题时退出码为 1 并列出）").set_defaults(func=_quiz)
    return parser


_PASS_THROUGH = {"map": _map, "check": _check}  # these parse their own options


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in _PASS_THROUGH:
        func, args = _PASS_THROUGH[argv[0]], argparse.Namespace(rest=argv[1:])
    else:
        args = build_parser().parse_args(argv)
        func = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        if type(err).__name__ == "SchemaTooNew":  # a sentence for the operator, not a traceback (the class is
            print(err, file=sys.stderr)           # not imported here: `lawbot search` starts without the database)
            return 3
        raise
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
