"""`lawbot` as other tools run it: a subprocess with LAWBOT_DATA_DIR in a tmp dir and the shared corpus.

Few processes (each start loads the corpus); the data dir is shared with test_search.py, so the index is
built once per session.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO, SHARED_CORPUS
from support.process import lawbot_env

CORPUS = SHARED_CORPUS
CODE_NAME = "中华人民共和国生态环境法典"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    shared = tmp_path_factory.getbasetemp() / "lawbot-shared-data"
    shared.mkdir(exist_ok=True)
    return shared


def lawbot(*args: str, data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = lawbot_env(LAWBOT_DATA_DIR=str(data_dir), LAWBOT_CORPUS_DIRS=str(CORPUS))
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )


QUESTIONS = [
    {"id": "c1", "q": "法典第1107条"},
    {"id": "c2", "q": "大气法99条"},
    {"id": 3, "q": "私设暗管偷排怎么罚"},
    {"id": "m1", "q": "大气法第130条"},
    {"id": "e1", "q": ""},
    {"id": "e2", "q": "😀 <b>AND OR *</b> '; DROP TABLE laws; --"},
    {"id": "s1", "q": "排污许可管理条例第三十三条"},
    {"id": "o1", "q": "原大气法第99条在法典里对应哪条"},
]


@pytest.fixture(scope="module")
def batch(data_dir, tmp_path_factory) -> subprocess.CompletedProcess:
    path = tmp_path_factory.mktemp("batch") / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n\n", encoding="utf-8")
    return lawbot("search", "--batch", str(path), data_dir=data_dir)


def test_batch_search_writes_only_jsonl_in_input_order(batch):
    assert batch.returncode == 0, batch.stderr
    lines = batch.stdout.splitlines()
    assert len(lines) == len(QUESTIONS)
    records = [json.loads(line) for line in lines]  # every stdout line is JSON: nothing else there
    assert [r["id"] for r in records] == [q["id"] for q in QUESTIONS]
    for record in records:
        assert isinstance(record["ms"], int | float) and record["ms"] >= 0
        assert isinstance(record["hits"], list) and len(record["hits"]) <= 10
        for hit in record["hits"]:
            assert isinstance(hit["law"], str) and hit["law"]
            assert type(hit["article"]) is int and hit["article"] > 0


def test_batch_search_answers(batch):
    records = {r["id"]: r for r in map(json.loads, batch.stdout.splitlines())}
    assert (records["c1"]["hits"][0]["law"], records["c1"]["hits"][0]["article"]) == (CODE_NAME, 1107)
    assert records["c2"]["hits"][0]["law"] == "中华人民共和国大气污染防治法"  # full name, not 大气法
    assert records["c2"]["hits"][0]["article"] == 99
    assert (CODE_NAME, 1108) in [(h["law"], h["article"]) for h in records[3]["hits"][:3]]
    assert records["m1"]["hits"] == []
    assert records["m1"]["notice"] == "《大气污染防治法》共一百二十九条，没有第一百三十条"
    assert records["e1"]["hits"] == [] and records["e1"]["notice"]
    assert records["e2"]["notice"]
    assert (records["s1"]["hits"][0]["law"], records["s1"]["hits"][0]["article"]) == ("排污许可管理条例", 33)
    assert records["o1"]["hits"][0]["law"] == CODE_NAME


def test_eval_prints_scores(data_dir, tmp_path):
    gold = [
        {"id": "g1", "type": "citation", "q": "处罚法33条", "gold": [["中华人民共和国行政处罚法", 33]]},
        {"id": "g2", "type": "citation", "q": "法典第1107条", "gold": [["中华人民共和国生态环境法典", 1107]]},
        {"id": "g3", "type": "violation", "q": "私设暗管偷排怎么罚", "gold": [["中华人民共和国生态环境法典", 1108]]},
        {"id": "g4", "type": "violation", "q": "😀", "gold": [["中华人民共和国生态环境法典", 1]]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf-8")
    done = lawbot("eval", str(path), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    rows = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(" ")
        rows[key] = value
    assert {"all", "citation", "violation", "latency_ms"} <= rows.keys()
    for key in ("all", "citation", "violation"):
        for metric in ("hit1", "hit5", "mrr"):
            assert re.search(rf"'{metric}': [01](\.\d+)?", rows[key]), (key, metric, rows[key])
    assert "'hit1': 1.0" in rows["citation"]
    assert "'n': 4" in rows["all"]
    assert "'hit5': 0.75" in rows["all"]  # the emoji question finds nothing


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")} if folder.exists() else {}


def test_import_reports_counts_and_notes(data_dir, tmp_path):
    repo_data = _snapshot(REPO / "data")
    own = tmp_path / "data"
    shutil.copytree(data_dir, own)  # a copy: the shared data dir stays as the other tests expect
    done = lawbot("import", str(CORPUS / "regulations"), data_dir=own)
    assert done.returncode == 0, done.stderr
    md = [p for p in (CORPUS / "regulations").glob("*.md") if "<!-- INFO END -->" in p.read_text("utf-8")]
    count = re.search(r"已导入 (\d+) 部法规规章，共 (\d+) 条。", done.stdout)
    assert count, done.stdout
    assert int(count.group(1)) == len(md)
    assert int(count.group(2)) > 900
    assert "以下内容未能解析：" in done.stdout
    assert "  · 地下水管理条例: 未能解析施行日期" in done.stdout.splitlines()
    assert len(list((own / "imported").glob("*.json"))) == len(md)
    assert _snapshot(REPO / "data") == repo_data  # nothing written under the repository


def test_import_of_missing_folder_is_a_clear_error(tmp_path):
    done = lawbot("import", str(tmp_path / "没有这个文件夹"), data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert "找不到文件夹" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()


def test_ask_prints_ranked_lines(data_dir):
    done = lawbot("ask", "危废没贴标签怎么罚", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    ranked = [ln for ln in lines if re.match(r"^\d+\. 《.+》第.+条〔.+〕$", ln)]
    assert [ln.split(".", 1)[0] for ln in ranked] == ["1", "2", "3"]
    assert ranked[0] == "1. 《生态环境法典》第一千一百七十五条〔现行有效〕"
    # each ranked line is followed by its snippet, indented
    assert all(lines[lines.index(ln) + 1].startswith("   ") for ln in ranked)


def test_quiz_check_proves_every_question_the_bot_serves(data_dir):
    done = lawbot("quiz", "check", data_dir=data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "" and "0 failures" in done.stderr
    checked = int(re.search(r"(\d+) questions checked", done.stderr).group(1))
    assert checked >= 800 and "bank" in done.stderr and "generated" in done.stderr


def test_quiz_check_lists_a_wrong_question_and_exits_1(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "wrong.yaml").write_text(
        "questions:\n"
        "  - id: wrong-1169\n    topic: 罚则\n    difficulty: 2\n    kind: single\n"
        "    question: 擅自倾倒危险废物的，依照生态环境法典，对单位的罚款幅度是多少？\n"
        "    options: [十万元以上一百万元以下, 二十万元以上二百万元以下]\n    answer: [0]\n"
        "    cite: [[中华人民共和国生态环境法典, 1169, 2]]\n"
        "    proof: [前款规定的固体废物为危险废物、城镇污水处理设施产生的污泥和处理后的污泥的，处二十万元以上二百万元以下的罚款]\n"
        "    explanation: 法典第一千一百六十九条第二款。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "knowledge.quiz.commands", str(bank)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1
    assert done.stdout.strip() == "wrong.yaml:wrong-1169: right option not backed by the proof: 十万元以上一百万元以下"
