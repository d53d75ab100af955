"""Import LawRefBook-format markdown: `# 标题`, info lines, `<!-- INFO END -->`, `## 第一章 …`, `第一条 …`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from knowledge.cleanup import clean_lines, structure
from knowledge.cnnum import cn_to_int
from knowledge.model import Article, Law

# "第一条 …" (a space, 【label】 or the line end after 条); "第九十九条规定：…" quoting another law is not an article
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百千零〇两]+)条(?=\s|【|$)(?:\s*【([^】]{1,30})】)?\s*")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILENAME_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_ISSUER = re.compile(r"^发布机关[：:]\s*(.+)$")


def guess_level(title: str, folder: str, issuer: str | None) -> str:
    """Level from the title and folder: 司法解释, 地方性法规, 行政法规, 部门规章 or 规范性文件."""
    if title.startswith(("最高人民法院", "最高人民检察院")) or folder == "judicial":
        return "司法解释"
    local = re.match(r"^(上海|北京|天津|重庆|.{2,3}省|.{2,4}市|.{2,8}自治区)", title)
    if local and title.endswith("条例"):
        return "地方性法规"
    if title.endswith(("条例", "规定")) and (folder == "regulations" or (issuer or "").startswith("国务院")):
        return "行政法规"
    if title.endswith(("办法", "规定", "细则")) and not local:
        return "部门规章"
    return "规范性文件"


def _dates(info: list[str], path: Path) -> tuple[str | None, str | None, list[str]]:
    """(publish, effective) dates from info lines; the file name's (YYYY-MM-DD) is the version date."""
    publish = effective = None
    notes: list[str] = []
    for line in info:
        matches = list(_DATE.finditer(line))
        for m, nxt in zip(matches, matches[1:] + [None]):
            date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            after = line[m.end(): nxt.start() if nxt else len(line)]  # one info line is one event
            if "施行" in after:
                effective = effective or date
            elif any(w in after for w in ("公布", "发布", "通过", "修正", "修订", "印发")):
                publish = date  # the last of these is the newest version
    m = _FILENAME_DATE.search(path.stem)
    if m and not publish:
        publish = m.group(1)
    if not publish:
        notes.append("未能解析公布日期")
    if not effective:
        notes.append("未能解析施行日期")
    return publish, effective, notes


def parse_markdown(path: Path, folder: str | None = None) -> Law | None:
    """Parse one file; None when it has no `# title` (e.g. a README)."""
    raw = path.read_text(encoding="utf-8").replace("\u200b", "").replace("\ufeff", "")
    lines = raw.split("\n")
    title_idx = next((i for i, ln in enumerate(lines) if ln.startswith("# ")), None)
    end = next((i for i, ln in enumerate(lines) if ln.strip() == "<!-- INFO END -->"), None)
    if title_idx is None or end is None:
        return None
    title = lines[title_idx][2:].strip()
    info = [ln.strip() for ln in lines[title_idx + 1:end] if ln.strip()]
    issuer = next((m.group(1).strip() for ln in info if (m := _ISSUER.match(ln))), None)
    folder = folder or path.parent.name
    body = lines[end + 1:]
    # a bracketed info line right after INFO END: （2010年1月19日…公布 自2010年3月1日起施行）
    info += [ln.strip() for ln in body[:6] if ln.strip().startswith(("（", "(")) and _DATE.search(ln)]
    publish, effective, notes = _dates(info, path)
    law_id = "md-" + hashlib.sha1(title.encode()).hexdigest()[:12]
    law = Law(
        law_id=law_id,
        name=title,
        level=guess_level(title, folder, issuer),
        issuer=issuer,
        publish_date=publish,
        effective_date=effective,
        version_date=file_date.group(1) if (file_date := _FILENAME_DATE.search(path.stem)) else publish,
        source=str(path),
        parse_notes=notes,
    )
    has_articles = any(_ARTICLE.match(ln.strip()) for ln in body)
    if has_articles:
        _parse_articles(law, body)
    else:
        _parse_sections(law, body)
        notes.append(f"无条文编号，按标题分为{len(law.articles)}段")
    if not law.articles:
        notes.append("未找到条文")
    return law


def _parse_articles(law: Law, body: list[str]) -> None:
    chapter = section = None
    current: tuple[int, str | None, list[str]] | None = None

    def flush() -> None:
        if current:
            number, label, text_lines = current
            if number in law.articles:
                law.parse_notes.append(f"第{number}条重复，保留第一次出现")
                return
            law.articles[number] = Article(
                law.law_id, law.name, number, structure(clean_lines("\n".join(text_lines))),
                chapter, section, label,
            )

    for raw in body:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            if re.match(r"^第.+[章编]", heading):
                chapter, section = heading, None
            elif re.match(r"^第.+节", heading):
                section = heading
            continue
        m = _ARTICLE.match(line)
        if m and (number := cn_to_int(m.group(1))):
            flush()
            current = (number, m.group(2), [line[m.end():]])
        elif current:
            current[2].append(line)
    flush()


def _parse_sections(law: Law, body: list[str]) -> None:
    """Documents without 第X条 (opinions, lists): each heading block becomes a numbered part."""
    label: str | None = None
    chunk: list[str] = []
    number = 0

    def flush() -> None:
        nonlocal number
        text = [ln for ln in chunk if ln and not ln.startswith(("---", "**原文链接", "<http"))]
        if text:
            number += 1
            law.articles[number] = Article(
                law.law_id, law.name, number, structure(clean_lines("\n".join(text))), label=label
            )

    for raw in body:
        line = raw.strip()
        if line.startswith("#"):
            flush()
            chunk = []
            label = line.lstrip("#").strip()
        elif line:
            chunk.append(line)
    flush()


def load_folder(folder: Path) -> tuple[list[Law], list[str]]:
    """All laws in a folder (recursively); also the problems met, one line each."""
    laws, problems = [], []
    for path in sorted(Path(folder).rglob("*.md")):
        try:
            law = parse_markdown(path, path.parent.name)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problems.append(f"{path.name}: 无法读取（{exc}）")
            continue
        if law is None:
            continue
        laws.append(law)
        problems += [f"{law.name}: {note}" for note in law.parse_notes]
    return laws, problems
