"""Photos of a printed decision, rendered from text with a CJK font (straight and skewed), read by the real OCR
engine (models inside the rapidocr-onnxruntime package) and checked like a file."""

from __future__ import annotations

import pytest
from support.documents import CLEAN, DEFECTIVE, photo_bytes

from bot.services.documents import DocumentCheckService
from knowledge.check import ERROR
from knowledge.documents import DocumentError
from knowledge.ocr import PageReader, engine_problem
from knowledge.texts import MSG_OCR_NOTHING

pytestmark = pytest.mark.skipif(engine_problem() is not None, reason=f"OCR engine: {engine_problem()}")


@pytest.fixture(scope="module")
def reader() -> PageReader:
    return PageReader()


@pytest.fixture(scope="module")
def service(kb, reader) -> DocumentCheckService:
    return DocumentCheckService(kb, reader)


@pytest.mark.parametrize("skew", [0.0, 4.0])
def test_a_photographed_decision_is_read_and_checked(service, skew):
    report = service.check_photos_now([photo_bytes(DEFECTIVE, skew=skew)])
    assert report.ocr and report.pages == 1
    assert "《中华人民共和国大气污染防治法》第九十九条第二项" in report.text
    messages = [f.message for f in report.errors]
    assert any("废止" in m and "第一千一百零七条" in m for m in messages)
    assert "罚款五万元，低于《生态环境法典》第一千一百零七条法定最低十万元" in messages


def test_a_photographed_clean_decision_comes_back_clean(service):
    report = service.check_photos_now([photo_bytes(CLEAN, skew=2.0)])
    assert "第一千一百零七条" in report.text and "拾伍万元" in report.text
    assert report.clean, [f.message for f in report.errors]


def test_pages_of_an_album_are_read_in_order(service):
    first, second = DEFECTIVE[:6], DEFECTIVE[6:]
    report = service.check_photos_now([photo_bytes(first), photo_bytes(second)])
    assert report.pages == 2
    assert report.text.index("经查") < report.text.index("本局决定")
    assert any(f.severity == ERROR and "低于" in f.message for f in report.findings)


def test_a_photo_without_text_says_so(reader):
    with pytest.raises(DocumentError) as err:
        reader.read(photo_bytes([]))
    assert str(err.value) == MSG_OCR_NOTHING
