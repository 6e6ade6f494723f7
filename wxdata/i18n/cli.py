"""Strings of the ``wxdata`` command (``cli.*``): help texts and the one-line messages scripts read.

A message that names the period has one entry per period (``cli.stopped.day``,
``cli.stopped.week``, ``cli.stopped.month``; counts as ``cli.count.{kind}``), so that Chinese
gets its own word for each (天, 周, 月) and the weekly lines stay exactly what scripts have
always read.
"""

from __future__ import annotations

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    "cli.help.main": (
        "微信小程序的日、周、月留存数据:导出、预热缓存、导入保存的接口返回、管理缓存、"
        "运行模拟微信接口。",
        "Daily, weekly and monthly retention of WeChat mini programs: export, warm the cache, "
        "import saved API answers, manage the cache, run a fake WeChat API.",
    ),
    "cli.help.command": ("要运行的命令(见下)。", "The command to run (below)."),
    "cli.help.lang": (
        "消息语言(zh 或 en,默认 en)。", "Language of messages (zh or en; default en).",
    ),
    "cli.help.verbose": (
        "在标准错误输出中显示重试等详细日志。", "Log retries and other details on stderr.",
    ),
    "cli.help.export": (
        "导出一段时间的留存数据(tidy 格式:CSV、JSON 或 XLSX)。",
        "Export the retention data of a date span as the tidy table (CSV, JSON or XLSX).",
    ),
    "cli.help.period": (
        "同期群的周期:day(日)、week(周,默认)或 month(月)。",
        "The cohorts' period: day, week (the default) or month.",
    ),
    "cli.help.from": (
        "开始日期 YYYY-MM-DD(含);也可以写月份 YYYY-MM,表示该月 1 日。"
        "周或月中间的日期代表整个周或月。",
        "First day, YYYY-MM-DD (inclusive); a month YYYY-MM stands for its 1st. A date inside "
        "a week or month stands for the whole of it.",
    ),
    "cli.help.to": (
        "结束日期 YYYY-MM-DD(含);也可以写月份 YYYY-MM,表示该月最后一天。"
        "今天、本周和本月还没结束,不会导出。",
        "Last day, YYYY-MM-DD (inclusive); a month YYYY-MM stands for its last day. Today, this "
        "week and this month have not ended and are left out.",
    ),
    "cli.help.app": (
        "只导出这个小程序(名称或 AppID);省略则导出全部已配置的小程序。",
        "Only this mini program (name or AppID); all configured ones when omitted.",
    ),
    "cli.help.format": (
        "输出格式(默认 csv,或按 --output 的扩展名)。",
        "Output format (default csv, or from the --output file's extension).",
    ),
    "cli.help.output": (
        "写入这个普通文件(原子替换);- 或省略则写到标准输出(xlsx 不能写到终端)。",
        "Write to this regular file (replaced atomically); stdout for - or when omitted (xlsx "
        "is never written to a terminal).",
    ),
    "cli.help.max_days": (
        "允许的最多天数(默认取设置里的 max_days,180):每天都要调用一次接口。",
        "The most days allowed (default: the max_days setting, 180): each day is one API call.",
    ),
    "cli.help.max_weeks": (
        "允许的最多周数(默认取设置里的 max_weeks,104):每周都要调用一次接口。",
        "The most weeks allowed (default: the max_weeks setting, 104): each week is one API "
        "call.",
    ),
    "cli.help.max_months": (
        "允许的最多月数(默认取设置里的 max_months,36):每个月都要调用一次接口。",
        "The most months allowed (default: the max_months setting, 36): each month is one API "
        "call.",
    ),
    "cli.help.refresh": (
        "重新获取尚未最终确定的日、周或月,即使缓存还新鲜。",
        "Fetch provisional cohorts again even when their cached copy is still fresh.",
    ),
    "cli.help.sync": (
        "为每个已配置的小程序预热缓存(适合 cron 定时运行):默认周、月、日三种同期群依次预热,"
        "各取最近 --weeks、--months、--days 个已结束的周期,另加早先取到时尚未最终确定的周。",
        "Warm the cache for every configured mini program (for cron): weekly, monthly and daily "
        "cohorts by default, in that order, the last --weeks, --months and --days ended ones, "
        "and older weeks that were still provisional when they were fetched.",
    ),
    "cli.help.sync_period": (
        "只预热这种周期(day、week 或 month);可重复;省略则三种都预热。",
        "Warm only this period (day, week or month); repeatable; all three when omitted.",
    ),
    "cli.help.days": (
        "最近多少个已结束的日子(默认 {default}:每天的 D30 要到 31 天后才有,"
        "之后再等一天才最终确定)。",
        "How many recent ended days (default {default}: a day's D30 appears 31 days later and "
        "is final a day after that).",
    ),
    "cli.help.weeks": (
        "最近多少个已结束的周(默认 {default})。",
        "How many recent ended weeks (default {default}).",
    ),
    "cli.help.months": (
        "最近多少个已结束的月份(默认 {default})。",
        "How many recent ended months (default {default}).",
    ),
    "cli.help.import": (
        "把保存的接口返回 JSON(日、周或月留存;HTTPS 或云调用格式)导入缓存。",
        "Load saved API answers into the cache: daily, weekly or monthly retention, as HTTPS "
        "or cloud call JSON.",
    ),
    "cli.help.files": ("要导入的 JSON 文件。", "JSON files to import."),
    "cli.help.import_app": (
        "这些文件属于哪个小程序(名称或 AppID);只配置了一个时可省略。",
        "Which mini program the files belong to (name or AppID); optional when only one is "
        "configured.",
    ),
    "cli.help.cache": ("查看或清空缓存。", "Show or clear the cache."),
    "cli.help.cache_info": (
        "显示缓存的位置(文件或数据库)、大小和内容。",
        "Show where the cache is (a file or a database), its size and content.",
    ),
    "cli.help.cache_clear": (
        "清空缓存(缓存文件或缓存表损坏时直接删除它们)。",
        "Forget every cached week (deletes a damaged cache file, or drops damaged cache tables).",
    ),
    "cli.help.fake_server": (
        "在本机运行一个模拟微信接口,用于试用实时数据路径。",
        "Run a fake WeChat API on this machine to try the live path.",
    ),
    "cli.help.port": ("监听端口。", "Port to listen on."),
    "cli.help.host": ("监听地址(默认 127.0.0.1)。", "Address to listen on (default 127.0.0.1)."),
    "cli.help.latency": (
        "每个请求额外等待的秒数。", "Seconds every request waits before it is answered.",
    ),
    "cli.help.fail": (
        "预设故障 WEEK=FAULT[*TIMES],例如 any=-1*3、2026-W40=61501,可重复。",
        "Scripted fault WEEK=FAULT[*TIMES], e.g. any=-1*3 or 2026-W40=61501; repeatable.",
    ),
    "cli.bad_args": (
        "{prog}:{message}(用 {prog} --help 查看用法)",
        "{prog}: {message} (see {prog} --help)",
    ),
    "cli.cohort_failed": (
        "失败:{app} {cohort}(errcode {errcode}):{reason}",
        "failed: {app} {cohort} (errcode {errcode}): {reason}",
    ),
    "cli.above_base.day": (
        "注意:{app} {cohort} 的 {cells} 比当天人数还多(留存率超过 100%);数字按微信给的原样保留。",
        "note: {app} {cohort}: {cells} is above the cohort's own day (a rate over 100%); "
        "WeChat's numbers are kept as they are.",
    ),
    "cli.above_base.week": (
        "注意:{app} {cohort} 的 {cells} 比当周人数还多(留存率超过 100%);数字按微信给的原样保留。",
        "note: {app} {cohort}: {cells} is above the cohort's own week (a rate over 100%); "
        "WeChat's numbers are kept as they are.",
    ),
    "cli.above_base.month": (
        "注意:{app} {cohort} 的 {cells} 比当月人数还多(留存率超过 100%);数字按微信给的原样保留。",
        "note: {app} {cohort}: {cells} is above the cohort's own month (a rate over 100%); "
        "WeChat's numbers are kept as they are.",
    ),
    "cli.cohort_stale": (
        "注意:{app} {cohort} 使用 {when} 的缓存数据(errcode {errcode}):{reason}",
        "note: {app} {cohort} is the copy cached at {when} (errcode {errcode}): {reason}",
    ),
    "cli.stopped.day": (
        "已停止,其余的日子没有向微信请求:{reason}",
        "Stopped; the remaining days were not asked for: {reason}",
    ),
    "cli.stopped.week": (
        "已停止,其余的周没有向微信请求:{reason}",
        "Stopped; the remaining weeks were not asked for: {reason}",
    ),
    "cli.stopped.month": (
        "已停止,其余的月份没有向微信请求:{reason}",
        "Stopped; the remaining months were not asked for: {reason}",
    ),
    "cli.count.day": ("{n} 天", "{n} days"),
    "cli.count.week": ("{n} 个周", "{n} weeks"),
    "cli.count.month": ("{n} 个月", "{n} months"),
    "cli.summary": (
        "{cohorts}:{fetched} 个从微信获取,{cached} 个来自缓存,{supplied} 个来自示例或文件,"
        "{failed} 个失败;{rows} 行。",
        "{cohorts}: {fetched} fetched, {cached} from the cache, {supplied} from demo or files, "
        "{failed} failed; {rows} rows.",
    ),
    "cli.wrote": ("已写入 {path}。", "Wrote {path}."),
    "cli.demo_source": (
        "没有配置小程序,导出的是示例数据。配置方法见 .streamlit/secrets.toml.example。",
        "No mini program is configured, so this is the demo data. See "
        ".streamlit/secrets.toml.example to configure one.",
    ),
    "cli.xlsx_terminal": (
        "不会把 xlsx 工作簿写到终端:请加上 --output 文件名.xlsx,或重定向标准输出。",
        "Refusing to write an xlsx workbook to a terminal: add --output FILE.xlsx, or redirect "
        "stdout to a file.",
    ),
    "cli.no_apps": (
        "没有配置任何小程序,{command} 无事可做。请在 .streamlit/secrets.toml 中添加 "
        "[[wxdata.apps]],或设置 WXDATA_APPID 和 WXDATA_SECRET。",
        "No mini program is configured, so {command} has nothing to do. Add [[wxdata.apps]] to "
        ".streamlit/secrets.toml, or set WXDATA_APPID and WXDATA_SECRET.",
    ),
    "cli.sync_app": (
        "{app}:{cohorts},{fetched} 个已获取,{cached} 个缓存仍新鲜,{failed} 个失败。",
        "{app}: {cohorts}, {fetched} fetched, {cached} still fresh in the cache, "
        "{failed} failed.",
    ),
    "cli.import_ok": (
        "{file}:已为 {app} 导入 {cohorts}。", "{file}: imported {cohorts} for {app}.",
    ),
    "cli.import_failed": (
        "{file}:没有导入:{reason}", "{file}: not imported: {reason}",
    ),
    "cli.import_unreadable": (
        "无法读取文件({detail}),请检查路径和权限。",
        "the file cannot be read ({detail}); check the path and its permissions.",
    ),
    "cli.import_which_app": (
        "配置了多个小程序({known}),请用 --app 指明这些文件属于哪一个。",
        "Several mini programs are configured ({known}): say which one the files belong to with "
        "--app.",
    ),
    "cli.cache_where": (
        "缓存:{path}({size})", "Cache: {path} ({size})",
    ),
    "cli.cache_empty": ("缓存是空的。", "The cache is empty."),
    "cli.cache_app": ("{app}:{weeks} 个周", "{app}: {weeks} weeks"),
    "cli.cache_counts": (
        "最终 {final} 个,暂定 {provisional} 个;最早获取于 {oldest},最近获取于 {newest}(UTC)。",
        "{final} final, {provisional} provisional; fetched between {oldest} and {newest} (UTC).",
    ),
    "cli.cache_cleared": (
        "已从 {path} 清除 {n} 个周。", "Cleared {n} weeks from {path}.",
    ),
    "cli.cache_deleted": (
        "缓存 {path} 无法读取,已删除;数据会在下次加载时重新获取。",
        "The cache {path} was unreadable and has been deleted; the data is fetched again on "
        "the next load.",
    ),
    "cli.interrupted": (
        "已中断;已经取到的周都在缓存里。", "Interrupted; the weeks fetched so far are cached.",
    ),
    "cli.internal_error": (
        "wxdata 遇到了意外错误({kind})。请加 -v 重新运行查看详情,并把结果发给维护者。",
        "wxdata hit an unexpected error ({kind}). Run again with -v for details and report it.",
    ),
    "cli.write_failed": (
        "无法写入 {path}({detail}),请检查路径和权限。",
        "Cannot write {path} ({detail}); check the path and its permissions.",
    ),
    "cli.quota_short": (
        "{app}:这次导出要向微信查询 {what}({needed} 次调用),而该接口今天的配额只剩 {remain} 次。"
        "没有开始查询,配额也没有动用。请缩短时间范围,或明天再试(配额按天重置)。",
        "{app}: this export needs {what} from WeChat ({needed} calls), but only {remain} calls "
        "of that API's quota are left today. Nothing was asked and no quota spent: narrow the "
        "span, or try again tomorrow (the quota resets daily).",
    ),
}
