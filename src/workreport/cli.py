"""Command line: argument parsing only.  Every WorkreportError becomes a Chinese message and exit 2."""

from __future__ import annotations

import argparse
import sys

from .errors import WorkreportError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``workreport`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except WorkreportError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断；原有报告未改动。", file=sys.stderr)
        return EXIT_INPUT


class _ChineseParser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"命令行参数有误：{message}（运行 workreport --help 查看用法）", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _ChineseParser(prog="workreport", description="从事实文件生成年度工作总结（公文格式 .docx），并检查数字前后矛盾。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_ChineseParser, metavar="命令")
    build = sub.add_parser("build", help="生成工作总结 .docx", description="读取事实文件，推算数字，生成 output/<单位><年度>年工作总结.docx。")
    build.add_argument("facts", help="事实文件，如 facts/2016.yaml")
    build.add_argument("-o", "--output", default="output", help="输出文件夹（默认 output）")
    build.set_defaults(run=_build)
    return parser


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build

    built = build(args.facts, args.output)
    for note in built.notes:
        print(f"提示：{note}", file=sys.stderr)
    print(f"已生成：{built.output}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
