"""Whatever an officer sends — damaged files, odd bytes, OCR garbage — the document check answers with findings or
a DocumentError sentence, never an exception (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.check import check_document
from knowledge.documents import DOCUMENT_TYPES, DocumentError, normalise, read_document

# pieces officers' documents are made of, so that the check's parsers are exercised, not only skipped
PIECES = st.sampled_from([
    "《中华人民共和国大气污染防治法》", "《生态环境法典》", "大气法", "第九十九条", "第一千一百零七条", "第（二）项",
    "第二款", "罚款", "人民币伍万元整", "50000元", "5万元", "2026年10月12日", "二〇二六年十月", "六十日内",
    "申请行政复议", "六个月内", "提起行政诉讼", "听证", "五日内", "告知书", "陈述", "申辩", "责令停业、关闭",
    "情节严重的", "拒不改正", "，", "。", "；", "\n", " ", "O", "〇", "１", "第", "条", "项", "法",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, join=st.booleans())
def test_check_never_raises_on_any_text(corpus, text, join):
    for f in check_document(normalise(text, join), corpus):
        assert f.severity in ("错误", "提示") and f.message


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(DOCUMENT_TYPES))
def test_any_bytes_read_as_text_or_refused_with_a_sentence(data, suffix):
    try:
        text = read_document(f"文件{suffix}", data)
    except DocumentError as err:
        assert str(err)
    else:
        assert text.strip()


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_zip_or_pdf_header_with_garbage_is_refused(suffix):
    with pytest.raises(DocumentError):
        read_document(f"文件{suffix}", (b"PK\x03\x04" if suffix == ".docx" else b"%PDF-1.7\n") + b"\x00garbage" * 50)


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_normalise_keeps_chinese_punctuation_and_never_raises(text):
    out = normalise(text)
    for mark in "，。；《》":
        assert out.count(mark) == text.count(mark)
