"""Loaders: LawRefBook markdown folders of ../shared/corpus, the import round trip, and the law model."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from support.paths import REPO, SHARED_CORPUS

from knowledge.cleanup import strip_stray_spaces
from knowledge.cnnum import cn_to_int
from knowledge.corpus import import_folder, imports_dir, load_imported
from knowledge.lawsdb import database_path, load_laws
from knowledge.markdown import load_folder, parse_markdown
from knowledge.model import CODE_EFFECTIVE, CODE_NAME, STATUS_CURRENT, STATUS_REPEALED

CORPUS = SHARED_CORPUS
FOLDERS = ("regulations", "judicial", "shanghai", "rules", "local-lists")
ARTICLE_LINE = re.compile(r"^第([一二三四五六七八九十百千零〇两]+)条(?:[ \u3000\t【]|$)")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")


def md_files(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).rglob("*.md"))


def law_files(folder: str) -> list[Path]:
    """The files that are laws: they have an `<!-- INFO END -->` line (READMEs do not)."""
    return [p for p in md_files(folder) if "<!-- INFO END -->" in p.read_text(encoding="utf-8").splitlines()]


def file_articles(path: Path) -> dict[int, str]:
    """Article numbers and their first line as written in the file (independent of the parser)."""
    out: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").replace("\u200b", "").splitlines():
        line = line.strip()
        m = ARTICLE_LINE.match(line)
        if m:
            out.setdefault(cn_to_int(m.group(1)), line[m.end():].strip().lstrip("【"))
    return out


@pytest.fixture(scope="module")
def folders() -> dict[str, tuple[list, list[str]]]:
    return {name: load_folder(CORPUS / name) for name in FOLDERS}


def by_name(folders, folder: str, name: str):
    laws = [law for law in folders[folder][0] if law.name == name]
    assert len(laws) == 1, f"{name} not loaded from {folder}"
    return laws[0]


# --- every folder ------------------------------------------------------------------------------------
@pytest.mark.parametrize("folder", FOLDERS)
def test_folder_loads_one_law_per_file(folders, folder):
    laws, _problems = folders[folder]
    files = law_files(folder)
    assert files, f"no LawRefBook files in {folder}"
    assert len(laws) == len(files)
    assert len({law.law_id for law in laws}) == len(laws)
    assert all(law.articles for law in laws), "a law without articles"
    assert {Path(law.source).name for law in laws} == {p.name for p in files}


@pytest.mark.parametrize("folder", FOLDERS)
def test_article_numbers_match_the_file(folders, folder):
    """Every 第X条 line of a file is an article; a file without such lines is split by headings."""
    for law in folders[folder][0]:
        expected = file_articles(Path(law.source))
        if expected:
            assert sorted(law.articles) == sorted(expected), law.name
        else:
            assert sorted(law.articles) == list(range(1, len(law.articles) + 1)), law.name
            assert any("无条文编号" in note for note in law.parse_notes), law.name


@pytest.mark.parametrize("folder", FOLDERS)
def test_article_text_starts_as_in_the_file(folders, folder):
    for law in folders[folder][0]:
        for number, first_line in file_articles(Path(law.source)).items():
            if "】" in first_line:  # 第一条【立法目的】… : the label is kept apart
                first_line = first_line.split("】", 1)[1]
            want = strip_stray_spaces(first_line.strip())[:15]
            assert law.articles[number].text.startswith(want), (law.name, number)


@pytest.mark.parametrize(
    ("folder", "level"),
    [("judicial", "司法解释"), ("shanghai", "地方性法规")],
)
def test_levels_by_folder(folders, folder, level):
    assert {law.level for law in folders[folder][0]} == {level}


def test_regulations_are_administrative_regulations_except_measures(folders):
    for law in folders["regulations"][0]:
        if law.name.endswith("办法"):
            assert law.level == "部门规章", law.name
        else:
            assert law.level == "行政法规", law.name


def test_rules_levels(folders):
    assert by_name(folders, "rules", "环境行政处罚办法").level == "部门规章"
    assert by_name(folders, "rules", "关于建设项目“未批先建”违法行为法律适用问题的意见").level == "规范性文件"
    assert by_name(folders, "local-lists", "广东省生态环境行政处罚自由裁量权规定").level == "规范性文件"


# --- key laws -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("folder", "name", "count"),
    [
        ("regulations", "排污许可管理条例", 51),
        ("regulations", "建设项目环境保护管理条例", 30),
        ("regulations", "医疗废物管理条例", 57),
        ("judicial", "最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释", 20),
        ("shanghai", "上海市环境保护条例", 91),
        ("shanghai", "上海市大气污染防治条例", 109),
        ("rules", "环境行政处罚办法", 82),
        ("rules", "环境保护主管部门实施按日连续处罚办法", 22),
        ("local-lists", "江门市生态环境依法不予行政处罚的轻微环境违法行为清单", 41),
    ],
)
def test_key_law_article_counts(folders, folder, name, count):
    law = by_name(folders, folder, name)
    path = Path(law.source)
    from_file = file_articles(path)
    if from_file:
        assert len(from_file) == count  # the expectation itself is read from the file
    assert len(law.articles) == count
    assert law.max_article == count


def test_pollutant_permit_regulation(folders):
    law = by_name(folders, "regulations", "排污许可管理条例")
    assert law.level == "行政法规"
    assert law.publish_date == "2021-01-24"
    assert law.effective_date == "2021-03-01"
    assert law.version_date == "2021-01-24"
    assert law.parse_notes == []
    first = law.articles[1]
    assert first.text.startswith("为了加强排污许可管理，规范企业事业单位和其他生产经营者排污行为")
    assert first.chapter and "总则" in first.chapter.replace(" ", "")
    # 款 boundaries from the file's lines
    text = Path(law.source).read_text(encoding="utf-8")
    block = text.split("第二条", 1)[1].split("第三条", 1)[0]
    lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
    items = [ln for ln in lines if re.match(r"^[（(][一二三四五六七八九十]+[）)]", ln)]
    article = law.articles[2]
    assert len(article.paragraphs) == len(lines) - len(items) == 3
    assert [it.number for it in article.paragraph(2).items] == [1, 2]
    assert article.item(2).text.startswith("污染物产生量、排放量和对环境的影响程度都较小的排污单位")


def test_dates_parsed_where_present(folders):
    two_courts = by_name(folders, "judicial", "最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释")
    assert two_courts.effective_date == "2023-08-15"
    assert two_courts.publish_date == "2023-07-27"
    penalty = by_name(folders, "rules", "环境行政处罚办法")
    assert (penalty.publish_date, penalty.effective_date) == ("2010-01-19", "2010-03-01")
    daily = by_name(folders, "rules", "环境保护主管部门实施按日连续处罚办法")
    assert (daily.publish_date, daily.effective_date) == ("2014-12-19", "2015-01-01")


def test_newest_revision_is_the_publish_date(folders):
    """Info lines list every revision; the last one (even after a long 会议 name) is the current text's."""
    assert by_name(folders, "shanghai", "上海市环境保护条例").publish_date == "2018-12-20"
    assert by_name(folders, "shanghai", "上海市大气污染防治条例").publish_date == "2018-12-20"
    assert by_name(folders, "shanghai", "上海市河道管理条例").publish_date == "2018-12-20"
    assert by_name(folders, "regulations", "消耗臭氧层物质管理条例").publish_date == "2023-12-29"


