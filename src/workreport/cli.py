"""Command line: argument parsing only.  Every WorkreportError becomes a Chinese message and exit 2.

The output layer is here too: text that the console's encoding cannot hold (a GBK console on
Windows, output redirected to a file there) is printed with stand-ins instead of failing, a
reader that stops early (``| head``) ends the run quietly, and a Windows path typed with
backslashes is accepted on any system.
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import sys
from pathlib import Path

from .errors import WorkreportError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


# Characters of our messages that GBK lacks, and what a GBK console shows instead.
_STAND_INS = {"\u2013": "-", "\u2212": "-", "\u2014": "—", "\u2022": "·", "\u2713": "√", "\u2717": "×", "\u00a0": " "}


def _stand_in(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: a look-alike for a character the console cannot encode, else ?."""
    out = ""
    for char in error.object[error.start:error.end]:
        look_alike = _STAND_INS.get(char, "?")
        try:
            look_alike.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            look_alike = "?"
        out += look_alike
    return out, error.end


codecs.register_error("workreport-stand-in", _stand_in)


def setup_streams() -> None:
    """Let stdout and stderr print every message whatever their encoding (GBK consoles, redirected output)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.errors or "strict") == "strict":
            try:
                stream.reconfigure(errors="workreport-stand-in")
            except (ValueError, OSError):  # a stream that cannot be reconfigured keeps its own ways
                pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``workreport`` console script."""
    from .fsutil import handle_termination

    setup_streams()
    parser = _parser()
    args = parser.parse_args(argv)
    handle_termination()
    try:
        code = args.run(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (| head): nothing more can be shown; drop what is still buffered.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except WorkreportError as exc:
        sys.stdout.flush()  # what was printed comes before the error that stopped the run
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断；原有报告未改动。", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # the last resort: a bug must still not show staff a traceback
        if os.environ.get("WORKREPORT_DEBUG"):
            raise
        print(f"内部错误：程序出了问题（{type(exc).__name__}: {str(exc)[:200]}），原有报告未改动。"
              "这不是您的操作造成的；请把所用的命令、事实文件和这条信息发给维护人员"
              "（设置环境变量 WORKREPORT_DEBUG=1 后重新运行可看到详细信息）。", file=sys.stderr)
        return EXIT_INPUT


def run() -> None:
    """The ``workreport`` console script: ``main``, its output flushed, then the process ends at once.

    When ``main`` returns nothing is left to do (reports are written atomically and the batch's
    pool is shut down), but the interpreter would still free every module and object one by one,
    which took longer than a check's own work; so the exit skips that teardown.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (| head) or a closed stream: nothing more can be shown
            pass
    os._exit(code)


def cli_path(text: str) -> str:
    """A path as typed: on a system whose separator is /, a Windows path (facts\\2017.yaml)
    that does not exist as written is read with / instead, so staff can paste either form."""
    if os.sep == "/" and "\\" in text and not Path(text).exists():
        return text.replace("\\", "/")
    return text


class _ChineseHelp(argparse.HelpFormatter):
    """argparse's help with 用法： for usage:."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's own signature
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _ChineseParser(argparse.ArgumentParser):
    """argparse in Chinese: usage, headings, -h and the usage errors (exit code 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _ChineseHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本说明后退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"命令行参数有误：{chinese_usage_error(message)}（运行 workreport --help 查看用法）", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


# argparse's usage errors (its English wording, as Python 3.11 has it) and how staff read them.
_USAGE_ERRORS = (
    (r"the following arguments are required: (?P<names>.+)", "缺少参数：{names}"),
    (r"unrecognized arguments: (?P<names>.+)", "不认识的参数：{names}（参数是否拼错，或文件名中有空格而没有加引号？）"),
    (r"argument 命令: invalid choice: '?(?P<value>[^']*)'? \(choose from (?P<choices>.+)\)", "没有“{value}”这个命令；可用的命令：{choices}"),
    (r"argument (?P<name>\S+): invalid choice: '?(?P<value>[^']*)'? \(choose from (?P<choices>.+)\)", "{name} 不能写“{value}”，可写：{choices}"),
    (r"argument (?P<name>\S+): invalid int value: '?(?P<value>[^']*)'?", "{name} 应为整数，实为“{value}”"),
    (r"argument (?P<name>\S+): expected one argument", "{name} 后面要写一个值"),
    (r"argument (?P<name>\S+): expected at least one argument", "{name} 后面至少要写一个值"),
    (r"argument (?P<name>\S+): ignored explicit argument '?(?P<value>[^']*)'?", "{name} 后面不写值，实为“{value}”"),
    (r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)", "{name} 不能与 {other} 同用"),
    (r"ambiguous option: (?P<name>\S+) could match (?P<choices>.+)", "{name} 不完整，可能是：{choices}"),
    (r"argument (?P<name>\S+): (?P<rest>.+)", "{name}：{rest}"),  # our own type checks' messages, already Chinese
)


def chinese_usage_error(message: str) -> str:
    """argparse's English usage error in Chinese (a wording it does not know is shown as it is)."""
    for pattern, wording in _USAGE_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            parts = {k: v.replace("'", "").replace(", ", "、") if k in ("choices", "names") else v for k, v in match.groupdict().items()}
            return wording.format(**parts)
    return message


def _parser() -> argparse.ArgumentParser:
    parser = _ChineseParser(prog="workreport", description="从事实文件生成年度工作总结（公文格式 .docx），并检查数字前后矛盾。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_ChineseParser, metavar="命令")
    build = sub.add_parser("build", help="生成工作总结 .docx", description="读取事实文件，推算数字，生成 output/<单位><年度>年工作总结.docx。")
    build.add_argument("facts", nargs="+", type=cli_path, help="事实文件，如 facts/2016.yaml；写几个文件或一个文件夹则一次生成多份")
    build.add_argument("-j", "--jobs", type=_jobs, default=None, help="同时生成几份（默认按本机 CPU 个数，最多也是 CPU 个数）")
    build.add_argument("-o", "--output", default="output", type=cli_path, help="输出文件夹（默认 output）")
    build.add_argument("--force", action="store_true", help="检查发现错误时仍然生成（不建议；会醒目提示）")
    build.add_argument("--report", type=cli_path, help="改写过的草稿（.docx）：不重新生成，只把其中的数字和【待填】换成事实文件中的，"
                                                       "文字不动，另存为 <输出文件夹>/<草稿名>-已更新.docx")
    build.set_defaults(run=_build)
    rollup = sub.add_parser("rollup", help="由各乡镇事实汇总全县数字",
                            description="把乡镇事实文件夹中各乡镇可相加的数字（schema.json 中标有 x-additive）相加，写入县事实文件；"
                                        "已有的文件只改这些数字，注释和顺序保留。")
    rollup.add_argument("folder", type=cli_path, help="乡镇事实文件夹，如 facts/2016/乡镇")
    rollup.add_argument("-o", "--output", required=True, type=cli_path, help="县事实文件，如 facts/2016.yaml（不存在则新建）")
    rollup.set_defaults(run=_rollup)
    _add_check_commands(sub)
    _add_new_year(sub)
    _add_document_commands(sub)
    _add_sheet(sub)
    _add_serve(sub)
    return parser


def _jobs(text: str) -> int:
    """The -j value: a whole number of at least 1 (more than the CPUs is capped by the batch)."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"-j 应为 1 或更大的整数（同时生成几份），实为“{text}”；不写 -j 则按本机 CPU 个数")
    return jobs


def _build(args: argparse.Namespace) -> int:
    """One facts file: check, then build (errors stop it unless --force); several or a folder: a batch."""
    from .checks.output import as_text
    from .pipeline import ChecksFailed, build

    if args.report:
        return _refresh(args)
    if len(args.facts) > 1 or Path(args.facts[0]).is_dir():
        return _build_batch(args)
    try:
        built = build(args.facts[0], args.output, force=args.force)
    except ChecksFailed as failed:
        print(as_text(failed.checked.findings, failed.checked.silenced, []) + "：检查发现错误，未生成报告。"
              "请改正上面的错误后再生成；确需先生成时加 --force。", file=sys.stderr)
        return EXIT_FINDINGS
    if built.checked.findings:
        print(as_text(built.checked.findings, built.checked.silenced, []), file=sys.stderr)
    if built.checked.errors:
        print("！！！警告：检查发现错误，按 --force 仍然生成报告。报告中的数字相互矛盾，不得直接印发！！！", file=sys.stderr)
    for note in built.assembly_notes:
        print(f"提示：{note}", file=sys.stderr)
    print(f"已生成：{built.output}")
    return EXIT_OK


def _refresh(args: argparse.Namespace) -> int:
    """build FACTS --report DRAFT.docx: the draft's figures brought up to the facts, its words untouched."""
    from .draft import refresh

    if len(args.facts) != 1 or Path(args.facts[0]).is_dir():
        print("命令行参数有误：--report 要与一个事实文件同用，如 workreport build facts/2017.yaml --report 草稿.docx", file=sys.stderr)
        return EXIT_INPUT
    report = Path(args.report)
    done = refresh(args.facts[0], report, Path(args.output) / f"{report.stem}-已更新{report.suffix}")
    print(done.summary())
    return EXIT_OK


def _build_batch(args: argparse.Namespace) -> int:
    """Several facts files or a folder: every report in a process pool; exit 1 if any failed."""
    from functools import partial

    from .batch import build_many
    from .inputs import facts_files
    from .pipeline import build

    build_one = partial(build, out_dir=args.output, force=args.force)
    outcomes = build_many(facts_files(args.facts), build_one, jobs=args.jobs)
    return EXIT_FINDINGS if any(not o.ok for o in outcomes) else EXIT_OK


def _add_new_year(sub) -> None:
    """The ``new-year`` subcommand."""
    new = sub.add_parser("new-year", help="由本年度事实文件生成下一年度的事实文件",
                         description="复制事实文件到下一年度：保留全部注释和顺序，年度和成文日期推后一年，"
                                     "累计数和现有数沿用为起点，本年度才有的数字和活动写成“待填”。")
    new.add_argument("facts", type=cli_path, help="本年度事实文件，如 facts/2016.yaml")
    new.add_argument("-o", "--output", type=cli_path, help="新文件（默认同一文件夹下的 <下一年度>.yaml）")
    new.add_argument("--force", action="store_true", help="新文件已存在时覆盖它")
    # Last year's edited report becomes this year's draft (workreport.draft).
    new.add_argument("--report", type=cli_path, help="上一年度的定稿（.docx）：据此另写一份本年度的草稿，文字照旧，数字换成新年度的")
    new.add_argument("--draft", type=cli_path, help="与 --report 同用：草稿文件（默认 output/<单位><新年度>年工作总结-草稿.docx）")
    new.set_defaults(run=_new_year)


def _new_year(args: argparse.Namespace) -> int:
    """Write next year's facts file and list what staff must fill in and update."""
    from .facts import display_path, dotted
    from .newyear import new_year

    if (args.draft and not args.report) or (args.report and Path(args.report).suffix.lower() != ".docx"):
        print("命令行参数有误：--report 写去年的定稿（.docx；文本请先在 Word/WPS 中另存为 .docx），--draft 要与 --report 同用", file=sys.stderr)
        return EXIT_INPUT
    done = new_year(args.facts, args.output, force=args.force)
    shown = display_path(done.output)
    print(f"已生成：{shown}（{done.year} 年度，由 {display_path(done.source)} 转入）")
    if done.relaid:
        print("注意：原文件的排版（缩进或注释的位置）无法原样保留，新文件统一为两格缩进；内容、每一条注释和顺序不变")
    if done.cleared:
        print(f"须填写 {len(done.cleared)} 项（已写成“待填”，make check 会逐项列出，填完才能生成总结）：")
        for path in done.cleared:
            print(f"  {shown}:{done.line(path)}  {dotted(path)}")
    if done.carried:
        print(f"沿用 {done.year - 1} 年末的数字 {len(done.carried)} 项（现有数、累计数），请核对并改为 {done.year} 年末的数字：")
        for path in done.carried:
            print(f"  {shown}:{done.line(path)}  {dotted(path)}")
    if done.removed:
        print(f"删去了由程序推算的 {len(done.removed)} 项：{'、'.join(dotted(p) for p in done.removed)}")
    if args.report:
        from .draft import draft_from_last, draft_name

        drafted = draft_from_last(args.facts, done.output, args.report, args.draft or draft_name(done.output))
        print(drafted.summary())
    return EXIT_OK


def _add_check_commands(sub: argparse._SubParsersAction) -> None:
    """The ``check`` and ``explain`` subcommands."""
    from .checks.output import FORMATS

    check = sub.add_parser("check", help="检查事实文件中的数字矛盾", description="检查事实文件（或文件夹中的每个年度文件）中相互矛盾的数字。有错误时退出码为 1。")
    check.add_argument("facts", nargs="+", type=cli_path, help="事实文件或文件夹，如 facts/2016.yaml 或 facts/")
    check.add_argument("--format", choices=FORMATS, default="text", help="输出格式：text（中文，默认）、json、github（GitHub Actions 注释）")
    check.add_argument("--templates", action="store_true", help="同时检查模板（模板中不应写死年份、周年数等）")
    check.add_argument("--all-years", action="store_true",
                       help="往年文件的问题也逐条列出并计入退出码（默认：检查几个年度时，往年文件的问题只列一行“已在往年报告中”）")
    # An edited report against the facts (workreport.trace): one facts file, one report.
    check.add_argument("--report", type=cli_path, help="改写过的总结（.docx 或 .txt）：逐个数字与事实文件核对")
    check.add_argument("--annotate", type=cli_path, help="与 --report 同用：另存一份带批注的副本（.docx），每个问题一条批注；原文件不动")
    check.add_argument("--encoding", help="与 --report 同用：文本总结的编码，如 gb18030（不写则自动识别）")
    check.set_defaults(run=_check)
    explain = sub.add_parser("explain", help="说明检查代码的含义", description="说明一个检查代码（如 WR201）查什么、为什么、怎样改正；不写代码则列出全部检查。")
    explain.add_argument("code", nargs="?", help="检查代码，如 WR201")
    explain.set_defaults(run=_explain)


def _check(args: argparse.Namespace) -> int:
    """Check every facts file named; print the findings, then what could not be read, then the summary;
    exit 0, 1 (errors this year) or 2 (a file could not be read).

    Of several files, those of earlier years than the latest are settled (their reports are out):
    their findings are told in one line per file and do not fail the run, unless --all-years.
    """
    from .checks.output import exit_code, render
    from .inputs import facts_files
    from .facts import display_path
    from .pipeline import check, check_templates

    if args.report or args.annotate:
        return _check_report(args)
    findings, silenced, results, unreadable = [], [], [], []
    for path in facts_files(args.facts):
        try:
            checked = check(path)
        except WorkreportError as exc:
            unreadable += exc.problems
            continue
        results.append(checked)
        findings += checked.findings
        silenced += checked.silenced
    if args.templates:
        findings += check_templates()
    latest = max((c.year for c in results if c.year is not None), default=None)
    settled = set() if args.all_years or len(results) < 2 else {display_path(c.path) for c in results if c.year != latest}
    text = render(findings, silenced, args.format, files=[str(c.path) for c in results], settled=settled,
                  unreadable=len({p.file for p in unreadable}) or len(unreadable))
    body, _, last = text.rpartition("\n\n") if args.format == "text" else (text, "", "")
    if body:
        print(body, flush=True)
    for problem in unreadable:
        print(f"错误：{problem}", file=sys.stderr, flush=True)
    if last:
        print(("\n" if body else "") + last)
    current = [f for f in findings if f.file not in settled]
    return EXIT_INPUT if unreadable else exit_code(current)


def _check_report(args: argparse.Namespace) -> int:
    """check FACTS --report EDITED [--annotate OUT.docx]: the facts' checks and every figure of the report traced."""
    from .checks.output import exit_code, render
    from .trace import check_report

    if not args.report or len(args.facts) != 1 or Path(args.facts[0]).is_dir():
        print("命令行参数有误：--report 要与一个事实文件同用，如 workreport check facts/2016.yaml --report 2016年工作总结.docx"
              "（--annotate 须同时写 --report）", file=sys.stderr)
        return EXIT_INPUT
    checked, traced = check_report(args.facts[0], args.report, args.encoding)
    written = None
    if args.annotate:
        from .annotate import annotate

        written = annotate(traced, checked.findings, args.annotate)
    print(render(checked.findings, checked.silenced, args.format, files=[str(checked.path), traced.document.shown]))
    if written:
        count = sum(traced.finding_of(t) in checked.findings for t in traced.traces if traced.finding_of(t))
        print(f"已生成带批注的副本：{written}（{count} 条批注；原文件未改动）", file=sys.stderr)
    return exit_code(checked.findings)


def _explain(args: argparse.Namespace) -> int:
    """One check's title, severity and documentation; without a code, the table of all checks."""
    from .checks.docs import explain_code, table

    if not args.code:
        print(table())
        return EXIT_OK
    text = explain_code(args.code)
    if text is None:
        print(f"没有代码为“{args.code}”的检查；运行 workreport explain 查看全部代码。", file=sys.stderr)
        return EXIT_INPUT
    print(text)
    return EXIT_OK


def _rollup(args: argparse.Namespace) -> int:
    from .rollup import describe, write_county

    for total, reason in write_county(Path(args.folder), Path(args.output)):
        print(describe(total, reason))
    print(f"已写入：{args.output}")
    return EXIT_OK


def _add_sheet(sub) -> None:
    """The ``sheet`` subcommand: facts file → workbook, workbook → facts file."""
    sheet = sub.add_parser("sheet", help="事实文件与 Excel/WPS 工作簿互转（用表格填写事实）",
                           description="事实文件.yaml -o 工作簿.xlsx：生成供填写的工作簿（--township 生成乡镇报表）；"
                                       "工作簿.xlsx -o 事实文件.yaml：把填好的工作簿写回事实文件，已有文件只改变动了的数字，注释和顺序保留。")
    sheet.add_argument("source", type=cli_path, help="事实文件（如 facts/2016.yaml）或填好的工作簿（如 2016.xlsx）")
    sheet.add_argument("-o", "--output", required=True, type=cli_path, help="要写的工作簿（.xlsx）或事实文件（.yaml）")
    sheet.add_argument("--township", action="store_true", help="生成乡镇报表：只含各乡镇要填的可相加数字，内容空白")
    sheet.add_argument("--force", action="store_true", help="工作簿已存在时覆盖它")
    sheet.set_defaults(run=_sheet)


def _sheet(args: argparse.Namespace) -> int:
    """Write a workbook from a facts file, or a facts file from a workbook, by the source's kind."""
    from .facts import display_path, dotted
    from .sheet import from_book, is_workbook, to_book

    if not is_workbook(args.source):
        written = to_book(args.source, args.output, township=args.township, force=args.force)
        print(f"已生成：{display_path(written)}（用 Excel 或 WPS 打开填写；填好后 workreport sheet {display_path(written)} -o 事实文件.yaml）")
        return EXIT_OK
    if args.township:
        print("命令行参数有误：--township 用于由事实文件生成乡镇报表；汇总乡镇工作簿请用 workreport rollup 文件夹 -o 县事实文件", file=sys.stderr)
        return EXIT_INPUT
    changed = from_book(args.source, args.output)
    if not changed:
        print(f"没有变动：{args.output} 与工作簿一致，未改写")
    else:
        print(f"已写入：{args.output}（{len(changed)} 项有变动：{'、'.join(dotted(p) for p in changed)}）")
    return EXIT_OK


def _add_serve(sub) -> None:
    """The ``serve`` subcommand: the facts in a local page, checked while staff type."""
    serve = sub.add_parser("serve", help="在浏览器里填写事实：边填边检查，可保存、下载报告",
                           description="在本机打开一个网页填写事实文件：每个数字旁即时显示检查结果，右侧预览报告；"
                                       "保存时只改动过的值，注释和顺序保留。只有本机能打开，按 Ctrl-C 结束。")
    serve.add_argument("facts", nargs="?", type=cli_path, help="事实文件（默认 facts/ 中最新年度的文件）")
    serve.add_argument("--port", type=int, default=0, help="端口（默认 0：自动选一个空闲端口）")
    serve.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只显示网址")
    serve.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    from .errors import FactsError, Problem
    from .serve import serve

    facts = args.facts or max(map(str, Path("facts").glob("[0-9][0-9][0-9][0-9].yaml")), default=None)
    if facts is None:
        raise FactsError(Problem("请写明事实文件，如 workreport serve facts/2017.yaml（当前文件夹的 facts/ 中没有年度文件）"))
    return serve(facts, port=args.port, open_browser=not args.no_browser)


def _add_document_commands(sub) -> None:
    """The ``lint`` and ``import`` subcommands, which read an existing report (.docx or text)."""
    from .checks.output import FORMATS

    lint = sub.add_parser("lint", help="检查已有的总结（.docx 或 .txt）中的数字和标点",
                          description="读取已有的工作总结，找出过期的年数和周年数、与列举不符的条数、合计不符、往年的数字、半角标点等。有错误时退出码为 1。")
    lint.add_argument("document", type=cli_path, help="总结文件，如 2016年工作总结.docx 或 .txt")
    lint.add_argument("--year", type=_year, help="总结的年度，如 2016（不写则按文中出现最多的年份）")
    lint.add_argument("--format", choices=FORMATS, default="text", help="输出格式：text（中文，默认）、json、github（GitHub Actions 注释）")
    lint.add_argument("--encoding", help="文本文件的编码，如 gb18030、utf-8（不写则自动识别）")
    lint.set_defaults(run=_lint)
    draft = sub.add_parser("import", help="由已有的总结生成事实文件草稿",
                           description="读取已有的工作总结，把其中的数字和名称填入事实文件草稿；每个数字后注明原文和位置，无法对应的内容列在文件末尾。")
    draft.add_argument("document", type=cli_path, help="总结文件，如 2016年工作总结.docx 或 .txt")
    draft.add_argument("-o", "--output", required=True, type=cli_path, help="草稿文件，如 facts/2016-draft.yaml")
    draft.add_argument("--year", type=_year, help="总结的年度（不写则按文中出现最多的年份）")
    draft.add_argument("--encoding", help="文本文件的编码，如 gb18030、utf-8（不写则自动识别）")
    draft.add_argument("--force", action="store_true", help="草稿文件已存在时覆盖它")
    draft.set_defaults(run=_import)


def _year(text: str) -> int:
    """A --year value: a whole year in the range the facts' 年度 allows (schema.json), or a usage error saying so."""
    from .kind import load_kind

    allowed = load_kind().schema["properties"]["年度"]
    low, high = allowed["minimum"], allowed["maximum"]
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--year 应为四位数的年度，如 2016，实为“{text}”") from None
    if not low <= year <= high:
        raise argparse.ArgumentTypeError(f"--year 应在 {low}–{high} 之间，实为 {year}")
    return year


def _lint(args: argparse.Namespace) -> int:
    """Lint a report and print the findings; exit 1 when any is an error."""
    from .checks.output import exit_code, render
    from .lint import lint

    linted = lint(args.document, args.year, args.encoding)
    if linted.year_guessed and args.format == "text":
        print(f"提示：未指定 --year，按 {linted.year} 年的总结检查", file=sys.stderr)
    print(render(linted.findings, [], args.format, files=[linted.document.shown]))
    return exit_code(linted.findings)


def _import(args: argparse.Namespace) -> int:
    """Write a draft facts file from a report and say what staff must fill in."""
    from .importer import import_report

    draft = import_report(args.document, args.output, year=args.year, encoding=args.encoding, force=args.force)
    print(draft.summary())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
