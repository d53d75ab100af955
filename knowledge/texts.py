"""Chinese messages of the knowledge engine (kept in one place for review)."""

EMPTY_QUERY = "请输入要查询的问题或条文，例如：“大气法99条”“企业未批先建怎么罚”。"
NOTHING_FOUND = (
    "没有找到相关条文。可以换个说法再试：\n"
    "· 直接引用条文，如“法典1107条”“处罚法第33条”；\n"
    "· 描述违法情形，如“危废没贴标识怎么罚”“无证排污按哪条”。"
)
AMBIGUOUS_LAW = "“{text}”可能指：{options}。请写全法律名称再问一次。"

# lawbot map
MSG_NO_CITATION = "没有识别出条文，请写成“大气法99条”或“《大气污染防治法》第九十九条第一项”"
MSG_NOT_REPEALED = "《{law}》不是法典废止的法律"
MSG_NO_SUCCESSOR = "{cite}：法典中未找到对应条文"
MSG_DROPPED = "  法典未保留：{what}（经逐条核对，法典中已无承接这一规定的条文）"
MSG_UNSURE_SUCCESSOR = "{cite}：未找到确定的对应条文。以下只是候选，请对照条文核实："
SUCCESSOR_SNIPPET = "原《{law}》第{article}条的继受条文（匹配置信度 {confidence:.2f}）"
CANDIDATE_SNIPPET = "原《{law}》第{article}条：未找到确定的对应条文，这是候选之一（匹配置信度 {confidence:.2f}），请核实"

# /exempt verdicts (knowledge.exemptions.decide)
LIST_SAYS_MAY = "依法可以不予行政处罚"
LIST_SAYS_MUST = "不予行政处罚"
VERDICT_NOT_MET = "不符合本清单项的条件，本项不能作为不予处罚的依据；是否另有从轻、减轻情节，按裁量基准个案判断。"
VERDICT_LIST_DECIDED = "法律上属于“可以不予处罚”的裁量情形；本清单已统一裁量，对符合条件的规定为不予行政处罚。"
VERDICT_EDUCATE = "{sentence}（第三十三条第三款）。"
VERDICT_CODE_RESTATES = "生态环境法典第一千零五十六条第二款（2026-08-15施行）重申了上述两种不予处罚情形。"
LIST_EXPIRED = "清单已于{day}失效：只能说明当时的决定，现在办案请核对当地现行清单。"
LIST_DATE_UNKNOWN = "清单施行日期不明，使用前请核对原文。"
LIST_NOT_YET = "清单自{day}起施行，此前不适用。"
LIST_INCOMPLETE = "本清单只收录了部分条目（来源不完整）。"

# citation notices (knowledge.citations)
MSG_NO_ARTICLE = "《{law}》共{total}条，没有第{article}条"
MSG_ARTICLE_MISSING = "本库收录的《{law}》中没有第{article}条"
MSG_NO_PARAGRAPH = "《{law}》第{article}条共{total}款，没有第{paragraph}款"
MSG_NO_ITEM = "《{law}》第{article}条{paragraph}没有第{item}项"
MSG_AMBIGUOUS = "“{text}”可能指{candidates}，请说明是哪一部"
MSG_UNKNOWN_LAW = "没有找到“{text}”，请核对法律名称"
MSG_NO_LAW = "请说明是哪部法律的第{article}条"

# document check findings (knowledge.check)
MSG_REPEALED = "《{law}》已于2026年8月15日被《生态环境法典》废止，违法行为发生于{when}，应引用《生态环境法典》{target}"
MSG_REPEALED_NO_TARGET = "《{law}》已于2026年8月15日被《生态环境法典》废止，违法行为发生于{when}，请改引法典相应条文（未找到对应条文，请人工核对）"
MSG_FINE_LOW = "罚款{fine}，低于{cite}法定最低{low}"
MSG_FINE_HIGH = "罚款{fine}，高于{cite}法定最高{high}"
MSG_FINE_REDUCED = ("罚款{fine}低于{cite}法定最低{low}，文书写明减轻处罚：须属于《行政处罚法》第三十二条规定的情形，"
                    "并写明理由，请核对")
MSG_FINE_ESCALATED = "罚款{fine}超出{cite}一般情形的幅度，只在「{condition}」时适用，决定书未写明该情节，请核对"
MSG_MEASURE = "决定中“{measure}”，{cite}未规定该处罚措施"
MSG_CODE_BEFORE = "违法行为发生于{when}（法典施行前），引用法典{cite}须说明适用从旧兼从轻（行政处罚法第三十七条）"
MSG_PERIOD = "文书写明{what}期限为“{stated}”，{cite}规定为{legal}"
MSG_RIGHTS_MISSING = "告知书未告知当事人{right}的权利（{cite}）"
MSG_EXEMPTION_HINT = "可能适用{list}第{number}项（{title}），请核对是否符合不予处罚的条件"

# documents sent in chat (knowledge.documents, knowledge.ocr)
MSG_DOC_TOO_LARGE = "文件超过 {limit} MB，无法核验。请只发送决定书或告知书正文"
MSG_DOC_TYPE = "只能核验 Word（.docx）、PDF、文本（.txt/.md）文件或照片。旧版 .doc 请另存为 .docx 后再发送"
MSG_DOC_UNREADABLE = "文件无法读取，可能已损坏或格式与扩展名不符"
MSG_DOC_EMPTY = "文件中没有文字"
MSG_DOC_NO_TEXT_LAYER = "这份 PDF 没有文字层（可能是扫描件）。请把页面拍照发送，我来识别"
MSG_DOC_ENCRYPTED = "这份 PDF 已加密，无法读取。请发送未加密的文件"
MSG_OCR_NOTHING = "照片中没有识别出文字。请正对页面、光线充足、字迹清晰后重拍"
MSG_OCR_UNAVAILABLE = "本机未安装文字识别组件，暂时无法识别照片。请发送 Word 或 PDF 文件"
