"""Strings of ``wxdata.dashboard`` that name days and months: the sidebar's 日 / 周 / 月 switch and
spans, and the daily and monthly texts of every page (the weekly ones are in ``dashboard.py``,
which merges these into its catalogue).
"""

from __future__ import annotations

DASHBOARD_PERIOD_MESSAGES: dict[str, tuple[str, str]] = {
    "period.day": ("日", "Day"),
    "period.week": ("周", "Week"),
    "period.month": ("月", "Month"),
    "sidebar.period": ("周期", "Period"),
    "sidebar.period.help": (
        "按自然日、自然周或自然月看留存(微信的日、周、月留存接口),所有页面随之切换。",
        "Retention by natural day, week or month (WeChat's daily, weekly and monthly APIs); "
        "every page follows.",
    ),
    "sidebar.span.last.day": ("最近 {n} 天", "Last {n} days"),
    "sidebar.span.last.month": ("最近 {n} 个月", "Last {n} months"),
    "sidebar.span.days": ("{first} 至 {last},共 {n} 天(北京时间)",
                          "{first} to {last}: {n} days (China time)"),
    "sidebar.span.months": ("{first} 至 {last},共 {n} 个自然月(北京时间)",
                            "{first} to {last}: {n} calendar months (China time)"),
    "sidebar.range.day": ("起止日期", "From – to"),
    "sidebar.range.month": ("起止日期(自动对齐到自然月)", "From – to (snapped to calendar months)"),
    "sidebar.range.help.day": (
        "今天尚未结束,不会计入。最多显示最近 {n} 天。",
        "Today has not ended and is left out. At most the newest {n} days are shown.",
    ),
    "sidebar.range.help.month": (
        "所选日期会扩展到完整的自然月;本月尚未结束,不会计入。最多显示最近 {n} 个月。",
        "Dates are widened to whole calendar months; this month has not ended and is left out. "
        "At most the newest {n} months are shown.",
    ),
    "sidebar.range.shortened.day": (
        "一次最多查看 {n} 天:从 {first} 开始。", "At most {n} days at a time: from {first} on.",
    ),
    "sidebar.range.shortened.month": (
        "一次最多查看 {n} 个月:从 {first} 开始。",
        "At most {n} months at a time: from {first} on.",
    ),
    "status.loading.day": ("正在加载 {n} 天的数据…", "Loading {n} days of data…"),
    "status.loading.month": ("正在加载 {n} 个月的数据…", "Loading {n} months of data…"),
    "status.provisional.day": (
        "{n} 天数据未定:微信在之后 30 天内仍会补充这些天的留存。",
        "{n} days are provisional: WeChat adds to them over the next 30 days.",
    ),
    "status.provisional.month": (
        "{n} 个月数据未定:微信在下个月结束后才补充次月留存。",
        "{n} months are provisional: WeChat adds M1 once the next month has ended.",
    ),
    "status.failed.day": ("{n} 天加载失败", "{n} days failed to load"),
    "status.failed.month": ("{n} 个月加载失败", "{n} months failed to load"),
    "status.these.day": ("这些天", "these days"),
    "status.these.month": ("这些月", "these months"),
    "empty.no_periods.day": (
        "所选范围内没有已结束的日期(今天尚未结束)。请在左侧栏选择更早的日期或“最近 N 天”。",
        "No day in the chosen range has ended yet (today has not). Choose earlier dates or "
        "“Last N days” in the sidebar.",
    ),
    "empty.no_periods.month": (
        "所选范围内没有已结束的自然月。请在左侧栏选择更早的日期或“最近 N 个月”。",
        "No calendar month in the chosen range has ended yet. Choose earlier dates or "
        "“Last N months” in the sidebar.",
    ),
    "warn.partial.day": (
        "有 {n} 天的数据没有加载成功,图表中这些天为空;其余照常显示。",
        "{n} days could not be loaded and are blank in the charts; the others are shown.",
    ),
    "warn.partial.month": (
        "有 {n} 个月的数据没有加载成功,图表中这些月为空;其余照常显示。",
        "{n} months could not be loaded and are blank in the charts; the others are shown.",
    ),
    "page.overview.anomalies.day": (
        "异常日(点击在热力图中查看)", "Flagged days (open in the heatmap)",
    ),
    "page.overview.anomalies.month": (
        "异常月(点击在热力图中查看)", "Flagged months (open in the heatmap)",
    ),
    "page.overview.older.day": ("另外 {n} 个更早的异常日", "{n} earlier flagged days"),
    "page.overview.older.month": ("另外 {n} 个更早的异常月", "{n} earlier flagged months"),
    "page.overview.no_anomaly.day": (
        "所选范围内没有超出正常波动范围的日期。", "No day in the span is outside its usual range.",
    ),
    "page.overview.no_anomaly.month": (
        "所选范围内没有超出正常波动范围的月份。",
        "No month in the span is outside its usual range.",
    ),
    "page.heatmap.caption.day": (
        "每行是一个批次(当天的新增或活跃用户),每列是之后第几天仍回访的比例"
        "(微信发布 1~7、14、30 日)。橙色的行是周末。空白格表示微信尚未发布。",
        "Each row is a cohort (the day's new or active users); each column is the share that "
        "came back that many days later (WeChat publishes days 1..7, 14 and 30). Orange rows are "
        "weekends. Blank cells are not published by WeChat yet.",
    ),
    "page.heatmap.caption.month": (
        "每行是一个批次(当月的新增或活跃用户),M1 是下个月仍回访的比例(微信只发布次月)。"
        "空白格表示微信尚未发布。",
        "Each row is a cohort (the month's new or active users); M1 is the share that came back "
        "the month after (the only month WeChat publishes). Blank cells are not published yet.",
    ),
    "page.curves.horizon.day": ("第 {n} 天", "day {n}"),
    "page.curves.no_fit.month": (
        "微信的月留存只发布首月和次月 (M0、M1),两个点拟合不出衰减曲线;这里只画已发布的部分。",
        "WeChat's monthly retention publishes M0 and M1 only: two points fit no decay curve, so "
        "only what is published is drawn.",
    ),
    "page.curves.fit.day": (
        "预测模型:{model}(与加权平均的均方根误差 {rmse} 个百分点,{cohorts} 个批次)。预计第 "
        "{horizon} 天留存 {rate}(范围 {low} ~ {high},包含所有未能排除的模型);微信只发布到 30 日,"
        "之后是模型的外推。",
        "Model: {model} (RMSE against the weighted average {rmse} pp over {cohorts} cohorts). "
        "Projected day-{horizon} retention {rate} (range {low} to {high}, spanning every model "
        "not ruled out); WeChat publishes up to day 30, beyond it is the models' extrapolation.",
    ),
    "page.week_over_week.title.day": ("日环比", "Day over day"),
    "page.week_over_week.title.month": ("月环比", "Month over month"),
    "page.week_over_week.table.day": ("逐日对比", "Cohort by cohort"),
    "page.week_over_week.table.month": ("逐月对比", "Cohort by cohort"),
    "page.data.column.day_offset": ("第几天", "Day"),
    "page.data.column.month_offset": ("第几月", "Month"),
    "kpi.size.help.day": (
        "{week},与上周同日相比。", "{week}, against the same weekday a week before.",
    ),
    "kpi.size.help.month": ("{week},与上个月相比。", "{week}, against the month before."),
    "kpi.rate": ("{metric}{offset}留存", "{offset} retention, {metric}"),
    "kpi.rate.help": (
        "最近一个已发布{offset}留存的批次:{week}。",
        "The newest cohort with a published {offset}: {week}.",
    ),
    "kpi.rate.first.help": (
        "最近一个已发布{offset}留存的批次 {week},与它之前 4 个批次的均值相比(百分点)。只有超出"
        "平时波动的变化才显示颜色。",
        "The newest cohort with a published {offset}, {week}, against the mean of the 4 before "
        "it (percentage points). Coloured only when the change is beyond the usual variation.",
    ),
    "page.overview.trend.day": ("{metric}:批次规模与次日留存", "{metric}: cohort size and D1"),
    "page.overview.trend.month": ("{metric}:批次规模与次月留存", "{metric}: cohort size and M1"),
    "page.week_over_week.caption.day": (
        "每天的批次与上周同日相比(星期几对留存的影响比逐日变化大)的变化,单位为百分点。"
        "★ 表示这一变化超出了该天数平时的波动,并在整张表的多重比较校正(BH,错误发现率 5%)后仍然显著;"
        "只有带 ★ 的变化有颜色,其余为灰色。",
        "Each day's cohort against the same weekday a week before (the weekday moves retention "
        "more than one day to the next does), in percentage points. ★ marks a change beyond "
        "that offset's usual variation that stays significant after correcting for every test "
        "of the table (BH, 5 % false discoveries); only starred changes are coloured.",
    ),
    "page.week_over_week.caption.month": (
        "每个月的批次与上个月相比的变化,单位为百分点。★ 表示这一变化超出了平时的逐月波动,"
        "并在整张表的多重比较校正(BH,错误发现率 5%)后仍然显著;只有带 ★ 的变化有颜色,其余为灰色。",
        "Each month's cohort against the month before, in percentage points. ★ marks a change "
        "beyond the usual month-to-month variation that stays significant after correcting for "
        "every test of the table (BH, 5 % false discoveries); only starred changes are coloured.",
    ),

    # -- issue 14: every text that named weeks, for days and months (the weekly key is the one
    # without a suffix; ``present.fmt.period_text`` picks ``key.day`` / ``key.month``)
    "kpi.rate.first.help.day": (
        "最近一个已发布{offset}留存的批次 {week},与之前 4 个同星期几批次的均值相比(百分点)。"
        "只有超出"
        "平时波动的变化才显示颜色。",
        "The newest cohort with a published {offset}, {week}, against the mean of the 4 "
        "cohorts of the same weekday before it (percentage points). Coloured only when the change "
        "is "
        "beyond the usual variation.",
    ),
    "kpi.rate.none.help": (
        "所选时间范围内还没有批次发布{offset}留存(第 {k} 天结束后才发布)。请选择至少 {n} "
        "天的时间范围。",
        "No cohort of the span has its {offset} yet (it is published once day {k} has ended). "
        "Choose a span of {n} days or more.",
    ),
    "status.file_covers.day": (
        "文件覆盖 {first} 至 {last},共 {n} 天;时间范围之外的日期不显示。",
        "The files cover {first} to {last} ({n} days); days outside the span are not shown.",
    ),
    "status.file_covers.month": (
        "文件覆盖 {first} 至 {last},共 {n} 个月;时间范围之外的月份不显示。",
        "The files cover {first} to {last} ({n} months); months outside the span are not "
        "shown.",
    ),
    "status.file_none": (
        "导入的文件中没有{period}留存数据:请切换周期,或导入该周期的接口返回。",
        "The imported files hold no {period} retention: switch the period, or import answers "
        "of this period.",
    ),
    "period.noun.day": ("日", "daily"),
    "period.noun.week": ("周", "weekly"),
    "period.noun.month": ("月", "monthly"),
    "empty.all_failed.day": (
        "所选时间范围内的数据全部加载失败,原因如下。处理后可在“数据”页点击“从微信刷新”重试。",
        "No day of the chosen span could be loaded; the reasons are below. When fixed, retry "
        "with “Refresh from WeChat” on the Data page.",
    ),
    "empty.all_failed.month": (
        "所选时间范围内的数据全部加载失败,原因如下。处理后可在“数据”页点击“从微信刷新”重试。",
        "No month of the chosen span could be loaded; the reasons are below. When fixed, retry "
        "with “Refresh from WeChat” on the Data page.",
    ),
    "empty.no_data.day": (
        "{source}中没有所选小程序在这些天的数据。请换一个时间范围,或在“数据”页导入文件。",
        "{source} has no numbers for these days of the chosen mini program. Choose another span, "
        "or import a file on the Data page.",
    ),
    "empty.no_data.month": (
        "{source}中没有所选小程序在这些月份的数据。请换一个时间范围,或在“数据”页导入文件。",
        "{source} has no numbers for these months of the chosen mini program. Choose another "
        "span, or import a file on the Data page.",
    ),
    "auth.admin_only.day": (
        "从微信刷新、导入文件和查看每天缓存状态只对管理员开放;需要时请联系 {contact}。",
        "Refreshing from WeChat, importing files and the cache status of each day are for "
        "admins; ask {contact} if you need them.",
    ),
    "auth.admin_only.month": (
        "从微信刷新、导入文件和查看每月缓存状态只对管理员开放;需要时请联系 {contact}。",
        "Refreshing from WeChat, importing files and the cache status of each month are for "
        "admins; ask {contact} if you need them.",
    ),
    "sidebar.share.help.day": (
        "同事打开这个链接会看到同样的小程序、时间范围、指标、语言和页面设置。",
        "A colleague opening this link sees the same mini programs, days, metric, language and "
        "page settings.",
    ),
    "sidebar.share.help.month": (
        "同事打开这个链接会看到同样的小程序、时间范围、指标、语言和页面设置。",
        "A colleague opening this link sees the same mini programs, months, metric, language "
        "and page settings.",
    ),
    "page.not_found.body.day": (
        "这个地址没有对应的页面:{path}。请从下面或左侧选择一个页面;链接中的小程序、时间范围、"
        "指标和语言都会保留。",
        "There is no page at {path}. Pick one below or on the left; the link's mini programs, "
        "days, metric and language are kept.",
    ),
    "page.not_found.body.month": (
        "这个地址没有对应的页面:{path}。请从下面或左侧选择一个页面;链接中的小程序、时间范围、"
        "指标和语言都会保留。",
        "There is no page at {path}. Pick one below or on the left; the link's mini programs, "
        "months, metric and language are kept.",
    ),
    "page.heatmap.calendar.day": ("按回访日期查看", "By calendar day of the return"),
    "page.heatmap.calendar.month": ("按回访自然月查看", "By calendar month of the return"),
    "page.heatmap.calendar.help.day": (
        "把每个格子放到用户回访的那一天(批次日期 + 第几天):"
        "节假日或故障等影响所有批次的事件会显示为一整列。",
        "Places each cell on the day users came back (the cohort's day + the offset): a holiday "
        "or an outage that hits every cohort shows as one column.",
    ),
    "page.heatmap.calendar.help.month": (
        "把每个格子放到用户回访的那个月(批次月份 + 第几月):影响所有批次的事件会显示为一整列。",
        "Places each cell in the month users came back (the cohort's month + the offset): an "
        "event that hits every cohort shows as one column.",
    ),
    "page.heatmap.footnote.day": (
        "“未定”的批次在之后 30 天内仍会由微信补充数据;加权平均按批次人数加权,只含当前阶段的批次"
        "(每个天数最近 28 个批次,即每个星期几各 4 个;若其间次日留存有明显的水平变化,"
        "则只取变化之后的批次)。",
        "Provisional cohorts still get numbers from WeChat over the next 30 days; the average is "
        "weighted by cohort size and covers the current era only (the newest 28 cohorts at each "
        "offset, four of each weekday, or those since a clear level shift of D1 among them).",
    ),
    "page.heatmap.footnote.month": (
        "“未定”的批次在下个月结束后才由微信补充次月留存;加权平均按批次人数加权,只含当前阶段的批次"
        "(最近 12 个批次,若其间次月留存有明显的水平变化,则只取变化之后的批次)。",
        "Provisional cohorts get M1 from WeChat once the next month has ended; the average is "
        "weighted by cohort size and covers the current era only (the newest 12 cohorts, or "
        "those since a clear level shift of M1 among them).",
    ),
    "page.curves.log.help.day": (
        "对数刻度下幂律衰减近似一条直线,便于比较后期留存。",
        "On a log scale a power-law decay is close to a straight line: late days are easier "
        "to compare.",
    ),
    "page.curves.log.help.month": (
        "对数刻度下幂律衰减近似一条直线,便于比较后期留存。",
        "On a log scale a power-law decay is close to a straight line: later months are easier "
        "to compare.",
    ),
    "page.curves.no_fit.day": (
        "已发布的天数太少,暂时无法拟合留存曲线。请选择更长的时间范围。",
        "Too few published days to fit a curve yet. Choose a longer span.",
    ),
    "page.week_over_week.legend.day": (
        "▲ 上升 ▼ 下降;★ 超出正常波动(已校正多重比较)。阴影带是由之前 8 "
        "个同一星期几的批次预测的正常范围"
        "(相当于 ±3σ),红圈是超出范围的日期;节假日这类异常日不计入之后的范围。",
        "▲ up ▼ down; ★ beyond the usual variation (corrected for multiple tests). The shaded "
        "band is the range the 8 cohorts of the same weekday before predict (the level of ±3σ); "
        "red circles are days outside it, and an odd day such as a holiday is left out of the "
        "ranges after it.",
    ),
    "page.week_over_week.legend.month": (
        "▲ 上升 ▼ 下降;★ 超出正常波动(已校正多重比较)。阴影带是由前 8 个批次预测的正常范围"
        "(相当于 ±3σ),红圈是超出范围的月份;异常的月份不计入之后各月的范围。",
        "▲ up ▼ down; ★ beyond the usual variation (corrected for multiple tests). The shaded "
        "band is the range the 8 cohorts before predict (the level of ±3σ); red circles are "
        "months outside it, and an odd month is left out of the ranges after it.",
    ),
    "page.week_over_week.offsets": ("显示", "Show"),
    "page.week_over_week.offsets.tracked": ("次日、7日、14日、30日", "D1, D7, D14, D30"),
    "page.week_over_week.offsets.all": ("全部天数", "Every day"),
    "page.week_over_week.offsets.help": (
        "微信发布 1~7、14、30 日;默认只显示常看的次日、7日、14日和 30日,"
        "表格在笔记本屏幕上不必左右滚动。",
        "WeChat publishes days 1..7, 14 and 30; by default the table shows the ones usually "
        "followed, D1, D7, D14 and D30, so that it fits a laptop screen without scrolling "
        "sideways.",
    ),
    "page.data.caption.day": (
        "共 {rows} 行,与 CSV 下载的内容一致(每个批次、指标、天数一行)。",
        "{rows} rows, the same as the CSV download (one per cohort, metric and day offset).",
    ),
    "page.data.caption.month": (
        "共 {rows} 行,与 CSV 下载的内容一致(每个批次、指标、月数一行)。",
        "{rows} rows, the same as the CSV download (one per cohort, metric and month offset).",
    ),
    "page.data.coverage.day": ("每天数据状态", "State of every day"),
    "page.data.coverage.month": ("每月数据状态", "State of every month"),
    "page.data.weeks_table.day": ("每天数据状态(表格)", "State of every day (table)"),
    "page.data.weeks_table.month": ("每月数据状态(表格)", "State of every month (table)"),
    "page.data.refresh.help.live.day": (
        "重新向微信查询所选范围内每个未定的日期,以及还没有数据的日期。已定的日期不会再变化,"
        "不会重复查询,以节省接口额度。",
        "Asks WeChat again for every provisional day of the span and every day without data. "
        "Final days never change, so they are not asked for again: that keeps the API quota.",
    ),
    "page.data.refresh.help.live.month": (
        "重新向微信查询所选范围内每个未定的月份,以及还没有数据的月份。已定的月份不会再变化,"
        "不会重复查询,以节省接口额度。",
        "Asks WeChat again for every provisional month of the span and every month without "
        "data. Final months never change, so they are not asked for again: that keeps the API "
        "quota.",
    ),
    "page.data.upload.help.day": (
        "上传保存下来的接口返回(getweanalysisappiddailyretaininfo)或云调用返回"
        "(getDailyRetain),可以是单个对象或列表;其他周期的留存返回也可以导入。每个文件不超过 {mb} "
        "MB。",
        "Upload saved API answers (getweanalysisappiddailyretaininfo) or cloud-call answers "
        "(getDailyRetain), one object or a list; answers of the other periods can be "
        "imported too. At most {mb} MB per file.",
    ),
    "page.data.upload.help.month": (
        "上传保存下来的接口返回(getweanalysisappidmonthlyretaininfo)或云调用返回"
        "(getMonthlyRetain),可以是单个对象或列表;其他周期的留存返回也可以导入。每个文件不超过 {mb} "
        "MB。",
        "Upload saved API answers (getweanalysisappidmonthlyretaininfo) or cloud-call answers "
        "(getMonthlyRetain), one object or a list; answers of the other periods can be "
        "imported too. At most {mb} MB per file.",
    ),
    "data.upload.ok.day": (
        "已导入 {n} 天:{first} 至 {last}", "Imported {n} days: {first} to {last}",
    ),
    "data.upload.ok.month": (
        "已导入 {n} 个月:{first} 至 {last}", "Imported {n} months: {first} to {last}",
    ),
    "data.upload.above_base.day": (
        "注意:{weeks} 有回访人数超过当天人数(留存率超过 100%),数字按原样保留。",
        "Note: {weeks} has more returning users than the day's own (a rate over 100%); the "
        "numbers are kept as they are.",
    ),
    "data.upload.above_base.month": (
        "注意:{weeks} 有回访人数超过当月人数(留存率超过 100%),数字按原样保留。",
        "Note: {weeks} has more returning users than the month's own (a rate over 100%); the "
        "numbers are kept as they are.",
    ),
    "data.refresh.progress.day": ("已完成 {done}/{total} 天", "{done} of {total} days done"),
    "data.refresh.progress.month": (
        "已完成 {done}/{total} 个月", "{done} of {total} months done",
    ),
    "data.refresh.ok.day": (
        "刷新完成:{ok} 天数据全部加载成功。", "Refreshed: all {ok} days loaded.",
    ),
    "data.refresh.ok.month": (
        "刷新完成:{ok} 个月数据全部加载成功。", "Refreshed: all {ok} months loaded.",
    ),
    "data.refresh.kept.day": (
        "以下日期重新获取失败,仍显示之前获取的数据:",
        "These days could not be fetched again; the copy fetched before is still shown:",
    ),
    "data.refresh.kept.month": (
        "以下月份重新获取失败,仍显示之前获取的数据:",
        "These months could not be fetched again; the copy fetched before is still shown:",
    ),
    "data.refresh.failed.day": (
        "刷新完成:{ok} 天成功,{n} 天失败。失败原因:",
        "Refreshed: {ok} days loaded, {n} failed. Why:",
    ),
    "data.refresh.failed.month": (
        "刷新完成:{ok} 个月成功,{n} 个月失败。失败原因:",
        "Refreshed: {ok} months loaded, {n} failed. Why:",
    ),
    # --- pm19b ---
    "page.curves.fit.assumed.day": (
        "范围之所以宽:微信只发布到第 {last} 天,第 {horizon} 天已超出它很多,"
        "这里的曲线是模型的假设,几个未能排除的模型在这里分开了。",
        "Why the range is wide: WeChat publishes up to day {last}, day {horizon} is far beyond "
        "it, so the curve there is the model's assumption, and the models not ruled out part "
        "ways.",
    ),
}
