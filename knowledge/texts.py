"""Chinese messages of the knowledge engine (kept in one place for review)."""

EMPTY_QUERY = "请输入要查询的问题或条文，例如：“大气法99条”“企业未批先建怎么罚”。"
NOTHING_FOUND = (
    "没有找到相关条文。可以换个说法再试：\n"
    "· 直接引用条文，如“法典1107条”“处罚法第33条”；\n"
    "· 描述违法情形，如“危废没贴标识怎么罚”“无证排污按哪条”。"
)
AMBIGUOUS_LAW = "“{text}”可能指：{options}。请写全法律名称再问一次。"
