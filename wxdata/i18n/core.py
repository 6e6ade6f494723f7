"""Strings of ``wxdata.core`` and ``wxdata.config``: dates and weeks, settings, payloads, sources.

Each message says what happened and what to do.
"""

from __future__ import annotations

CORE_MESSAGES: dict[str, tuple[str, str]] = {
    # dates and weeks
    "date.bad_date": (
        "无法识别日期 “{value}”,请使用 YYYY-MM-DD 格式,例如 2026-11-02。",
        "“{value}” is not a date. Use YYYY-MM-DD, for example 2026-11-02.",
    ),
    "date.bad_week": (
        "无法识别周 “{value}”,请使用 2026-W45 这样的格式或该周内的任一日期。",
        "“{value}” is not a week. Use a form like 2026-W45, or any date inside the week.",
    ),
    "date.bad_week_count": (
        "周数必须至少为 1(收到 {value})。",
        "The number of weeks must be at least 1 (got {value}).",
    ),
    "date.too_early": (
        "微信的数据分析接口从 2017 年才有数据:{value} 太早了。请从 {earliest} 或之后开始。",
        "WeChat's analysis API has data from 2017 on: {value} is too early. Start on {earliest} "
        "or later.",
    ),
    "date.out_of_range": (
        "{value} 不是一个可用的日期(年份应在 1900 到 2999 之间)。",
        "{value} is not a usable date (years run from 1900 to 2999).",
    ),
    "date.too_many_weeks": (
        "{first} 至 {last} 共 {n} 周,超过了单次上限 {most} 周"
        "(每周都要调用一次接口,占用全公司共享的每日配额)。"
        "请缩短时间范围;确实需要时,用 --max-weeks {n} 放宽上限。",
        "{first} to {last} is {n} weeks, more than the limit of {most} (each week is one API "
        "call of the daily quota the whole company shares). Narrow the span, or pass "
        "--max-weeks {n} if you really mean it.",
    ),
    "date.not_monday": (
        "{day} 不是周一;自然周从周一开始。",
        "{day} is not a Monday; natural weeks start on Monday.",
    ),
    "date.not_natural_week": (
        "{begin}..{end} 不是一个自然周:开始日期必须是周一,结束日期是同一周的周日。",
        "{begin}..{end} is not a natural week: begin on a Monday and end on the Sunday after it.",
    ),
    "date.bad_ref_date": (
        "ref_date “{value}” 的格式不对:周留存应为 yyyymmdd-yyyymmdd,日留存 yyyymmdd,"
        "月留存 yyyymm。",
        "ref_date “{value}” is malformed; expected yyyymmdd-yyyymmdd (weekly), yyyymmdd "
        "(daily) or yyyymm (monthly).",
    ),
    "date.not_first_of_month": (
        "{day} 不是某月 1 日;自然月从 1 日开始。",
        "{day} is not the first of a month; natural months start on the 1st.",
    ),
    "date.not_natural_day": (
        "{begin}..{end} 不是一天:日留存的开始和结束日期必须是同一天。",
        "{begin}..{end} is not one day: daily retention begins and ends on the same day.",
    ),
    "date.not_natural_month": (
        "{begin}..{end} 不是一个自然月:开始日期必须是 1 日,结束日期是同月最后一天。",
        "{begin}..{end} is not a natural month: begin on the 1st and end on the month's last "
        "day.",
    ),
    "date.bad_month": (
        "无法识别月份 “{value}”,请使用 2026-11 这样的格式或该月内的任一日期。",
        "“{value}” is not a month. Use a form like 2026-11, or any date inside the month.",
    ),
    "date.bad_period": (
        "无法识别周期 “{value}”:请用 day(日)、week(周)或 month(月)。",
        "“{value}” is not a period: use day, week or month.",
    ),
    "date.bad_day_count": (
        "天数必须至少为 1(收到 {value})。",
        "The number of days must be at least 1 (got {value}).",
    ),
    "date.bad_month_count": (
        "月数必须至少为 1(收到 {value})。",
        "The number of months must be at least 1 (got {value}).",
    ),
    "date.too_many_days": (
        "{first} 至 {last} 共 {n} 天,超过了单次上限 {most} 天"
        "(每天都要调用一次接口,占用全公司共享的每日配额)。"
        "请缩短时间范围;确实需要时,用 --max-days {n} 放宽上限。",
        "{first} to {last} is {n} days, more than the limit of {most} (each day is one API "
        "call of the daily quota the whole company shares). Narrow the span, or pass "
        "--max-days {n} if you really mean it.",
    ),
    "date.too_many_months": (
        "{first} 至 {last} 共 {n} 个月,超过了单次上限 {most} 个月"
        "(每个月都要调用一次接口,占用全公司共享的每日配额)。"
        "请缩短时间范围;确实需要时,用 --max-months {n} 放宽上限。",
        "{first} to {last} is {n} months, more than the limit of {most} (each month is one "
        "API call of the daily quota the whole company shares). Narrow the span, or pass "
        "--max-months {n} if you really mean it.",
    ),
    "date.no_ended_day": (
        "{start}..{end} 中没有已结束的一天(按北京时间)。最近一个已结束的日子是 {last},"
        "请选择更早的日期。",
        "No day in {start}..{end} has ended yet (China time). The newest ended day is {last}; "
        "choose earlier dates.",
    ),
    "date.no_ended_month": (
        "{start}..{end} 中没有已结束的自然月(按北京时间)。最近一个已结束的月份是 {last},"
        "请选择更早的日期。",
        "No natural month in {start}..{end} has ended yet (China time). The newest ended "
        "month is {last}; choose earlier dates.",
    ),
    "date.end_before_start": (
        "结束日期 {end} 早于开始日期 {start},请交换后重试。",
        "The end date {end} is before the start date {start}. Swap them and try again.",
    ),
    "date.no_ended_week": (
        "{start}..{end} 中没有已结束的自然周(按北京时间)。最近一个已结束的周是 {last},"
        "请选择更早的日期。",
        "No natural week in {start}..{end} has ended yet (China time). The newest ended week "
        "is {last}; choose earlier dates.",
    ),
    # payloads (answers and saved files)
    "payload.not_an_object": (
        "{week} 的返回内容不是 JSON 对象,已忽略(不会写入缓存)。",
        "The answer for {week} is not a JSON object; it was ignored (not cached).",
    ),
    "payload.not_a_list": (
        "{week} 的返回字段 {field} 不是列表,已忽略(不会写入缓存)。",
        "Field {field} of the answer for {week} is not a list; ignored (not cached).",
    ),
    "payload.bad_key": (
        "{week} 的 {field} 中有无效的 key:{item}(该接口的 key 只能是 {keys})。",
        "{week}: {field} has an invalid key in {item} (its API has keys {keys} only).",
    ),
    "payload.bad_value": (
        "{week} 的 {field} 中有无效的人数:{item}(人数必须是 0 到 {most} 之间的整数)。",
        "{week}: {field} has an invalid user count in {item} (whole numbers from 0 to {most}).",
    ),
    "payload.too_many_keys": (
        "{week} 的 {field} 有 {n} 项,该接口最多只有 {keys} 这几项。",
        "{week}: {field} has {n} items; its API has keys {keys} only.",
    ),
    "payload.too_many_answers": (
        "文件里有 {n} 个回答,一个文件最多 {most} 个。请把文件拆小后再导入。",
        "The file holds {n} answers; a file may hold at most {most}. Split it and import the "
        "parts.",
    ),
    "payload.too_many_day_answers": (
        "文件里有 {n} 天的回答,一个文件最多 {most} 天。请把文件拆小后再导入。",
        "The file holds answers for {n} days; a file may hold at most {most} days. Split it "
        "and import the parts.",
    ),
    "payload.too_many_week_answers": (
        "文件里有 {n} 周的回答,一个文件最多 {most} 周。请把文件拆小后再导入。",
        "The file holds answers for {n} weeks; a file may hold at most {most} weeks. Split it "
        "and import the parts.",
    ),
    "payload.too_many_month_answers": (
        "文件里有 {n} 个月的回答,一个文件最多 {most} 个月。请把文件拆小后再导入。",
        "The file holds answers for {n} months; a file may hold at most {most} months. Split "
        "it and import the parts.",
    ),
    "payload.conflicting_week": (
        "文件里 {week} 出现了不止一次,而且第 {index} 个回答的数字和前面的不同。"
        "请只保留一份再导入。",
        "{week} appears more than once in the file, and answer {index} has other numbers than "
        "the first. Keep one of them and import again.",
    ),
    "payload.too_big": (
        "文件超过 {mb} MB,不是保存的留存回答。请检查选的文件。",
        "The file is larger than {mb} MB; saved retention answers are far smaller. Check the "
        "file.",
    ),
    "payload.not_a_file": (
        "这不是一个普通文件(是文件夹、设备或管道),不能导入。",
        "This is not a regular file (a folder, device or pipe) and cannot be imported.",
    ),
    "payload.too_deep": (
        "文件的 JSON 嵌套层数太多,不是保存的周留存回答。请检查选的文件。",
        "The file's JSON is nested far deeper than any saved answer. Check the file.",
    ),
    "payload.duplicate_key": (
        "{week} 的 {field} 中 key {key} 出现了两次。",
        "{week}: key {key} appears twice in {field}.",
    ),
    "payload.missing_field": (
        "{week} 的返回内容缺少字段 {field}。",
        "The answer for {week} has no field {field}.",
    ),
    "payload.bad_ref_date": (
        "{week} 的 ref_date “{value}” 不是一个自然日、自然周(周一至周日)或自然月。",
        "{week}: ref_date “{value}” is not a natural day, week (Monday to Sunday) or month.",
    ),
    "payload.wrong_week": (
        "请求的是 {week},返回的却是 {got};已忽略(不会写入缓存)。",
        "Asked for {week} but the answer is for {got}; ignored (not cached).",
    ),
    "payload.error_answer": (
        "这不是留存数据,而是微信的错误回答(errcode {errcode}:{errmsg})。"
        "请保存一次调用成功时的回答再导入。",
        "This is not retention data but an error answer from WeChat (errcode {errcode}: "
        "{errmsg}). Save the answer of a call that succeeded and import that.",
    ),
    "payload.cloud_error": (
        "{week} 的云调用返回了错误:{errmsg}",
        "The cloud call for {week} answered with an error: {errmsg}",
    ),
    "payload.empty_file": (
        "文件是空列表,没有可导入的数据。",
        "The file is an empty list; there is nothing to import.",
    ),
    "payload.in_item": (
        "第 {index} 条记录无效:{reason}",
        "Item {index} is invalid: {reason}",
    ),
    "payload.not_utf8": (
        "文件不是 UTF-8 编码的文本,请上传接口返回的 JSON 原文。",
        "The file is not UTF-8 text; upload the JSON exactly as the API returned it.",
    ),
    "payload.not_json": (
        "文件不是有效的 JSON(第 {line} 行第 {column} 列),请上传接口返回的 JSON 原文。",
        "The file is not valid JSON (line {line}, column {column}); upload the JSON exactly as "
        "the API returned it.",
    ),
    # configuration
    "config.output_folder": (
        "{path} 是一个文件夹:请给出要写入的文件名,例如 {path}/retention.csv。",
        "{path} is a folder: give the name of the file to write, e.g. {path}/retention.csv.",
    ),
    "config.output_special": (
        "{path} 不是普通文件(是设备、管道或套接字),不会写入。要写到标准输出请用 -o -,"
        "或者用 shell 重定向。",
        "{path} is not a regular file (a device, pipe or socket) and is not written to. For "
        "stdout use -o -, or redirect with the shell.",
    ),
    "config.output_no_folder": (
        "无法写入 {path}:文件夹 {folder} 不存在。",
        "Cannot write {path}: the folder {folder} does not exist.",
    ),
    "config.output_unusable": (
        "无法使用 {path}({detail}),请检查路径和权限。",
        "Cannot use {path} ({detail}); check the path and its permissions.",
    ),
    "config.unreadable": (
        "无法读取配置文件 {path}:{detail}",
        "Cannot read the settings file {path}: {detail}",
    ),
    "config.bad_app": (
        "配置文件 {path} 中第 {index} 个小程序缺少 {field}。"
        "每个 [[wxdata.apps]] 需要 name、appid 和 secret。",
        "App {index} in {path} has no {field}. Each [[wxdata.apps]] needs name, appid and secret.",
    ),
    "config.bad_value": (
        "设置 {name} 的值 “{value}” 无效:{hint}",
        "Setting {name} has an invalid value “{value}”: {hint}",
    ),
    "config.unknown_app": (
        "没有名为 “{app}” 的小程序。已配置:{known}。",
        "No mini program is called “{app}”. Configured: {known}.",
    ),
    "config.bad_access": (
        "访问设置 [{where}] 中的 “{value}” 无法使用:每条规则是完整邮箱(pm@corp.cn)或以 @ 开头的域名"
        "(@corp.cn),每个表只能有 viewers 和 admins(顶层 [access] 还可以有 contact)。",
        "The access setting [{where}] has “{value}”, which cannot be used: a rule is a whole "
        "address (pm@corp.cn) or a domain starting with @ (@corp.cn), and a table holds only "
        "viewers and admins ([access] itself may also have contact).",
    ),
    "config.weak_cookie_secret": (
        "[auth] 的 cookie_secret 太短(至少 {n} 个字符),别人可能猜到并伪造登录身份。请用 "
        "python -c \"import secrets; print(secrets.token_hex(32))\" 生成一个。",
        "The cookie_secret of [auth] is too short (at least {n} characters): someone could guess "
        "it and forge a signed-in identity. Make one with "
        "python -c \"import secrets; print(secrets.token_hex(32))\".",
    ),
    "config.access_without_auth": (
        "配置了访问规则([access] 或 [auth]),但看板读取的 Streamlit secrets 中没有 [auth],"
        "因此无法登录。为避免所有人看到所有小程序,看板不显示任何数据。请把 [auth] 和 [access] "
        "放进 .streamlit/secrets.toml(或 Streamlit 的 secrets.files 指向的文件)。",
        "Access rules are configured ([access] or [auth]) but the Streamlit secrets the dashboard "
        "reads have no [auth], so nobody can sign in. Rather than show every mini program to "
        "everyone, the dashboard shows no data. Put [auth] and [access] in "
        ".streamlit/secrets.toml (or the file Streamlit's secrets.files names).",
    ),
    # sources
    "source.demo_out_of_range": (
        "示例数据只覆盖最近两年({first} 起),{week} 没有示例数据。",
        "The demo data covers the last two years only (from {first}); {week} has none.",
    ),
    "source.not_in_file": (
        "导入的文件中没有 {week} 的数据。",
        "The imported files hold no data for {week}.",
    ),
    "config.live_without_apps": (
        "已选择实时数据(WXDATA_SOURCE=live),但没有配置任何小程序。请在 .streamlit/secrets.toml "
        "中添加 [[wxdata.apps]],或设置 WXDATA_APPID 和 WXDATA_SECRET。",
        "Live data was chosen (WXDATA_SOURCE=live) but no mini program is configured. Add "
        "[[wxdata.apps]] to .streamlit/secrets.toml, or set WXDATA_APPID and WXDATA_SECRET.",
    ),
    # holidays (core/holidays.py): short names, as a chart mark or a flag says them
    "holiday.new_years_day": ("元旦", "New Year"),
    "holiday.spring_festival": ("春节", "Spring Festival"),
    "holiday.tomb_sweeping_day": ("清明", "Qingming"),
    "holiday.labour_day": ("劳动节", "Labour Day"),
    "holiday.dragon_boat_festival": ("端午", "Dragon Boat"),
    "holiday.national_day": ("国庆", "National Day"),
    "holiday.mid_autumn_festival": ("中秋", "Mid-Autumn"),
    "holiday.anti_fascist_70th_day": ("抗战胜利纪念日", "Victory Day"),
    "holiday.workday": ("{name}调休上班", "{name} make-up workday"),
    "holiday.uncovered": (
        "节假日日历只到 {last} 年:{years} 年的法定假日和调休没有标出。"
        "升级 chinese-calendar 包后即可标出。",
        "The holiday calendar ends with {last}: public holidays and make-up workdays of {years} "
        "are not marked. Upgrade the chinese-calendar package to mark them.",
    ),
    # goals (core/goals.py)
    "config.bad_goal_name": (
        "{where} 中的目标 “{name}” 无法识别:请写成 指标_周期偏移,例如 new_d1(新增次日)、"
        "new_w1(新增次周)、active_m1;偏移须是微信公布的(日 0-7、14、30,周 0-4,月 0-1)。",
        "The goal “{name}” in {where} is not understood: write metric_offset, e.g. new_d1 (new "
        "users, day 1), new_w1, active_m1; the offset must be one WeChat publishes (days 0-7, "
        "14, 30; weeks 0-4; months 0-1).",
    ),
    "config.bad_goal_value": (
        "{where} 中目标 {name} 的值 “{value}” 无效:请写 0 到 1 之间的比例,例如 35% 写成 0.35。",
        "The goal {name} in {where} has the value “{value}”: write a fraction between 0 and 1, "
        "for example 0.35 for 35 %.",
    ),
    "config.bad_goal_table": (
        "{where} 应是一个表,例如 goals = {{ new_d1 = 0.35, new_w1 = 0.30 }}。",
        "{where} should be a table, for example goals = {{ new_d1 = 0.35, new_w1 = 0.30 }}.",
    ),
    # visit trend and quota answers (core/visits.py)
    "payload.bad_visit_value": (
        "{week} 的访问趋势中 {field} 不是有效的人数:{item}。这份回答已忽略。",
        "{week}: {field} of the visit trend is not a valid count: {item}. The answer was "
        "ignored.",
    ),
    "payload.bad_visit_ref_date": (
        "{week} 的访问趋势里 ref_date “{value}” 无法识别,这份回答已忽略。",
        "{week}: the visit trend's ref_date “{value}” is not understood; the answer was "
        "ignored.",
    ),
    "payload.no_visit_row": (
        "微信的访问趋势回答里没有 {week} 这一行(可能还没算好),稍后再查。",
        "WeChat's visit trend answer has no row for {week} (perhaps not computed yet); try "
        "again later.",
    ),
}
