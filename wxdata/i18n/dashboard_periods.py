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
    "kpi.size.new.day": ("最新一天新用户", "New users, latest day"),
    "kpi.size.active.day": ("最新一天活跃用户", "Active users, latest day"),
    "kpi.size.new.month": ("最新一个月新用户", "New users, latest month"),
    "kpi.size.active.month": ("最新一个月活跃用户", "Active users, latest month"),
    "kpi.size.help.day": ("{week},与前一天相比。", "{week}, against the day before."),
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
        "每天的批次与前一天相比的变化,单位为百分点。★ 表示这一变化超出了该天数平时的逐日波动,"
        "并在整张表的多重比较校正(BH,错误发现率 5%)后仍然显著;只有带 ★ 的变化有颜色,其余为灰色。",
        "Each day's cohort against the day before, in percentage points. ★ marks a change beyond "
        "that offset's usual day-to-day variation that stays significant after correcting for "
        "every test of the table (BH, 5 % false discoveries); only starred changes are coloured.",
    ),
    "page.week_over_week.caption.month": (
        "每个月的批次与上个月相比的变化,单位为百分点。★ 表示这一变化超出了平时的逐月波动,"
        "并在整张表的多重比较校正(BH,错误发现率 5%)后仍然显著;只有带 ★ 的变化有颜色,其余为灰色。",
        "Each month's cohort against the month before, in percentage points. ★ marks a change "
        "beyond the usual month-to-month variation that stays significant after correcting for "
        "every test of the table (BH, 5 % false discoveries); only starred changes are coloured.",
    ),
}
