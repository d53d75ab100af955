"""Reading the files officers send (docx, pdf, txt, md), the limits, the normalisation of OCR and typing noise,
and the widened check (periods, 告知 of rights, 免罚清单 pointers, the sentence each finding comes from)."""

from __future__ import annotations

import pytest
from support.documents import CLEAN, DEFECTIVE, blank_pdf_bytes, docx_bytes, pdf_bytes

from knowledge.check import ERROR, WARNING, check_document, check_periods, check_rights, sentence_at
from knowledge.documents import MAX_BYTES, DocumentError, check_size, kind_of, normalise, read_document
from knowledge.exemptions import load_exemptions
from knowledge.texts import MSG_DOC_NO_TEXT_LAYER, MSG_DOC_TYPE, MSG_DOC_UNREADABLE


# --- reading -------------------------------------------------------------------------------------------
def test_docx_paragraphs_and_table_cells_are_read():
    text = read_document("决定书.docx", docx_bytes(DEFECTIVE, table=[("罚款金额", "人民币伍万元整")]))
    assert "《中华人民共和国大气污染防治法》第九十九条第二项" in text
    assert "罚款金额，人民币伍万元整" in text


def test_pdf_text_layer_is_read_and_a_scan_is_refused_with_advice():
    assert "第九十九条第二项" in read_document("决定书.PDF", pdf_bytes(DEFECTIVE))
    with pytest.raises(DocumentError) as err:
        read_document("扫描件.pdf", blank_pdf_bytes())
    assert str(err.value) == MSG_DOC_NO_TEXT_LAYER and "拍照" in str(err.value)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_text_files_in_utf8_and_gbk(encoding):
    assert read_document("决定书.txt", "\n".join(DEFECTIVE).encode(encoding)).startswith("某某市生态环境局")
    assert "伍万元" in read_document("决定书.md", "\n".join(DEFECTIVE).encode(encoding))


def test_unsupported_damaged_and_oversized_files_get_a_sentence():
    assert kind_of("决定书.doc") is None and kind_of("IMG_0001.JPG") == "image" and kind_of("a.docx") == "document"
    with pytest.raises(DocumentError) as err:
        read_document("决定书.doc", b"\xd0\xcf\x11\xe0")
    assert str(err.value) == MSG_DOC_TYPE and ".docx" in str(err.value)
    with pytest.raises(DocumentError) as err:
        read_document("决定书.docx", b"not a zip file")
    assert str(err.value) == MSG_DOC_UNREADABLE
    with pytest.raises(DocumentError) as err:
        check_size(MAX_BYTES + 1)
    assert "10 MB" in str(err.value)
    check_size(MAX_BYTES)  # the limit itself is allowed


# --- normalisation ---------------------------------------------------------------------------------------
def test_ocr_noise_is_normalised_before_parsing():
    noisy = "违法行为发生于２０２6年1O月12日，\n依据《中华人民共和国大气污染防治法》第 九十九 条\n的规定，处罚款５O０００元。"
    text = normalise(noisy)
    assert "2026年10月12日" in text
    assert "依据《中华人民共和国大气污染防治法》第九十九条的规定，处罚款50000元。" in text
    assert text.count("\n") == 0  # the page broke the sentence; the reading joins it


def test_author_line_breaks_are_kept_for_word_files():
    assert normalise("依据第一条\n决定如下", join_lines=False) == "依据第一条\n决定如下"
    assert normalise("某某市生态环境局\n行政处罚决定书") == "某某市生态环境局\n行政处罚决定书"  # titles stay apart


def _noisy(lines: list[str]) -> str:
    """The page as a phone OCR reads it: full-width digits, O for 0, lines broken mid-sentence."""
    text = "\n".join(lines).replace("2026年10月12日", "２０2６年1O月１２日")
    return text.replace("第一千一百零七条", "第一千一百\n零七条").replace("第九十九条", "第九十\n九条")


def test_noise_does_not_make_false_findings(corpus):
    assert [f for f in check_document(normalise(_noisy(CLEAN)), corpus) if f.severity == ERROR] == []
    # and it hides none: the noisy defective decision gets the findings of the clean text
    plain = [f.message for f in check_document("\n".join(DEFECTIVE), corpus)]
    assert len(plain) == 3
    assert [f.message for f in check_document(normalise(_noisy(DEFECTIVE)), corpus)] == plain


# --- the check -------------------------------------------------------------------------------------------
def test_defective_decision_findings_name_their_sentence(corpus):
    text = normalise("\n".join(DEFECTIVE), join_lines=False)
    findings = check_document(text, corpus)
    errors = [f for f in findings if f.severity == ERROR]
    repealed = [f for f in errors if "已于2026年8月15日被《生态环境法典》废止" in f.message]
    assert any("第一千一百零七条" in f.message for f in repealed)
    assert any(f.sentence == "依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，" for f in repealed)
    [low] = [f for f in errors if "低于" in f.message]
    assert low.message == "罚款五万元，低于《生态环境法典》第一千一百零七条法定最低十万元"
    assert low.sentence == "本局决定对你单位处罚款人民币伍万元整。"


def test_clean_decision_has_no_errors(corpus):
    assert [f for f in check_document("\n".join(CLEAN), corpus) if f.severity == ERROR] == []


