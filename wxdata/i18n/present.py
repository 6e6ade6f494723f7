"""Strings of ``wxdata.present``: chart labels and hovers, tables, numbers and the sentences
that describe changes.
"""

from __future__ import annotations

PRESENT_MESSAGES: dict[str, tuple[str, str]] = {
    "metric.new": ("新用户留存", "New-user retention"),
    "metric.active": ("活跃用户留存", "Active-user retention"),
    "metric.new.short": ("新用户", "new users"),
    "metric.active.short": ("活跃用户", "active users"),
    "fmt.pp": ("{value} 个百分点", "{value} pp"),
    # charts
    "chart.rate_pct": ("留存率 (%)", "Retention (%)"),
    "chart.users": ("人数", "Users"),
    "chart.cell_hover": ("留存率 {rate} · {users} 人", "retention {rate} · {users} users"),
    "chart.unpublished": ("微信尚未发布", "not published yet"),
    "chart.mark.provisional": (" · 未定", " · provisional"),
    "chart.mark.failed": (" · 加载失败", " · failed to load"),
    "chart.mark.missing": (" · 无数据", " · no data"),
    "chart.mark.short.provisional": (" 未定", " prov."),
    "chart.mark.short.failed": (" 失败", " failed"),
    "chart.mark.short.missing": (" 无数据", " no data"),
    "chart.average_row": ("加权平均", "Weighted average"),
    "chart.average_row.short": ("平均", "Average"),
    "chart.other_cohorts": ("其他批次", "Other cohorts"),
    "chart.average": ("加权平均(95% 置信区间)", "Weighted average (95% CI)"),
    "chart.average.era": (
        "加权平均:{since} 起 {n} 个批次(95% 置信区间)",
        "Weighted average of {n} cohorts from {since} (95% CI)",
    ),
    "chart.average.shift": (
        "加权平均:{since} 水平变化后的 {n} 个批次(95% 置信区间)",
        "Weighted average of the {n} cohorts since the level shift of {since} (95% CI)",
    ),
    "chart.projection": ("预测:{model}", "Projection: {model}"),
    "chart.projection.band": (
        "预测区间(含未能排除的模型)", "Projection range (every model not ruled out)",
    ),
    "chart.projection.assumed": (
        "模型假设(超出已发布周数 3 倍,仅供参考)",
        "Assumption (beyond 3× the published weeks; a guide only)",
    ),
    "chart.offset_axis.week": ("距首周的周数", "Weeks since the first week"),
    "chart.cohort_axis.week": ("首周(批次)", "Cohort week"),
    "chart.calendar_axis": ("回访的自然周", "Calendar week of the return"),
    "chart.calendar_hover": (
        "批次 %{customdata[2]}<br>回访周 %{customdata[0]}<br>留存率 %{customdata[1]}",
        "cohort %{customdata[2]}<br>returned in %{customdata[0]}<br>retention %{customdata[1]}",
    ),
    # what the lines of a decay-curves chart are, one clause per kind drawn
    "chart.caption.cohorts": ("每条灰线是一个批次。", "Each grey line is a cohort."),
    "chart.caption.newest": ("绿线是最新批次。", "The green line is the newest cohort."),
    "chart.caption.picked": (
        "彩色线是所选的批次,各用一种颜色。", "Each cohort picked has a colour of its own.",
    ),
    "chart.caption.average": (
        "黑线是当前阶段的加权平均,阴影是其 95% 置信区间。",
        "Black is the weighted average of the current era, shaded with its 95% interval.",
    ),
    "chart.caption.projection": (
        "橙色虚线是预测,阴影是所有未能排除的模型给出的范围。",
        "The dashed orange line is the projection, its shade the range of every model the data "
        "cannot rule out.",
    ),
    "chart.caption.assumed": (
        "点线部分超出已发布周数的 3 倍,只是模型假设。",
        "The dotted part, beyond 3× the published weeks, is the models' assumption.",
    ),
    "chart.caption.apps": (
        "每个小程序一种颜色:实线是其加权平均,阴影是 95% 置信区间。"
        "只选一个小程序可查看每个批次的曲线。",
        "One colour per mini program: the solid line is its weighted average, shaded with its "
        "95% interval. Choose one mini program to see a line per cohort.",
    ),
    "chart.caption.apps.projection": (
        "同色虚线是各自的预测,阴影是所有未能排除的模型给出的范围。",
        "The dashed line of the same colour is its projection, shaded with the range of every "
        "model not ruled out.",
    ),
    "chart.caption.apps.assumed": (
        "点线部分超出已发布周数的 3 倍,只是模型假设。",
        "Dotted parts, beyond 3× the published weeks, are the models' assumption.",
    ),
    "chart.flagged.week": ("异常周", "Flagged week"),
    "chart.cohort_size": ("批次人数", "Cohort size"),
    "chart.size.new": ("新用户数", "New users"),
    "chart.size.active": ("活跃用户数", "Active users"),
    "chart.state.final": ("已定", "Final"),
    "chart.state.provisional": ("未定", "Provisional"),
    "chart.state.failed": ("失败", "Failed"),
    "chart.state.missing": ("无数据", "No data"),
    "model.power": ("幂律模型", "power law"),
    "model.weibull": ("韦布尔(拉伸指数)模型", "Weibull (stretched exponential)"),
    "model.exponential": ("带下限的指数模型", "exponential to a floor"),
    "model.sbg": (
        "sBG 模型(按“流失即不再回来”建模,而微信统计的是“第 k 周回访”,仅供参考)",
        "sBG (a model of customers who never come back once gone; WeChat counts who came back "
        "in week k: a guide only)",
    ),
    "model.": ("拟合曲线", "fitted curve"),
    "table.kept_detail": (
        "{status},获取于 {when};刚才重新获取失败:{reason}",
        "{status}, fetched {when}; fetching it again just failed: {reason}",
    ),
    "story.w1.down": (
        "{who}次周留存较前 4 周均值下降 {points} 个百分点 (p{p}),超出每周的正常波动,批次 {week}。",
        "W1 retention of {who} fell {points} pp below the mean of the 4 weeks before (p{p}), "
        "beyond the usual week-to-week variation, cohort {week}.",
    ),
    "story.w1.up": (
        "{who}次周留存较前 4 周均值上升 {points} 个百分点 (p{p}),超出每周的正常波动,批次 {week}。",
        "W1 retention of {who} rose {points} pp above the mean of the 4 weeks before (p{p}), "
        "beyond the usual week-to-week variation, cohort {week}.",
    ),
    "story.w1.flat": (
        "{who}次周留存与前 4 周均值相比在每周的正常波动之内({points} 个百分点,p{p}),批次 {week}。",
        "W1 retention of {who} is within the usual week-to-week variation of the 4 weeks before "
        "({points} pp, p{p}), cohort {week}.",
    ),
    "story.w1.untested": (
        "{who}次周留存较前 4 周均值 {points} 个百分点;之前的批次太少,还看不出每周的正常波动,"
        "暂不判断是否显著。批次 {week}。",
        "W1 retention of {who}: {points} pp against the mean of the 4 weeks before; too few "
        "earlier cohorts to know the usual week-to-week variation, so no verdict yet. Cohort "
        "{week}.",
    ),
    "story.size.up": (
        "最新一周({week}){who} {users},较上一周增长 {change}。",
        "Latest week ({week}): {users} {who}, {change} more than the week before.",
    ),
    "story.size.down": (
        "最新一周({week}){who} {users},较上一周减少 {change}。",
        "Latest week ({week}): {users} {who}, {change} fewer than the week before.",
    ),
    "story.size.flat": (
        "最新一周({week}){who} {users},与上一周持平。",
        "Latest week ({week}): {users} {who}, as many as the week before.",
    ),
    "story.flag.holiday": ("({names}期间)", " ({names})"),
    "story.flag.low": (
        "{week}:{offset} 留存 {rate},低于正常范围(预期约 {expected})",
        "{week}: {offset} retention {rate}, below its usual range (expected about {expected})",
    ),
    "story.flag.high": (
        "{week}:{offset} 留存 {rate},高于正常范围(预期约 {expected})",
        "{week}: {offset} retention {rate}, above its usual range (expected about {expected})",
    ),
    # tables
    "table.app": ("小程序", "Mini program"),
    "table.cohort.week": ("批次(首周)", "Cohort week"),
    "table.metric": ("指标", "Metric"),
    "table.users": ("人数", "Users"),
    "table.rate": ("留存率", "Retention"),
    "table.size": ("批次人数", "Cohort size"),
    "table.size_change": ("人数环比", "Size change"),
    "table.delta": ("Δ{offset}(百分点)", "Δ{offset} (pp)"),
    "table.state": ("状态", "State"),
    "table.fetched_at": ("获取时间", "Fetched at"),
    "table.detail": ("说明", "Detail"),
    "table.above_base": (
        ";注意:{cells} 比当周人数还多(留存率超过 100%),数字按微信给的原样保留",
        "; note: more users than the cohort's own week (a rate over 100%) at {cells}, kept as "
        "WeChat gave them",
    ),
    "table.state_detail": ("{status},获取于 {when}", "{status}, fetched {when}"),
    "table.status.cached": ("来自缓存", "from the cache"),
    "table.status.fetched": ("刚从微信获取", "just fetched from WeChat"),
    "table.status.supplied": ("随数据源提供", "came with the source"),
    "table.status.failed": ("失败", "failed"),
    "table.status.missing": ("无数据", "no data"),
    # days and months beside the weeks (issue 14)
    "offset.day.0": ("当日", "D0"),
    "offset.day.1": ("次日", "D1"),
    "offset.day.2": ("{k}日", "D{k}"),
    "weekday.0": ("周一", "Mon"),
    "weekday.1": ("周二", "Tue"),
    "weekday.2": ("周三", "Wed"),
    "weekday.3": ("周四", "Thu"),
    "weekday.4": ("周五", "Fri"),
    "weekday.5": ("周六", "Sat"),
    "weekday.6": ("周日", "Sun"),
    "chart.offset_axis.day": ("距首日的天数", "Days since the first day"),
    "chart.offset_axis.month": ("距首月的月数", "Months since the first month"),
    "chart.cohort_axis.day": ("首日(批次)", "Cohort day"),
    "chart.cohort_axis.month": ("首月(批次)", "Cohort month"),
    "chart.flagged.day": ("异常日", "Flagged day"),
    "chart.flagged.month": ("异常月", "Flagged month"),
    "table.cohort.day": ("批次(首日)", "Cohort day"),
    "table.cohort.month": ("批次(首月)", "Cohort month"),
    "story.day.w1.down": (
        "{who}次日留存较之前 4 个同星期几批次的均值下降 {points} 个百分点 (p{p}),超出正常波动,批次 "
        "{week}。",
        "D1 retention of {who} fell {points} pp below the mean of the 4 cohorts of the "
        "same weekday before (p{p}), beyond the usual variation, cohort {week}.",
    ),
    "story.day.w1.up": (
        "{who}次日留存较之前 4 个同星期几批次的均值上升 {points} 个百分点 (p{p}),超出正常波动,批次 "
        "{week}。",
        "D1 retention of {who} rose {points} pp above the mean of the 4 cohorts of the "
        "same weekday before (p{p}), beyond the usual variation, cohort {week}.",
    ),
    "story.day.w1.flat": (
        "{who}次日留存与之前 4 个同星期几批次的均值相比在正常波动之内({points} 个百分点,p{p}),批次 "
        "{week}。",
        "D1 retention of {who} is within the usual variation of the 4 cohorts of the "
        "same weekday before ({points} pp, p{p}), cohort {week}.",
    ),
    "story.day.w1.untested": (
        "{who}次日留存较之前 4 个同星期几批次的均值 {points} 个百分点;"
        "之前的批次太少,暂不判断是否显著。批次 {week}。",
        "D1 retention of {who}: {points} pp against the mean of the 4 cohorts of the "
        "same weekday before; too few earlier cohorts to judge yet. Cohort {week}.",
    ),
    "story.day.size.up": (
        "最新一天({week}){who} {users},较上周同日增长 {change}。",
        "Latest day ({week}): {users} {who}, {change} more than the same weekday a week before.",
    ),
    "story.day.size.down": (
        "最新一天({week}){who} {users},较上周同日减少 {change}。",
        "Latest day ({week}): {users} {who}, {change} fewer than the same weekday a week "
        "before.",
    ),
    "story.day.size.flat": (
        "最新一天({week}){who} {users},与上周同日持平。",
        "Latest day ({week}): {users} {who}, as many as the same weekday a week before.",
    ),
    "story.month.w1.down": (
        "{who}次月留存较前 4 个月均值下降 {points} 个百分点 (p{p})"
        ",超出每月的正常波动,批次 {week}。",
        "M1 retention of {who} fell {points} pp below the mean of the 4 months before (p{p}), "
        "beyond the usual month-to-month variation, cohort {week}.",
    ),
    "story.month.w1.up": (
        "{who}次月留存较前 4 个月均值上升 {points} 个百分点 (p{p})"
        ",超出每月的正常波动,批次 {week}。",
        "M1 retention of {who} rose {points} pp above the mean of the 4 months before (p{p}), "
        "beyond the usual month-to-month variation, cohort {week}.",
    ),
    "story.month.w1.flat": (
        "{who}次月留存与前 4 个月均值相比在每月的正常波动之内({points} 个百分点,"
        "p{p}),批次 {week}。",
        "M1 retention of {who} is within the usual month-to-month variation of the 4 months "
        "before ({points} pp, p{p}), cohort {week}.",
    ),
    "story.month.w1.untested": (
        "{who}次月留存较前 4 个月均值 {points} 个百分点;"
        "之前的批次太少,暂不判断是否显著。批次 {week}。",
        "M1 retention of {who}: {points} pp against the mean of the 4 months before; too few "
        "earlier cohorts to judge yet. Cohort {week}.",
    ),
    "story.month.size.up": (
        "最近一个月({week}){who} {users},较上个月增长 {change}。",
        "Latest month ({week}): {users} {who}, {change} more than the month before.",
    ),
    "story.month.size.down": (
        "最近一个月({week}){who} {users},较上个月减少 {change}。",
        "Latest month ({week}): {users} {who}, {change} fewer than the month before.",
    ),
    "story.month.size.flat": (
        "最近一个月({week}){who} {users},与上个月持平。",
        "Latest month ({week}): {users} {who}, as many as the month before.",
    ),
    # mix or rate (present/mix.py)
    "mix.sentence": (
        "{who}{offset}留存({first} 至 {last})为 {after},较之前同样长的一段({before}){change}:"
        "留存本身变化 {rate},人数分布变化 {mix}。{why}",
        "{offset} retention of {who} ({first} to {last}) is {after}, {change} against as long "
        "a stretch before ({before}): {rate} from the rates themselves, {mix} from the mix of "
        "cohort sizes.{why}",
    ),
    "mix.why.day.worse": ("变化主要来自人数分布:更多用户落在留存较低的星期几。",
                          " Mostly the mix: more users on the weekdays that retain worse."),
    "mix.why.day.better": ("变化主要来自人数分布:更多用户落在留存较高的星期几。",
                           " Mostly the mix: more users on the weekdays that retain better."),
    "mix.why.week.worse": ("变化主要来自人数分布:人多的周留存较低。",
                           " Mostly the mix: the larger weeks retain worse."),
    "mix.why.week.better": ("变化主要来自人数分布:人多的周留存较高。",
                            " Mostly the mix: the larger weeks retain better."),
    "mix.why.month.worse": ("变化主要来自人数分布:人多的月留存较低。",
                            " Mostly the mix: the larger months retain worse."),
    "mix.why.month.better": ("变化主要来自人数分布:人多的月留存较高。",
                             " Mostly the mix: the larger months retain better."),
    # level shifts (present/context.py)
    "shift.up": (
        "自 {since} 起{who}{offset}留存上了一个台阶:{before} → {after}"
        "({change},{level}% 区间 {low} ~ {high};之后 {n} 个批次都在新水平)。",
        "From {since} on, {offset} retention of {who} stepped up: {before} → {after} "
        "({change}, {level} % interval {low} to {high}; {n} cohorts since).",
    ),
    "shift.down": (
        "自 {since} 起{who}{offset}留存下了一个台阶:{before} → {after}"
        "({change},{level}% 区间 {low} ~ {high};之后 {n} 个批次都在新水平)。",
        "From {since} on, {offset} retention of {who} stepped down: {before} → {after} "
        "({change}, {level} % interval {low} to {high}; {n} cohorts since).",
    ),
    # the workbook (present/export.py): tabs, headers and values for a reader in Excel
    "xlsx.sheet.matrix_new": ("新用户留存", "New users"),
    "xlsx.sheet.matrix_active": ("活跃用户留存", "Active users"),
    "xlsx.sheet.tidy": ("明细", "All rows"),
    "xlsx.column.app_id": ("小程序 AppID", "AppID"),
    "xlsx.column.app_name": ("小程序", "Mini program"),
    "xlsx.column.cohort_start": ("批次开始", "Cohort start"),
    "xlsx.column.cohort_end": ("批次结束", "Cohort end"),
    "xlsx.column.metric": ("用户", "Users of"),
    "xlsx.column.day_offset": ("第几天", "Day"),
    "xlsx.column.week_offset": ("第几周", "Week"),
    "xlsx.column.month_offset": ("第几月", "Month"),
    "xlsx.column.users": ("人数", "Users"),
    "xlsx.column.rate": ("留存率", "Retention"),
    "xlsx.column.provisional": ("未定(微信还会更新)", "Provisional (WeChat still adds)"),
    "xlsx.metric.new": ("新增", "new"),
    "xlsx.metric.active": ("活跃", "active"),
    "xlsx.yes": ("是", "yes"),
    "xlsx.no": ("否", "no"),
    # texts that named weeks, in the words of days and months (``fmt.period_text``)
    "chart.projection.assumed.day": (
        "模型假设(超出已发布天数 3 倍,仅供参考)",
        "Assumption (beyond 3× the published days; a guide only)",
    ),
    "chart.caption.assumed.day": (
        "点线部分超出已发布天数的 3 倍,只是模型假设。",
        "The dotted part, beyond 3× the published days, is the models' assumption.",
    ),
    "chart.caption.apps.assumed.day": (
        "点线部分超出已发布天数的 3 倍,只是模型假设。",
        "Dotted parts, beyond 3× the published days, are the models' assumption.",
    ),
    "chart.calendar_axis.day": ("回访日期", "Calendar day of the return"),
    "chart.calendar_axis.month": ("回访的自然月", "Calendar month of the return"),
    "chart.calendar_hover.day": (
        "批次 %{customdata[2]}<br>回访日 %{customdata[0]}<br>留存率 %{customdata[1]}",
        "cohort %{customdata[2]}<br>returned on %{customdata[0]}<br>retention %{customdata[1]}",
    ),
    "chart.calendar_hover.month": (
        "批次 %{customdata[2]}<br>回访月 %{customdata[0]}<br>留存率 %{customdata[1]}",
        "cohort %{customdata[2]}<br>returned in %{customdata[0]}<br>retention %{customdata[1]}",
    ),
    "table.delta.day": ("{offset}变化", "Δ{offset} (pp)"),
    "table.above_base.day": (
        ";注意:{cells} 比当天人数还多(留存率超过 100%),数字按微信给的原样保留",
        "; note: more users than the cohort's own day (a rate over 100%) at {cells}, kept as "
        "WeChat gave them",
    ),
    "table.above_base.month": (
        ";注意:{cells} 比当月人数还多(留存率超过 100%),数字按微信给的原样保留",
        "; note: more users than the cohort's own month (a rate over 100%) at {cells}, kept as "
        "WeChat gave them",
    ),
    "shift.also": ("{offsets}留存也在同一批次起变了水平。",
                   " {offsets} moved to a new level from the same cohort."),
    "chart.goal": ("目标 {goal}", "goal {goal}"),
    # goals (present/context.py)
    "goal.met": (
        "{who}{offset}留存目标 {goal}:已达标(最新 {rate},{cohort}),自 {since} 起连续 {n} 个批次。",
        "{offset} retention goal of {who}, {goal}: met (newest {rate}, {cohort}), {n} cohorts "
        "in a row since {since}.",
    ),
    "goal.missed": (
        "{who}{offset}留存目标 {goal}:未达标(最新 {rate},{cohort}),自 {since} 起连续 {n} 个批次。",
        "{offset} retention goal of {who}, {goal}: missed (newest {rate}, {cohort}), {n} "
        "cohorts in a row since {since}.",
    ),
    # --- pm19a ---
    "story.flags.low": ("{week}:{cells},低于正常范围", "{week}: {cells}, below its usual range"),
    "story.flags.high": ("{week}:{cells},高于正常范围", "{week}: {cells}, above its usual range"),
    "story.flags.cell": ("{offset} 留存 {rate}(预期约 {expected})",
                         "{offset} retention {rate} (expected about {expected})"),
    "story.flags.back": ("(回访时逢{names})", " (came back during {names})"),
    # --- pm19b ---
    "chart.caption.goal": ("红色虚线是目标。", "The red dash is a goal."),
    "chart.pp": ("个百分点", "pp"),
    "chart.change_pp": ("较上一批次(百分点)", "Change vs the cohort before (pp)"),
    "app.demo.mark": ("(示例)", " (demo)"),
}
