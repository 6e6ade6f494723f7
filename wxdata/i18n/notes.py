"""Strings of the admins' additions (issue 16): notes, goals set in the dashboard or by
``wxdata note`` / ``wxdata goal``, and the Data page's checks (quota, consistency)."""

from __future__ import annotations

NOTES_MESSAGES: dict[str, tuple[str, str]] = {
    # --- notes16 ---
    # checking a note (wxdata.core.notes)
    "config.note_no_app": (
        "请选择备注所属的小程序,或选择“全部小程序”。",
        "Choose the app the note is about, or “all apps”.",
    ),
    "config.note_empty": ("备注内容不能为空:请写几个字。", "The note is empty: write a few words."),
    "config.note_too_long": (
        "备注有 {n} 个字符,最多 {max} 个:请缩短后重试。",
        "The note has {n} characters; at most {max} fit. Shorten it and try again.",
    ),
    "config.note_control": (
        "备注只能是一行文字:请删除换行符或其他控制字符后重试。",
        "A note is one line of text: remove the line breaks or other control characters "
        "and try again.",
    ),
    "config.note_too_long_span": (
        "备注覆盖 {days} 天,最多 {max} 天:请缩短日期范围。",
        "The note covers {days} days; at most {max} fit. Choose a shorter range.",
    ),
    # the store
    "cache.admin": (
        "备注、目标和检查设置无法读写({path}):{detail}",
        "The notes, goals and check settings cannot be used ({path}): {detail}",
    ),
    "cache.admin_schema": (
        "备注和目标的格式版本 {found} 比本程序({expected})新:请升级 wxretain。",
        "The notes and goals are format version {found}, newer than this program's "
        "({expected}): upgrade wxretain.",
    ),
    # wxdata note / wxdata goal
    "cli.help.note": (
        "备注(版本发布、活动、故障):添加、列出、修改、删除;所有副本共享。",
        "Notes (releases, campaigns, outages): add, list, edit, remove; shared by every "
        "replica.",
    ),
    "cli.help.note_add": ("添加一条备注。", "Add a note."),
    "cli.help.note_list": ("列出备注(编号、日期、小程序、作者、内容)。",
                           "List the notes (id, dates, app, author, text)."),
    "cli.help.note_edit": ("修改一条备注的内容或日期。", "Change a note's text or dates."),
    "cli.help.note_remove": ("删除一条备注。", "Remove a note."),
    "cli.help.note_app": ("小程序(名称或 AppID)。", "The app (its name or AppID)."),
    "cli.help.note_all": ("备注适用于全部小程序。", "The note is about every app."),
    "cli.help.note_from": ("第一天(YYYY-MM-DD)。", "The first day (YYYY-MM-DD)."),
    "cli.help.note_to": ("最后一天(默认与第一天相同)。", "The last day (the first by default)."),
    "cli.help.note_text": ("备注内容(一行纯文本,最多 200 字)。",
                           "The text (one line of plain text, at most 200 characters)."),
    "cli.help.note_id": ("备注编号(见 wxdata note list)。", "The note's id (wxdata note list)."),
    "cli.help.goal": (
        "管理员设置的目标(覆盖 secrets.toml 中同名目标):设置、列出、删除。",
        "Goals set by admins (they override secrets.toml's of the same name): set, list, "
        "remove.",
    ),
    "cli.help.goal_set": ("设置一个目标。", "Set a goal."),
    "cli.help.goal_list": ("列出管理员设置的目标。", "List the goals admins set."),
    "cli.help.goal_remove": ("删除一个目标(secrets.toml 中的同名目标重新生效)。",
                             "Remove a goal (secrets.toml's of the same name applies again)."),
    "cli.help.goal_name": ("目标名称,如 new_w1、new_d1、active_m1。",
                           "The goal's name, e.g. new_w1, new_d1, active_m1."),
    "cli.help.goal_target": ("目标留存率(0 到 1 之间的小数,如 0.3)。",
                             "The target rate (a fraction between 0 and 1, e.g. 0.3)."),
    "cli.note.added": ("已添加备注 {id}:{span},{app}。", "Added note {id}: {span}, {app}."),
    "cli.note.edited": ("已修改备注 {id}:{span}。", "Changed note {id}: {span}."),
    "cli.note.removed": ("已删除备注 {id}。", "Removed note {id}."),
    "cli.note.none": ("还没有备注。", "No notes yet."),
    "cli.note.unknown": (
        "没有编号为 {id} 的备注:请用 wxdata note list 查看编号。",
        "No note has id {id}: see the ids with wxdata note list.",
    ),
    "cli.goal.set": ("已设置 {app} 的目标 {goal} = {target}。",
                     "Set {app}'s goal {goal} = {target}."),
    "cli.goal.removed": ("已删除 {app} 的目标 {goal}。", "Removed {app}'s goal {goal}."),
    "cli.goal.none": ("管理员还没有设置目标。", "No goals set by admins yet."),
    "cli.goal.unknown": (
        "{app} 没有管理员设置的目标 {goal}:请用 wxdata goal list 查看。",
        "{app} has no goal {goal} set by admins: see them with wxdata goal list.",
    ),
    # the charts, the exports, the digest
    "chart.note": ("备注", "Note"),
    "notes.all_apps": ("全部小程序", "All apps"),
    "xlsx.sheet.notes": ("备注", "Notes"),
    "xlsx.column.note_first": ("第一天", "First day"),
    "xlsx.column.note_last": ("最后一天", "Last day"),
    "xlsx.column.note_text": ("备注", "Note"),
    "xlsx.column.note_author": ("作者", "Written by"),
    "digest.notes": ("备注:", "Notes:"),
    # the Data page's notes panel (dashboard/notes_panel.py)
    "page.data.notes.title": ("备注", "Notes"),
    "page.data.notes.none": (
        "这些小程序还没有备注。管理员可以在这里为版本发布、活动或故障添加备注,它们会显示在图表和摘要中。",
        "No notes for these apps yet. Admins can add one here for a release, a campaign or an "
        "outage; it shows on the charts and in the digest.",
    ),
    "page.data.notes.unavailable": (
        "备注暂时无法读取(存储不可用),图表上也不显示备注。请稍后刷新;如果一直出现,请联系管理员检查缓存存储。",
        "The notes cannot be read right now (the store is unavailable), so no chart shows "
        "them. Reload in a moment; if it keeps happening, ask an admin to check the cache "
        "store.",
    ),
    "page.data.notes.col.id": ("编号", "Id"),
    "page.data.notes.col.days": ("日期", "Days"),
    "page.data.notes.col.app": ("小程序", "App"),
    "page.data.notes.col.text": ("备注", "Note"),
    "page.data.notes.col.author": ("作者", "Written by"),
    "page.data.notes.add": ("添加备注", "Add a note"),
    "page.data.notes.add.button": ("添加", "Add"),
    "page.data.notes.app": ("小程序", "App"),
    "page.data.notes.days": ("日期(一天或一段)", "Days (one or a range)"),
    "page.data.notes.days.help": (
        "点一天,或先点第一天再点最后一天。", "Click one day, or the first and then the last day.",
    ),
    "page.data.notes.text": ("内容", "Text"),
    "page.data.notes.text.help": (
        "一行纯文本,最多 {max} 字;按原样显示,不支持格式或链接。",
        "One line of plain text, at most {max} characters; shown as typed, without formatting "
        "or links.",
    ),
    "page.data.notes.added": ("已添加备注 {id}。", "Added note {id}."),
    "page.data.notes.pick": ("修改或删除备注", "Edit or remove a note"),
    "page.data.notes.save": ("保存修改", "Save changes"),
    "page.data.notes.remove": ("删除备注", "Remove the note"),
    "page.data.notes.saved": ("已保存备注 {id}。", "Saved note {id}."),
    "page.data.notes.gone": (
        "备注 {id} 已被他人删除,修改未保存。",
        "Note {id} was removed by someone else; nothing was saved.",
    ),
    "page.data.notes.removed": ("已删除备注 {id}。", "Removed note {id}."),
    "page.data.notes.csv": ("下载备注 CSV", "Download the notes (CSV)"),
    "page.data.grid": ("下载留存矩阵(Excel)", "Download the cohort grid (Excel)"),
    # the quota check before wxdata sync and a dashboard refresh
    "cli.quota_short_sync": (
        "{app}:同步要向微信查询 {what}({needed} 次调用),而该接口今天的配额只剩 {remain} 次。"
        "这一项没有开始,配额也没有动用;其余的照常同步。明天配额重置后再运行。",
        "{app}: syncing needs {what} from WeChat ({needed} calls), but only {remain} calls of "
        "that API's quota are left today. That part was not started and no quota spent; the "
        "rest syncs as usual. Run it again tomorrow, when the quota resets.",
    ),
    # the Data page's checks (dashboard/checks_panel.py)
    "page.data.checks.title": ("数据检查", "Checks of the data"),
    "page.data.checks.quota": ("今天的接口配额", "Today's API quota"),
    "page.data.checks.quota.button": ("查询配额", "Check the quota"),
    "page.data.checks.quota.help": (
        "每个小程序每个接口每天的调用次数有限,且由公司所有工具共用。点击查询(每个接口一次配额查询)。",
        "Each app's APIs have a daily number of calls, shared by every tool of the company. "
        "Click to see what is left (one quota call per API).",
    ),
    "page.data.checks.short": (
        "{app}:这次刷新需要 {needed} 次调用,而该接口今天的配额只剩 {remain} 次。刷新没有开始,"
        "配额也没有动用:请缩短时间范围,或明天再试(配额按天重置)。",
        "{app}: this refresh needs {needed} calls, but only {remain} of that API's quota are "
        "left today. The refresh did not start and no quota was spent: choose a shorter span, "
        "or try again tomorrow (the quota resets daily).",
    ),
    "page.data.checks.unknown": (
        "配额未知(接口未授权或暂时不可用)", "quota not known (the API is not granted or down)",
    ),
    "page.data.checks.col.app": ("小程序", "App"),
    "page.data.checks.col.api": ("接口", "API"),
    "page.data.checks.col.limit": ("每日上限", "Daily limit"),
    "page.data.checks.col.used": ("已用", "Used"),
    "page.data.checks.col.remain": ("剩余", "Left"),
    "page.data.checks.col.note": ("说明", "Note"),
    "page.data.checks.api.retention.day": ("日留存", "daily retention"),
    "page.data.checks.api.retention.week": ("周留存", "weekly retention"),
    "page.data.checks.api.retention.month": ("月留存", "monthly retention"),
    "page.data.checks.api.visits.day": ("日访问趋势", "daily visit trend"),
    "page.data.checks.api.visits.week": ("周访问趋势", "weekly visit trend"),
    "page.data.checks.api.visits.month": ("月访问趋势", "monthly visit trend"),
    "page.data.checks.consistency": ("访问趋势与留存是否一致", "Visit trend against retention"),
    "page.data.checks.apps": ("开启一致性检查的小程序", "Apps with the consistency check on"),
    "page.data.checks.apps.help": (
        "开启后,每个时段会多一次访问趋势调用(只调用一次,结果存入缓存);"
        "新增和活跃用户数与留存的第 0 期比较。",
        "When on, each period costs one visit-trend call (once; the answer is stored); its new "
        "and active users are compared with retention's key 0.",
    ),
    "page.data.checks.off": (
        "一致性检查未开启:在上面选择小程序即可开启。",
        "The consistency check is off: pick apps above to turn it on.",
    ),
    "page.data.checks.fetch": ("向微信查询缺少的访问趋势",
                               "Ask WeChat for the missing visit trends"),
    "page.data.checks.summary": (
        "已比较 {compared} 个时段,{differ} 行不一致,{missing} 个时段尚未查询。",
        "{compared} periods compared, {differ} rows differ, {missing} periods not asked yet.",
    ),
    "page.data.checks.col.cohort": ("批次", "Cohort"),
    "page.data.checks.col.metric": ("用户", "Users"),
    "page.data.checks.col.retention": ("留存第 0 期", "Retention key 0"),
    "page.data.checks.col.visits": ("访问趋势", "Visit trend"),
    "page.data.checks.col.difference": ("差异", "Difference"),
    "page.data.checks.col.agree": ("一致", "Agree"),
    # the Data page's goals (dashboard/goals_panel.py)
    "page.data.goals.title": ("目标", "Goals"),
    "page.data.goals.help": (
        "在这里设置的目标覆盖 secrets.toml 中同名的目标,显示在概览中并用于提醒;"
        "删除后配置中的目标重新生效。",
        "A goal set here replaces secrets.toml's of the same name on the Overview and in the "
        "alerts; remove it and the configured one applies again.",
    ),
    "page.data.goals.col.app": ("小程序", "App"),
    "page.data.goals.col.goal": ("目标名称", "Goal"),
    "page.data.goals.col.what": ("含义", "Meaning"),
    "page.data.goals.col.target": ("目标值", "Target"),
    "page.data.goals.col.from": ("来源", "Set in"),
    "page.data.goals.what": ("{metric}用户{offset}留存", "{metric} users at {offset}"),
    "page.data.goals.stored": ("管理员(看板或命令行)", "by an admin (dashboard or CLI)"),
    "page.data.goals.config": ("配置文件", "the configuration"),
    "page.data.goals.target": ("目标留存率(%)", "Target rate (%)"),
    "page.data.goals.set": ("设置目标", "Set the goal"),
    "page.data.goals.remove.pick": ("删除管理员设置的目标", "Remove a goal set by an admin"),
    "page.data.goals.remove": ("删除目标", "Remove the goal"),
}