def test_exemption_items_for_the_cited_article_are_pointed_out_as_hints(corpus):
    findings = check_document("\n".join(CLEAN), corpus, exemptions=load_exemptions())
    hints = [f for f in findings if f.severity == WARNING and "不予处罚" in f.message]
    assert hints and all("废气" in f.message for f in hints)  # the 废水 item citing 1107 too is left out


@pytest.mark.parametrize(
    ("sentence", "what"),
    [
        ("可以在收到本决定书之日起三十日内向某某市人民政府申请行政复议", "申请行政复议"),
        ("也可以在三个月内依法向某某区人民法院提起行政诉讼", "提起行政诉讼"),
        ("如要求听证，应当在收到本告知书之日起三日内提出", "申请听证"),
        ("可以在收到本决定书之日起六十个工作日内申请行政复议", "申请行政复议"),  # 复议 counts calendar days
    ],
)
def test_wrong_periods_are_found(sentence, what):
    [finding] = check_periods(sentence + "。")
    assert finding.severity == ERROR and what in finding.message and finding.sentence == sentence


@pytest.mark.parametrize(
    "text",
    [
        "可以在收到本决定书之日起六十日内申请行政复议，也可以在六个月内向人民法院提起行政诉讼。",
        "如要求听证，应当在收到本告知书之日起五日内提出。",
        "如要求听证，应当在收到本告知书之日起5个工作日内提出。",
        # a suit against a 复议决定 has its own fifteen days (行政诉讼法第四十五条)
        "对复议决定不服的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼。",
    ],
)
def test_right_periods_pass(text):
    assert check_periods(text) == []


def test_periods_are_the_articles_own(corpus):
    """The periods checked are those the articles state (行政处罚法 64/85, 复议法 20, 诉讼法 46)."""
    assert "告知后五日内提出" in corpus.article("中华人民共和国行政处罚法", 64).text
    assert "\"五日\"" in corpus.article("中华人民共和国行政处罚法", 85).text.replace("“", "\"").replace("”", "\"")
    assert "工作日" in corpus.article("中华人民共和国行政处罚法", 85).text
    assert "六十日内提出行政复议申请" in corpus.article("中华人民共和国行政复议法", 20).text
    assert "六个月内提出" in corpus.article("中华人民共和国行政诉讼法", 46).text
    assert "陈述、申辩、要求听证等权利" in corpus.article("中华人民共和国行政处罚法", 44).text
    art63 = corpus.article("中华人民共和国行政处罚法", 63).text
    assert "应当告知当事人有要求听证的权利" in art63 and "责令关闭" in art63 and "吊销许可证件" in art63


def test_notice_without_the_rights_is_found():
    notice = "行政处罚事先告知书\n你单位超标排放废气，拟责令停业、关闭，并处罚款十五万元。"
    messages = [f.message for f in check_rights(notice)]
    assert any("陈述、申辩" in m and "第四十四条" in m for m in messages)
    assert any("要求听证" in m and "第六十三条" in m for m in messages)
    told = notice + "你单位有权进行陈述和申辩，有要求听证的权利。"
    assert check_rights(told) == []
    assert check_rights("行政处罚决定书\n决定处罚款十五万元。") == []  # a decision is not a notice
    only_one = "行政处罚事先告知书\n你单位超标排放废气，拟罚款十五万元。你单位可以进行陈述。"
    assert any("陈述、申辩" in f.message for f in check_rights(only_one))  # 申辩 is a right of its own
    stop = "行政处罚事先告知书\n拟责令停产、停业。你单位有权进行陈述和申辩。"
    assert any("要求听证" in f.message for f in check_rights(stop))


def test_the_fifteen_days_after_a_review_decision_are_the_articles_own(corpus):
    assert "收到复议决定书之日起十五日内向人民法院提起诉讼" in corpus.article("中华人民共和国行政诉讼法", 45).text


def test_sentence_at_narrows_a_long_sentence_to_its_clause():
    text = "经查，" + "某" * 90 + "，依据《大气污染防治法》第九十九条，决定罚款。"
    assert sentence_at(text, text.index("《")) == "依据《大气污染防治法》第九十九条，"


def test_a_fine_only_an_escalation_allows_is_pointed_out_unless_the_document_states_it(corpus):
    # 第一千一百九十一条第二款: 五千至五万; 拒不改正的，五万至二十万 (read from the article, not assumed)
    text = corpus.article("中华人民共和国生态环境法典", 1191).paragraphs[1].text
    assert "处五千元以上五万元以下的罚款；拒不改正的，处五万元以上二十万元以下的罚款" in text
    base = ("经查，你单位于2026年10月12日居民住宅区安装共用设施设备未采取减少振动、降低噪声的措施{told}。"
            "依据《中华人民共和国生态环境法典》第一千一百九十一条第二款第一项的规定，决定处罚款人民币拾万元整。")
    [hint] = [f for f in check_document(base.format(told=""), corpus) if "一般情形" in f.message]
    assert hint.severity == WARNING and "「拒不改正的」" in hint.message
    assert not [f for f in check_document(base.format(told="，经责令改正，拒不改正"), corpus) if "一般情形" in f.message]
    # inside the ordinary range: nothing to say
    ordinary = base.format(told="").replace("拾万元", "贰万元")
    assert not [f for f in check_document(ordinary, corpus) if "一般情形" in f.message]
