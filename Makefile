# workreport — 常用命令。首次使用只需: make report，然后 make test。
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= output

# 默认生成 facts/ 中最新年度的总结；YEAR=2017 指定年度。
LATEST := $(lastword $(sort $(wildcard facts/[0-9][0-9][0-9][0-9].yaml)))
FACTS  ?= $(if $(YEAR),facts/$(YEAR).yaml,$(LATEST))

# make import / make lint 读取的总结文件；make import 写出的事实文件草稿。
FILE   ?=
DRAFT  ?= $(OUT)/草稿.yaml
need-file = $(if $(FILE),,$(error 请写明总结文件，如 make $@ FILE=2016年工作总结.docx))

.PHONY: help install new-year report check test pdf import lint trace refresh sheet serve docs-image docs-checks docx-template bench prose-eval system-deps clean

help:  ## 列出所有命令
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src  # .pyc at install: a shell with PYTHONDONTWRITEBYTECODE would compile every module on every run
	touch $@

install: $(STAMP)  ## 创建 .venv 并安装 workreport

new-year: $(STAMP)  ## 由最新年度的事实文件生成下一年度的（如 facts/2017.yaml），原文件不动；FILE=去年定稿.docx 另写今年的草稿
	$(BIN)/workreport new-year $(LATEST) $(if $(FILE),--report "$(FILE)")

report: $(STAMP)  ## 生成工作总结 .docx（默认最新年度；YEAR=2017 指定）
	$(BIN)/workreport build $(FACTS) -o $(OUT)

check: $(STAMP)  ## 检查 facts/ 中所有事实文件和模板的数字矛盾
	$(BIN)/workreport check facts/ --templates

trace: $(STAMP)  ## 核对在 Word/WPS 里改过的总结：make trace FILE=定稿.docx（YEAR= 指定年度；批注副本写到 output/批注.docx）
	$(need-file)
	$(BIN)/workreport check $(FACTS) --report "$(FILE)" --annotate "$(OUT)/批注.docx"

refresh: $(STAMP)  ## 填好事实后刷新草稿中的数字：make refresh FILE=草稿.docx（文字不动，另存到 output/）
	$(need-file)
	$(BIN)/workreport build $(FACTS) --report "$(FILE)" -o $(OUT)

sheet: $(STAMP)  ## 用表格填写：make sheet 生成 output/<年度>.xlsx；填好后 make sheet FILE=工作簿.xlsx 写回事实文件
	$(if $(FILE),$(BIN)/workreport sheet "$(FILE)" -o $(FACTS),$(BIN)/workreport sheet $(FACTS) -o $(OUT)/$(notdir $(basename $(FACTS))).xlsx)

serve: $(STAMP)  ## 在浏览器里填写事实（默认最新年度；YEAR=2017 指定），边填边检查；Ctrl-C 结束
	$(BIN)/workreport serve $(FACTS)

import: $(STAMP)  ## 由已有的总结生成事实文件草稿：make import FILE=总结.docx（草稿写到 output/草稿.yaml）
	$(need-file)
	$(BIN)/workreport import "$(FILE)" -o "$(DRAFT)"

lint: $(STAMP)  ## 检查已有的总结：make lint FILE=总结.docx（YEAR=2016 指定年度）
	$(need-file)
	$(BIN)/workreport lint "$(FILE)" $(if $(YEAR),--year $(YEAR))

test: $(STAMP) system-deps  ## 运行全部测试（缺 LibreOffice、字体时先安装）
	$(BIN)/pytest -q

pdf: report  ## 用 LibreOffice 把总结转成 PDF（output/*.pdf）
	scripts/render-pdf.sh $(OUT)

docs-image: pdf  ## 重新生成 README 中的首页预览图 docs/first-page.png
	scripts/docs-image.sh $(OUT)

docs-checks: $(STAMP)  ## 重新生成检查一览 docs/checks.md（由检查代码的说明生成）
	$(BIN)/python -m workreport.checks.docs docs/checks.md

docx-template: $(STAMP)  ## 重新生成 templates/*/report.docx（公文版式样式）
	$(BIN)/python -m workreport.render.docx_template

system-deps:  ## 安装 LibreOffice、字体等系统软件包（Debian/Ubuntu，需要 root；已安装时什么也不做）
	sh scripts/install-system-deps.sh

prose-eval: $(STAMP)  ## 在自编标注语料上统计 lint 各代码的精确率和召回率
	$(BIN)/python tests/prose_corpus/evaluate.py

bench: $(STAMP)  ## 性能基准（不在测试中运行）
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/run.py

clean:  ## 删除生成的报告和缓存（不删除 .venv）
	rm -rf $(OUT)/*.docx $(OUT)/*.pdf .pytest_cache