def test_version_date_from_file_name(folders):
    assert by_name(folders, "shanghai", "上海市环境保护条例").version_date == "2021-11-25"
    assert by_name(folders, "regulations", "医疗废物管理条例").version_date == "2011-01-08"


def test_parse_notes_say_what_could_not_be_parsed(folders):
    groundwater = by_name(folders, "regulations", "地下水管理条例")
    assert groundwater.effective_date is None
    assert "未能解析施行日期" in groundwater.parse_notes
    assert groundwater.publish_date == "2021-10-21"  # from the file name
    listing = by_name(folders, "local-lists", "江门市生态环境依法不予行政处罚的轻微环境违法行为清单")
    assert "未能解析公布日期" in listing.parse_notes
    assert any(note.startswith("无条文编号") for note in listing.parse_notes)
    # load_folder reports the same notes, one line each, with the law's name
    problems = folders["regulations"][1]
    assert "地下水管理条例: 未能解析施行日期" in problems
    assert not any(p.startswith("排污许可管理条例") for p in problems)


def test_letter_quoting_articles_is_not_split_into_those_articles(folders):
    """A 复函 quoting "第九十九条规定：…" has no articles of its own; nothing of its text is lost."""
    letter = by_name(folders, "rules", "关于恶臭气体超标排放法律适用有关问题的复函")
    assert 99 not in letter.articles and 118 not in letter.articles
    text = "\n".join(a.text for a in letter.articles.values())
    assert "大气污染防治法第十八条规定" in text
    assert "第九十九条规定" in text
    assert "适用大气污染防治法第九十九条第二项的规定予以处罚" in text
    assert any(note.startswith("无条文编号") for note in letter.parse_notes)


def test_article_label_and_preamble(folders):
    law = by_name(folders, "judicial", "最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释")
    assert law.articles[1].text.startswith("法律规定的机关和有关组织依据民事诉讼法第五十五条")


def test_readme_is_not_a_law(tmp_path):
    readme = CORPUS / "README.md"
    assert parse_markdown(readme) is None


def test_items_in_markdown_articles(folders):
    law = by_name(folders, "regulations", "排污许可管理条例")
    items = [it for a in law.articles.values() for p in a.paragraphs for it in p.items]
    assert items, "no 项 parsed"
    for article in law.articles.values():
        for p in article.paragraphs:
            numbers = [it.number for it in p.items]
            assert numbers == list(range(1, len(numbers) + 1)), article.number


def test_broken_file_is_reported_not_raised(tmp_path):
    (tmp_path / "good.md").write_text("# 某某办法\n\n发布机关：某部\n\n<!-- INFO END -->\n\n第一条 为了测试，制定本办法。\n", "utf-8")
    (tmp_path / "bad.md").write_bytes(b"# \xff\xfe broken\n<!-- INFO END -->\n")
    laws, problems = load_folder(tmp_path)
    assert [law.name for law in laws] == ["某某办法"]
    assert any(p.startswith("bad.md") and "无法读取" in p for p in problems)
    assert "某某办法: 未能解析公布日期" in problems


