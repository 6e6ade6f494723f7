"""Strings of ``wxdata.dashboard`` and the pages: sidebar, status box, notices, page texts.
"""

from __future__ import annotations

from wxdata.i18n.dashboard_periods import DASHBOARD_PERIOD_MESSAGES

DASHBOARD_MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("微信小程序留存", "WeChat mini program retention"),
    "app.crashed": (
        "这个页面出错了({kind})。数据没有丢失:请刷新页面重试;如果问题持续,请把当前链接发给维护者。",
        "This page failed ({kind}). No data is lost: reload the page; if it keeps happening, send "
        "this page's link to the maintainers.",
    ),
    # sign-in and access
    "auth.sign_in.title": ("登录", "Sign in"),
    "auth.sign_in.text": (
        "这个看板只对有权限的同事开放。请用公司账号登录,登录后只会看到对你开放的小程序。",
        "This dashboard is open to colleagues with access only. Sign in with your company "
        "account; you will see the mini programs shared with you.",
    ),
    "auth.sign_in.button": ("用公司账号登录", "Sign in with the company account"),
    "auth.sign_out": ("退出登录", "Sign out"),
    "auth.signed_in_as": ("已登录:{email}", "Signed in as {email}"),
    "auth.open": (
        "未启用登录:能打开这个地址的人都能看到所有小程序,只适合本机使用。",
        "Sign-in is off: anyone who can open this address sees every mini program. For local "
        "use only.",
    ),
    "auth.no_app.title": ("还没有可查看的小程序", "No mini program shared with you yet"),
    "auth.no_app.text": (
        "你已登录为 {email},但还没有任何小程序对你开放。请联系 {contact} 开通权限,"
        "开通后刷新页面即可。",
        "You are signed in as {email}, but no mini program is shared with you yet. Ask "
        "{contact} for access, then reload the page.",
    ),
    "auth.no_email": (
        "登录账号没有提供已验证的邮箱,因此无法判断你能查看哪些小程序。请联系 {contact}。",
        "Your sign-in did not come with a verified e-mail address, so the dashboard cannot tell "
        "which mini programs you may see. Ask {contact}.",
    ),
    "auth.contact.default": ("部署这个看板的同事", "whoever deployed this dashboard"),
    "auth.admin_only": (
        "从微信刷新、导入文件和查看每周缓存状态只对管理员开放;需要时请联系 {contact}。",
        "Refreshing from WeChat, importing files and the cache status of each week are for "
        "admins; ask {contact} if you need them.",
    ),
    # sidebar
    "sidebar.source": ("数据来源", "Data source"),
    "sidebar.apps": ("小程序", "Mini programs"),
    "sidebar.apps.help": (
        "选一个查看详情,选多个进行对比。", "Pick one for detail, several to compare.",
    ),
    "sidebar.apps.placeholder": ("选择小程序", "Choose mini programs"),
    "sidebar.span": ("时间范围", "Span"),
    "sidebar.span.last.week": ("最近 {n} 周", "Last {n} weeks"),
    "sidebar.span.custom": ("自定义范围…", "Custom range…"),
    "sidebar.span.weeks": ("{first} 至 {last},共 {n} 个自然周(北京时间)",
                           "{first} to {last}: {n} natural weeks (China time)"),
    "sidebar.range.week": ("起止日期(自动对齐到自然周)", "From – to (snapped to natural weeks)"),
    "sidebar.range.help.week": (
        "所选日期会扩展到完整的自然周(周一至周日);尚未结束的周不会计入。最多显示最近 {n} 周。",
        "Dates are widened to whole natural weeks (Monday to Sunday); a week that has not ended "
        "is left out. At most the newest {n} weeks are shown.",
    ),
    "sidebar.range.incomplete": ("请再选择结束日期。", "Now pick the end date."),
    "sidebar.range.paste": ("或粘贴一段范围", "Or paste a range"),
    "sidebar.range.paste.help": (
        "例如 2025-01-06 ~ 2025-12-28、2025-W02..2026-W10 或 2025-01 至 2025-12:两端各一个"
        "日期、周或月,回车后上面的日期随之改变。",
        "For example 2025-01-06 ~ 2025-12-28, 2025-W02..2026-W10 or 2025-01 to 2025-12: a day, "
        "week or month at each end; press Enter and the dates above follow.",
    ),
    "sidebar.range.paste.bad": (
        "看不懂“{text}”:请写两端,如 2025-01-06 ~ 2025-12-28 或 2025-W02 ~ 2026-W10。",
        "Could not read \"{text}\" as a range: write both ends, e.g. 2025-01-06 ~ 2025-12-28 "
        "or 2025-W02 ~ 2026-W10.",
    ),
    "sidebar.metric": ("留存指标", "Retention of"),
    "sidebar.metric.new": ("新用户", "New users"),
    "sidebar.metric.active": ("活跃用户", "Active users"),
    "sidebar.share": ("分享当前视图", "Share this view"),
    "sidebar.share.help": (
        "同事打开这个链接会看到同样的小程序、时间范围、指标、语言和页面设置。",
        "A colleague opening this link sees the same mini programs, weeks, metric, language and "
        "page settings.",
    ),
    "sidebar.range.shortened.week": (
        "一次最多查看 {n} 周:从 {first} 开始。", "At most {n} weeks at a time: from {first} on.",
    ),
    "sidebar.bad_param": (
        "链接参数 {param}={value} 无法照用,改用 {used}。",
        "The link's {param}={value} could not be used as it is; {used} is used instead.",
    ),
    "sidebar.bad_link": (
        "链接中有参数无法识别,已使用默认值(详见侧栏)。",
        "Part of the link was not understood; defaults are used (see the sidebar).",
    ),
    # status panel
    "status.title": ("数据", "Data"),
    "status.demo": ("示例数据", "Demo data"),
    "status.live": ("微信实时数据", "Live from WeChat"),
    "status.file": ("导入的文件", "Imported files"),
    "status.file_covers": (
        "文件覆盖 {first} 至 {last},共 {n} 周;时间范围之外的周不显示。",
        "The files cover {first} to {last} ({n} weeks); weeks outside the span are not shown.",
    ),
    "status.unconfigured": ("配置有误", "Settings problem"),
    "status.nothing": ("尚未加载数据。", "Nothing loaded yet."),
    "status.loading.week": ("正在加载 {n} 个周数据…", "Loading {n} weeks of data…"),
    "status.at.demo": ("生成于 {when}(北京时间)", "Generated {when} (China time)"),
    "status.at.live": ("从微信获取于 {when}(北京时间)", "Fetched from WeChat {when} (China time)"),
    "status.at.file": ("导入于 {when}(北京时间)", "Imported {when} (China time)"),
    "status.provisional.week": (
        "{n} 周数据未定:微信在之后几周仍会补充这些周的留存。",
        "{n} weeks are provisional: WeChat adds to them over the following weeks.",
    ),
    "status.failed.week": ("{n} 周加载失败", "{n} weeks failed to load"),
    "status.these.week": ("这些周", "these weeks"),
    "status.unknown_reason": ("原因未知,请稍后重试。", "Reason unknown; try again later."),
    # empty states and warnings
    "empty.config": (
        "请把上面的提示转给部署这个看板的同事;修复配置后刷新页面即可。在此之前,可以在“数据”页导入"
        "保存下来的接口返回 JSON 来查看。",
        "Pass the message above to whoever deployed this dashboard; reload the page once the "
        "settings are fixed. Meanwhile, saved API answers can be imported on the Data page.",
    ),
    "empty.no_app": (
        "请在左侧栏选择至少一个小程序。",
        "Choose at least one mini program in the sidebar.",
    ),
    "empty.no_periods.week": (
        "所选范围内没有已结束的自然周。请在左侧栏选择更早的日期或“最近 N 周”。",
        "No natural week in the chosen range has ended yet. Choose earlier dates or "
        "“Last N weeks” in the sidebar.",
    ),
    "empty.all_failed": (
        "所选时间范围内的数据全部加载失败,原因如下。处理后可在“数据”页点击“从微信刷新”重试。",
        "No week of the chosen span could be loaded; the reasons are below. When fixed, retry "
        "with “Refresh from WeChat” on the Data page.",
    ),
    "empty.no_data": (
        "{source}中没有所选小程序在这些周的数据。请换一个时间范围,或在“数据”页导入文件。",
        "{source} has no numbers for these weeks of the chosen mini program. Choose another span, "
        "or import a file on the Data page.",
    ),
    "warn.partial.week": (
        "有 {n} 周的数据没有加载成功,图表中这些周为空;其余周照常显示。",
        "{n} weeks could not be loaded and are blank in the charts; the other weeks are shown.",
    ),
    "warn.stopped": (
        "加载已中止:{reason}",
        "Loading stopped: {reason}",
    ),
    "page.overview.trend": ("{metric}:批次规模与次周留存", "{metric}: cohort size and W1"),
    "page.overview.anomalies.week": (
        "异常周(点击在热力图中查看)", "Flagged weeks (open in the heatmap)",
    ),
    "page.overview.older.week": ("另外 {n} 个更早的异常周", "{n} earlier flagged weeks"),
    "page.overview.no_anomaly.week": (
        "所选范围内没有超出正常波动范围的周。", "No week in the span is outside its usual range.",
    ),
    "page.heatmap.caption.week": (
        "每行是一个批次(该周的新增或活跃用户),每列是之后第几周仍回访的比例。空白格表示微信尚未发布。",
        "Each row is a cohort (the week's new or active users); each column is the share that "
        "came back that many weeks later. Blank cells are not published by WeChat yet.",
    ),
    "page.heatmap.values": ("显示", "Show"),
    "page.heatmap.values.rate": ("留存率", "Rates"),
    "page.heatmap.values.users": ("人数", "Users"),
    "page.heatmap.order": ("最新批次", "Newest cohort"),
    "page.heatmap.order.top": ("在上", "On top"),
    "page.heatmap.order.bottom": ("在下", "At the bottom"),
    "page.heatmap.calendar": ("按回访自然周查看", "By calendar week of the return"),
    "page.heatmap.calendar.help": (
        "把每个格子放到用户回访的那一周:节假日等影响所有批次的事件会显示为一整列。",
        "Places each cell in the week users came back: a holiday that hits every cohort shows "
        "as one column.",
    ),
    "page.heatmap.both": ("同时显示两个指标", "Both metrics side by side"),
    "page.heatmap.scale_per_app": ("每个小程序单独配色", "A colour scale per mini program"),
    "page.heatmap.scale_per_app.help": (
        "默认所有热力图共用一个色阶:同一种颜色就是同一个留存率。单独配色便于看清每个小程序内部的变化,"
        "但不同小程序之间的颜色不能再直接比较。",
        "By default every heatmap shares one colour scale: one colour is one rate. A scale per "
        "mini program shows the variation within each, but colours no longer compare across "
        "them.",
    ),
    "page.heatmap.footnote": (
        "“未定”的批次在之后几周仍会由微信补充数据;加权平均按批次人数加权,只含当前阶段的批次"
        "(每个周数最近 12 个批次,若其间次周留存有明显的水平变化,则只取变化之后的批次)。",
        "Provisional cohorts still get numbers from WeChat over the next weeks; the average is "
        "weighted by cohort size and covers the current era only (the newest 12 cohorts at each "
        "offset, or those since a clear level shift of W1 among them).",
    ),
    "page.curves.horizon": ("预测到", "Project to"),
    "page.curves.horizon.week": ("第 {n} 周", "week {n}"),
    "page.curves.log": ("对数刻度", "Log scale"),
    "page.curves.log.help": (
        "对数刻度下幂律衰减近似一条直线,便于比较后期留存。",
        "On a log scale a power-law decay is close to a straight line: late weeks are easier "
        "to compare.",
    ),
    "page.curves.cohorts": ("显示的批次", "Cohorts shown"),
    "page.curves.cohorts.all": ("全部批次", "All cohorts"),
    "page.curves.no_fit": (
        "已发布的周数太少,暂时无法拟合留存曲线。请选择更长的时间范围。",
        "Too few published weeks to fit a curve yet. Choose a longer span.",
    ),
    "page.curves.fit": (
        "预测模型:{model}(默认幂律模型;只有另一模型对最后一个已发布周的预测好出一个标准误以上"
        "才换用;与加权平均的均方根误差 {rmse} 个百分点,{cohorts} 个批次)。预计第 {horizon} 周"
        "留存 {rate}(范围 {low} ~ {high},包含所有未能排除的模型);微信只发布 4 周,"
        "超出 3 倍的部分是模型假设。",
        "Model: {model} (the power law unless another model predicts the last published week "
        "better by more than one standard error; RMSE against the weighted average {rmse} pp "
        "over {cohorts} cohorts). Projected week-{horizon} retention {rate} (range {low} to "
        "{high}, spanning every model not ruled out); WeChat publishes 4 weeks, and beyond 3× "
        "that the curve is the models' assumption.",
    ),
    "page.week_over_week.caption": (
        "每个批次与上一批次相比的变化,单位为百分点。★ 表示这一变化超出了该周数平时的每周波动,"
        "并在整张表的多重比较校正(BH,错误发现率 5%)后仍然显著;只有带 ★ 的变化有颜色,其余为灰色。",
        "Each cohort against the one before, in percentage points. ★ marks a change beyond that "
        "offset's usual week-to-week variation that stays significant after correcting for every "
        "test of the table (BH, 5 % false discoveries); only starred changes are coloured, the "
        "rest are grey.",
    ),
    "page.week_over_week.app": ("小程序", "Mini program"),
    "page.week_over_week.table": ("逐周对比", "Cohort by cohort"),
    "page.week_over_week.too_few": (
        "至少需要两个批次才能比较,请选择更长的时间范围。",
        "At least two cohorts are needed to compare; choose a longer span.",
    ),
    "page.week_over_week.legend": (
        "▲ 上升 ▼ 下降;★ 超出正常波动(已校正多重比较)。阴影带是由前 8 个批次预测的正常范围"
        "(相当于 ±3σ),红圈是超出范围的周;节假日这类异常周不计入之后各周的范围。",
        "▲ up ▼ down; ★ beyond the usual variation (corrected for multiple tests). The shaded "
        "band is the range the 8 cohorts before predict (the level of ±3σ); red circles are "
        "weeks outside it, and an odd week such as a holiday is left out of the ranges after it.",
    ),
    "page.data.caption": (
        "共 {rows} 行,与 CSV 下载的内容一致(每个批次、指标、周数一行)。",
        "{rows} rows, the same as the CSV download (one per cohort, metric and week offset).",
    ),
    "page.data.csv": ("下载 CSV", "Download CSV"),
    "page.data.xlsx": ("下载 Excel", "Download Excel"),
    "page.data.json": ("下载 JSON", "Download JSON"),
    "page.data.coverage": ("每周数据状态", "State of every week"),
    "page.data.weeks_table": ("每周数据状态(表格)", "State of every week (table)"),
    "page.data.refresh": ("从微信刷新", "Refresh from WeChat"),
    "page.data.refresh.button": ("从微信刷新", "Refresh from WeChat"),
    "page.data.refresh.help.live": (
        "重新向微信查询所选范围内每个未定的周,以及还没有数据的周。已定的周不会再变化,"
        "不会重复查询,以节省接口额度。",
        "Asks WeChat again for every provisional week of the span and every week without data. "
        "Final weeks never change, so they are not asked for again: that keeps the API quota.",
    ),
    "page.data.refresh.help.demo": (
        "当前是示例数据,刷新只会重新生成示例。配置小程序后即可获取实时数据。",
        "This is demo data; a refresh only regenerates it. Configure a mini program for live "
        "data.",
    ),
    "page.data.refresh.help.file": (
        "当前显示的是导入的文件,刷新只会重新读取这些文件。",
        "Imported files are shown; a refresh only reads them again.",
    ),
    "page.data.upload": ("导入 JSON 文件", "Import JSON files"),
    "page.data.upload.help": (
        "上传保存下来的接口返回(getweanalysisappidweeklyretaininfo)或云调用返回"
        "(getWeeklyRetain),可以是单个对象或列表;每个文件不超过 {mb} MB。",
        "Upload saved API answers (getweanalysisappidweeklyretaininfo) or cloud-call answers "
        "(getWeeklyRetain), one object or a list; at most {mb} MB per file.",
    ),
    "page.data.upload.app": (
        "导入为小程序(appid 或名称)", "Import as mini program (appid or name)",
    ),
    "page.data.upload.files": ("选择 JSON 文件", "Choose JSON files"),
    # Streamlit's drop zone says "Drag and drop files here" and "Browse files" in English
    # whatever the page's language (it has no parameter for them): the help says it in ours.
    "page.data.upload.files.help": (
        "把 JSON 文件拖到下面的框里,或点 “Browse files” 选择文件;可一次选多个,每个最多 {mb} MB。",
        "Drag JSON files onto the box below or click “Browse files”; several at once, up to "
        "{mb} MB each.",
    ),
    "data.upload.ok": ("已导入 {n} 周:{first} 至 {last}", "Imported {n} weeks: {first} to {last}"),
    "data.upload.above_base": (
        "注意:{weeks} 有回访人数超过当周人数(留存率超过 100%),数字按原样保留。",
        "Note: {weeks} has more returning users than the week's own (a rate over 100%); the "
        "numbers are kept as they are.",
    ),
    "data.upload.again": ("此文件已导入过。", "This file was already imported."),
    "data.upload.too_big": (
        "文件超过 {mb} MB,未导入。请拆分后再上传。",
        "The file is over {mb} MB and was not imported. Split it and upload the parts.",
    ),
    "data.refresh.joined": (
        "同样的刷新正在进行(可能是同事发起的),等待它完成…",
        "The same refresh is already running (perhaps a colleague's); waiting for it…",
    ),
    "data.refresh.start": ("正在连接…", "Starting…"),
    "data.refresh.progress": ("已完成 {done}/{total} 周", "{done} of {total} weeks done"),
    "data.refresh.done": ("刷新完成", "Refresh finished"),
    "data.refresh.ok": ("刷新完成:{ok} 周数据全部加载成功。", "Refreshed: all {ok} weeks loaded."),
    "data.refresh.kept": (
        "以下周重新获取失败,仍显示之前获取的数据:",
        "These weeks could not be fetched again; the copy fetched before is still shown:",
    ),
    "data.refresh.failed": (
        "刷新完成:{ok} 周成功,{n} 周失败。失败原因:",
        "Refreshed: {ok} weeks loaded, {n} failed. Why:",
    ),
    # KPI tiles and sentences
    "kpi.size.help.week": ("{week},与上一周相比。", "{week}, against the week before."),
    "kpi.w1": ("{metric}次周留存", "W1 retention, {metric}"),
    "kpi.w1.help": (
        "最近一个已发布次周留存的批次 {week},与它之前 4 个批次的均值相比(百分点)。只有超出"
        "平时每周波动的变化才显示颜色。",
        "The newest cohort with a published W1, {week}, against the mean of the 4 before it "
        "(percentage points). Coloured only when the change is beyond the usual week-to-week "
        "variation.",
    ),
    "kpi.w4": ("{metric}第 4 周留存", "W4 retention, {metric}"),
    "kpi.w4.help": (
        "最近一个已发布第 4 周留存的批次:{week}。",
        "The newest cohort with a published W4: {week}.",
    ),
    # Tile labels are one line; at 1440 px a tile holds about 26 characters (a test measures it).
    "kpi.projected": ("{metric}第 {k} 周留存(预测)", "W{k} forecast, {metric}"),
    # pages
    "page.overview.title": ("概览", "Overview"),
    "page.heatmap.title": ("留存热力图", "Retention heatmap"),
    "page.curves.title": ("留存曲线", "Decay curves"),
    "page.week_over_week.title": ("周环比", "Week over week"),
    "page.data.title": ("数据", "Data"),
    "page.data.column.app_id": ("小程序 ID", "App ID"),
    "page.data.column.week_offset": ("第几周", "Week"),
    "page.data.column.help": (
        "下载的 CSV 中的列名:{name}", "Column name in the CSV download: {name}",
    ),
    "page.not_found.title": ("找不到这个页面", "Page not found"),
    "page.not_found.body": (
        "这个地址没有对应的页面:{path}。请从下面或左侧选择一个页面;链接中的小程序、时间范围、"
        "指标和语言都会保留。",
        "There is no page at {path}. Pick one below or on the left; the link's mini programs, "
        "weeks, metric and language are kept.",
    ),
    # --- pm19a ---
    # Tile labels name their cohort and stay one line at 1280 px (tests/e2e/test_browser_tiles.py).
    "kpi.tile.size.new": ("新用户 · {cohort}", "New users · {cohort}"),
    "kpi.tile.size.active": ("活跃用户 · {cohort}", "Active users · {cohort}"),
    "kpi.tile.rate": ("{offset}留存 · {cohort}", "{offset} retention · {cohort}"),
    "kpi.tile.projected": ("W{k} 预测 · {first}–{last}", "W{k} forecast · {first}–{last}"),
    "kpi.tile.band": ("区间 {low}–{high}", "range {low}–{high}"),
    "kpi.tile.p": (
        "检验:p{p}(已考虑批次之间的正常波动)。",
        "Test: p{p} (allowing for the usual variation between cohorts).",
    ),
    "kpi.tile.projected.help": (
        "由最近 {n} 个批次({first} 至 {last})拟合的留存曲线({model})外推得到,不随所选时间范围"
        "变化;区间为 95% 范围。仅供参考,“留存曲线”页显示整条曲线。",
        "Extrapolated from the curve ({model}) fitted to the newest {n} cohorts ({first} to "
        "{last}), whatever span is drawn; the range is the 95% band. A guide, not a promise: "
        "the Decay curves page shows the whole curve.",
    ),
    "locale.upload.button": ("上传", "Upload"),
    "locale.upload.limits": ("每个文件不超过 {mb}MB · {types}", "{mb}MB per file • {types}"),
    "page.overview.flags.help": (
        "每个批次与它之前 8 个批次预测的范围相比(约 3 个标准差,已考虑批次人数与每周的正常波动);"
        "一次持续的变化(如上线)只在上面说一次,不再逐周列出。",
        "Each cohort against the range the 8 cohorts before it predict (about 3 standard "
        "deviations, allowing for its size and the usual week-to-week variation); a lasting "
        "change (a launch) is said once above, not listed again week by week.",
    ),
    # --- pm19b ---
    "page.curves.fit.assumed": (
        "范围之所以宽:微信只发布到第 {last} 周,第 {horizon} 周已超出它的 3 倍,"
        "这里的曲线是模型的假设,几个未能排除的模型在这里分开了。",
        "Why the range is wide: WeChat publishes up to W{last}, W{horizon} is beyond three "
        "times that, so the curve there is the model's assumption, and the models not ruled out "
        "part ways.",
    ),
    "page.curves.fit.counts": (
        "图例里的加权平均只含当前水平的 {average} 个批次;预测拟合用了 {fit} 个批次。",
        "The legend's weighted average covers the {average} cohorts of the current level; the "
        "projection was fitted on {fit} cohorts.",
    ),
    "page.week_over_week.chart": ("图表显示", "The chart shows"),
    "page.week_over_week.chart.change": ("环比变化", "Change"),
    "page.week_over_week.chart.level": ("留存水平", "Level"),
    "page.week_over_week.legend.table": (
        "▲ 上升 ▼ 下降;★ 超出正常波动(已校正多重比较),图中为星形点;红圈是超出正常范围的批次。",
        "▲ up ▼ down; ★ beyond the usual variation (corrected for multiple tests), a star on "
        "the chart; a red ring marks a cohort outside its usual range.",
    ),
    "page.heatmap.tight": ("紧凑高度", "Compact height"),
    "page.heatmap.tight.help": (
        "把所有行压进大约一屏:很长的时间范围也能一眼看完。行太矮时格子里不再写数字,鼠标悬停仍可看到。",
        "Squeeze every row into about one screen, so a long span fits at a glance. Rows too "
        "thin for text keep their numbers in the hover.",
    ),
}

# Days and months beside the weeks (issue 14): a file of their own, the weekly texts are above.
DASHBOARD_MESSAGES.update(DASHBOARD_PERIOD_MESSAGES)
