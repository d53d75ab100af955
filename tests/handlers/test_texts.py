"""The handlers' one error table: every outcome a service can report has a sentence, and the lookup fills
it in with escaped values; the feature namespaces of handlers/texts.py do not hide each other's names."""

from __future__ import annotations

import bot.services.errors as core_errors
import scheduler.case_tracker as case_tracker
import scheduler.org_service as org_service
from bot.services.errors import ServiceError
from handlers import texts
from handlers.common import error_text
from scheduler.case_tracker import BadCaseInput, CaseNotFound
from scheduler.org_service import BadOrgMonthDay


def _error_classes() -> list[type[ServiceError]]:
    found = []
    for module in (core_errors, case_tracker, org_service):
        found += [v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, ServiceError) and v.__module__ == module.__name__]
    return found


def test_every_service_error_has_a_sentence():
    missing = [cls.__name__ for cls in _error_classes() if cls.key not in texts.ERRORS]
    assert not missing, missing
    assert len(_error_classes()) >= 15


def test_the_lookup_escapes_and_fills_in():
    assert error_text(CaseNotFound(id=12)) == "找不到案件 #12（或您无权查看）。请核对案件编号。"
    assert error_text(BadCaseInput(reason="<b>x</b>")) == "&lt;b&gt;x&lt;/b&gt;"
    assert error_text(BadOrgMonthDay(month=2, day=30)) == "2月没有30日，例如：/orgdate 3 11-20"
    assert error_text(ServiceError()) == texts.ERRORS["error"]


def test_feature_texts_keep_their_own_meaning():
    # the same name in two features means two things: each namespace keeps its own
    assert texts.case.BUTTON_BACK == "返回" and texts.BUTTON_BACK == "上一步"
    assert texts.case.BUTTON_EXPIRED != texts.org.BUTTON_EXPIRED