# --- import round trip ---------------------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, float]:
    if not folder.exists():
        return {}
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")}


def test_import_round_trip(tmp_path, folders):
    repo_data_before = _snapshot(REPO / "data")
    data_dir = tmp_path / "data"
    imported = {}
    for name in FOLDERS:
        laws, problems = import_folder(CORPUS / name, data_dir)
        assert len(laws) == len(folders[name][0])
        assert problems == folders[name][1]
        imported.update({law.law_id: law for law in laws})
    stored = list(imports_dir(data_dir).iterdir())
    assert sorted(p.name for p in stored) == sorted(f"{law_id}.json" for law_id in imported)
    loaded = {law.law_id: law for law in load_imported(data_dir)}
    assert loaded.keys() == imported.keys()
    for law_id, law in imported.items():
        back = loaded[law_id]
        assert (back.name, back.level, back.publish_date, back.effective_date, back.version_date) == (
            law.name, law.level, law.publish_date, law.effective_date, law.version_date)
        assert {n: a.text for n, a in back.articles.items()} == {n: a.text for n, a in law.articles.items()}
        assert back == law  # paragraphs, items, labels, chapters, notes: everything
    # importing again replaces, never duplicates
    import_folder(CORPUS / "regulations", data_dir)
    assert len(load_imported(data_dir)) == len(imported)
    # nothing written under the repository
    assert _snapshot(REPO / "data") == repo_data_before
    assert all(str(p).startswith(str(tmp_path)) for p in stored)
    assert not any(p.name.endswith(".tmp") for p in imports_dir(data_dir).iterdir())


def test_load_imported_of_empty_data_dir(tmp_path):
    assert load_imported(tmp_path) == []


# --- the law model on the database ----------------------------------------------------------------
REPEALED_BY_CODE = [
    "中华人民共和国环境保护法",
    "中华人民共和国环境影响评价法",
    "中华人民共和国海洋环境保护法",
    "中华人民共和国大气污染防治法",
    "中华人民共和国水污染防治法",
    "中华人民共和国土壤污染防治法",
    "中华人民共和国固体废物污染环境防治法",
    "中华人民共和国噪声污染防治法",
    "中华人民共和国放射性污染防治法",
    "中华人民共和国清洁生产促进法",
]


@pytest.fixture(scope="module")
def db_laws():
    return {law.name: law for law in load_laws()}


def test_the_ten_repealed_laws(db_laws):
    code = db_laws[CODE_NAME]
    # the Code's last article names exactly these ten as repealed
    final = code.articles[code.max_article].text
    for name in REPEALED_BY_CODE:
        assert f"《{name}》" in final
        law = db_laws[name]
        assert law.status == STATUS_REPEALED, name
        assert not law.is_current
        assert law.articles


def test_the_code_is_current(db_laws):
    code = db_laws[CODE_NAME]
    assert code.status == STATUS_CURRENT
    assert code.is_current
    assert code.effective_date == CODE_EFFECTIVE == "2026-08-15"
    assert code.level == "法律"
    assert code.short_name == "生态环境法典"
    assert len(code.articles) == 1242
    assert code.articles[1107].number_cn == "第一千一百零七条"


def test_database_size_and_procedure_laws(db_laws):
    laws = load_laws()
    assert len(laws) == 378  # some names repeat (historical versions)
    con = sqlite3.connect(f"file:{database_path()}?mode=ro", uri=True)
    (numbered,) = con.execute(
        "SELECT COUNT(DISTINCT law_id || ':' || article_no_arabic) FROM articles WHERE article_no_arabic IS NOT NULL"
    ).fetchone()
    con.close()
    assert sum(len(law.articles) for law in laws) == numbered + 2  # plus the two split Code articles
    for name in ("中华人民共和国行政处罚法", "中华人民共和国行政强制法", "中华人民共和国行政复议法",
                 "中华人民共和国行政诉讼法", "中华人民共和国刑法"):
        assert db_laws[name].articles, name
    assert db_laws["中华人民共和国行政处罚法"].is_current


def test_corpus_lookup_by_short_and_full_name(corpus):
    assert corpus.law("生态环境法典") is corpus.law(CODE_NAME)
    assert corpus.law("《中华人民共和国大气污染防治法》").status == STATUS_REPEALED
    assert corpus.article("大气污染防治法", 99).number == 99
    assert corpus.article("排污许可管理条例", 1).text.startswith("为了加强排污许可管理")
    assert corpus.law("不存在的法") is None


def test_loading_does_not_need_the_environment(monkeypatch, tmp_path):
    """The markdown loader reads only the folder it is given."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(os.environ, "LAWBOT_DATA_DIR", str(tmp_path / "nowhere"))
    laws, _ = load_folder(CORPUS / "judicial")
    assert len(laws) == len(law_files("judicial"))
    assert not (tmp_path / "nowhere").exists()
