"""Strings of the digests and alerts (``digest.*``), their configuration errors
(``config.bad_digest`` ...), their store errors (``cache.alerts*``), their commands
(``cli.help.digest`` ...) and the Data page's digest panel (``page.data.digest.*``).

A message that names a period has one entry per period (``digest.period.day``, ``.week``,
``.month``), so that Chinese gets its own word for each.
"""

from __future__ import annotations

_FAILURES: dict[str, tuple[str, str]] = {
    "digest.fail.timeout": (
        "连接 {digest} 的机器人超时。", "The connection to {digest}'s robot timed out.",
    ),
    "digest.fail.unconfirmed": (
        "{digest}:消息已发出但没有收到答复,可能已经送达;为避免重复,没有再发。请先看一眼群里再决定"
        "是否重发。",
        "{digest}: the message left but no answer came back; it may have arrived, so it was not "
        "sent again (that could post it twice). Look in the group before sending it again.",
    ),
    "digest.fail.connection": (
        "{digest}:连不上机器人地址({detail}),请检查网络和 webhook。",
        "{digest}: could not connect to the robot ({detail}); check the network and the "
        "webhook.",
    ),
    "digest.fail.http": (
        "{digest}:机器人地址答复 HTTP {status}。", "{digest}: the robot answered HTTP {status}.",
    ),
    "digest.fail.not_json": (
        "{digest}:机器人地址的答复不是 JSON(HTTP {status}),webhook 是否指向了别处?",
        "{digest}: the robot's answer is not JSON (HTTP {status}); does the webhook point "
        "somewhere else?",
    ),
    "digest.fail.wecom_key": (
        "{digest}:企业微信拒绝了这个 webhook key(errcode {errcode}):机器人已被删除或 key "
        "有误。在群设置 → 群机器人中复制新的 webhook 地址,写入 secrets.toml。",
        "{digest}: WeCom refused the webhook key (errcode {errcode}): the robot was removed or "
        "the key is wrong. Copy the webhook address again from the group's robot settings into "
        "secrets.toml.",
    ),
    "digest.fail.feishu_sign": (
        "{digest}:飞书签名校验失败(errcode {errcode}):secret 与机器人的“签名校验”不一致,"
        "或本机时钟偏差超过一小时。",
        "{digest}: Feishu refused the signature (errcode {errcode}): the secret differs from "
        "the robot's signing secret, or this machine's clock is off by more than an hour.",
    ),
    "digest.fail.feishu_token": (
        "{digest}:飞书不认识这个 webhook(errcode {errcode}):机器人已被移除或地址有误,"
        "请重新复制 webhook 地址。",
        "{digest}: Feishu does not know this webhook (errcode {errcode}): the bot was removed "
        "or the address is wrong; copy the webhook address again.",
    ),
    "digest.fail.feishu_ip": (
        "{digest}:飞书机器人的 IP 白名单不包含本机(errcode {errcode})。",
        "{digest}: this machine is not on the Feishu bot's IP allow-list (errcode {errcode}).",
    ),
    "digest.fail.feishu_keyword": (
        "{digest}:消息不含飞书机器人设置的关键词(errcode {errcode}),请把关键词设为 "
        "wxretain 或改用签名校验。",
        "{digest}: the message lacks the Feishu bot's keyword (errcode {errcode}); set the "
        "keyword to wxretain or use a signing secret instead.",
    ),
    "digest.fail.dingtalk_security": (
        "{digest}:钉钉机器人的安全设置拒绝了消息(errcode {errcode}:{errmsg}):检查加签 "
        "secret、关键词或 IP 地址段。",
        "{digest}: the DingTalk robot's security settings refused the message (errcode "
        "{errcode}: {errmsg}): check the signing secret, keyword or IP range.",
    ),
    "digest.fail.dingtalk_token": (
        "{digest}:钉钉不认识这个 access_token(errcode {errcode}),请重新复制 webhook 地址。",
        "{digest}: DingTalk does not know this access_token (errcode {errcode}); copy the "
        "webhook address again.",
    ),
    "digest.fail.refused_other": (
        "{digest}:{channel} 拒绝了消息(errcode {errcode}:{errmsg})。",
        "{digest}: {channel} refused the message (errcode {errcode}: {errmsg}).",
    ),
    "digest.fail.smtp_connect": (
        "{digest}:连接邮件服务器失败({detail}),检查 smtp_url 和网络。",
        "{digest}: could not talk to the mail server ({detail}); check smtp_url and the "
        "network.",
    ),
    "digest.fail.smtp_tls": (
        "{digest}:邮件服务器 {host} 的证书不被本机信任,没有发送。请确认 smtp_url 的主机名正确;"
        "若贵司用自己的证书颁发机构,把它的证书文件路径设为 SSL_CERT_FILE。",
        "{digest}: this machine does not trust the certificate of the mail server {host}; "
        "nothing was sent. Check the host in smtp_url; if your company runs its own certificate "
        "authority, point SSL_CERT_FILE at its certificate file.",
    ),
    "digest.fail.smtp_login": (
        "{digest}:邮件服务器拒绝了用户 {user} 的登录:检查 smtp_url 中的用户名和 "
        "WXDATA_SMTP_PASSWORD。",
        "{digest}: the mail server refused the login of {user}: check the user in smtp_url and "
        "WXDATA_SMTP_PASSWORD.",
    ),
    "digest.fail.smtp_refused": (
        "{digest}:邮件服务器拒收这些收件人:{to}。", "{digest}: the mail server refused: {to}.",
    ),
    "digest.fail.smtp_answer": (
        "{digest}:邮件服务器答复 {answer},没有接收邮件。",
        "{digest}: the mail server answered {answer} and did not take the message.",
    ),
}

DIGEST_MESSAGES: dict[str, tuple[str, str]] = {
    **_FAILURES,
    "digest.title": ("wxretain 留存周报 · {week}", "wxretain retention digest · {week}"),
    "digest.subject": ("wxretain 留存周报 {week}:{apps}", "wxretain digest {week}: {apps}"),
    "digest.col.size.day": ("最新一天新用户", "New users, latest day"),
    "digest.col.size.week": ("最新一周新用户", "New users, latest week"),
    "digest.col.size.month": ("最新一月新用户", "New users, latest month"),
    "digest.col.rate": ("{offset}留存", "{offset} retention"),
    "digest.col.projected": ("第 {k} 周留存(预测)", "W{k} forecast"),
    "digest.period.day": ("日 · 最新一天 {cohort}", "Days · newest {cohort}"),
    "digest.period.week": ("周 · 最新一周 {cohort}", "Weeks · newest {cohort}"),
    "digest.period.month": ("月 · 最新一月 {cohort}", "Months · newest {cohort}"),
    "digest.flags.day": ("异常的日批次:", "Flagged days:"),
    "digest.flags.week": ("异常的周批次:", "Flagged weeks:"),
    "digest.flags.month": ("异常的月批次:", "Flagged months:"),
    "digest.more_flags": ("另有 {n} 个,见看板。", "{n} more on the dashboard."),
    "digest.open": ("在看板中打开", "Open in the dashboard"),
    "digest.missing.day": ("没有日数据(加载失败或尚未同步)。",
                           "No daily data (failed to load, or not synced yet)."),
    "digest.missing.week": ("没有周数据(加载失败或尚未同步)。",
                            "No weekly data (failed to load, or not synced yet)."),
    "digest.missing.month": ("没有月数据(加载失败或尚未同步)。",
                             "No monthly data (failed to load, or not synced yet)."),
    "digest.no_image": ("飞书机器人不能上传图片:热力图和趋势图请在看板中查看。",
                        "A Feishu bot cannot upload images: the heatmap and trend are on the "
                        "dashboard."),
    "digest.not_sent": (
        "{digest}:第 {n}/{total} 条消息没有发出,其余也未发送:{reason}",
        "{digest}: message {n}/{total} was not sent, nor the ones after it: {reason}",
    ),
    "digest.alert.title.drop": ("wxretain 提醒:{app} 留存显著下降",
                                "wxretain alert: {app} retention dropped"),
    "digest.alert.title.goal": ("wxretain 提醒:{app} 低于目标", "wxretain alert: {app} below goal"),
    "digest.alert.title.data": ("wxretain 提醒:{app} 数据获取失败",
                                "wxretain alert: {app} data failing"),
    "digest.alert.goal": (
        "{cohort} 的{who}{offset}留存 {rate},低于目标 {goal}(已连续 {n} 个批次未达标)。",
        "{offset} retention of {who} in {cohort} is {rate}, below its goal of {goal} ({n} "
        "cohorts in a row).",
    ),
    "digest.alert.data.quota": (
        "{app}:微信接口今天的调用额度已用完(errcode {errcode}),看板只能显示已缓存的数据,"
        "明天会恢复。",
        "{app}: today's WeChat API quota is used up (errcode {errcode}); the dashboard shows "
        "cached data only until tomorrow.",
    ),
    "digest.alert.data.credential": (
        "{app}:微信拒绝了 AppSecret 或服务器 IP(errcode {errcode}):在小程序后台重置或检查后"
        "更新 secrets.toml。",
        "{app}: WeChat refused the AppSecret or the server's IP (errcode {errcode}): reset or "
        "check it in the mini program's console and update secrets.toml.",
    ),
    "digest.alert.data.refused": (
        "{app}:最近 {n} 次同步都有批次被微信拒绝(最近的 errcode {errcode}),运行 wxdata sync "
        "查看原因。",
        "{app}: WeChat refused cohorts in each of the last {n} syncs (latest errcode "
        "{errcode}); run wxdata sync to see why.",
    ),
    "digest.test_text": (
        "这是 wxretain 的测试消息:摘要 {digest} 的机器人可以收到消息。",
        "A wxretain test message: the robot of digest {digest} receives messages.",
    ),
    "digest.alert.not_sent": (
        "{digest}:提醒 {rule}({app})没有发出,下次运行会重试:{reason}",
        "{digest}: the {rule} alert for {app} was not sent; the next run tries again: {reason}",
    ),
    "config.bad_digest": (
        "摘要 {digest} 的设置 {key} 无效({hint});这个摘要不会发送。",
        "Digest {digest}: the setting {key} is invalid ({hint}); this digest is not sent.",
    ),
    "config.no_digest": (
        "没有配置任何摘要:在 secrets.toml 中加入 [[digest]] 表(见 docs/digest.md)。",
        "No digest is configured: add a [[digest]] table to secrets.toml (see docs/digest.md).",
    ),
    "config.unknown_digest": (
        "没有名为 {digest} 的摘要;已配置:{known}。",
        "No digest is called {digest}; configured: {known}.",
    ),
    "cache.alerts": (
        "提醒记录无法读写({path}):{detail}", "The alert records cannot be used ({path}): {detail}",
    ),
    "cache.alerts_schema": (
        "提醒记录的格式版本 {found} 比本程序({expected})新:请升级 wxretain。",
        "The alert records are format version {found}, newer than this program's "
        "({expected}): upgrade wxretain.",
    ),
    # -- the commands
    "cli.help.digest": (
        "发送配置的留存摘要(企业微信、飞书、钉钉或邮件)。",
        "Send the configured retention digests (WeCom, Feishu, DingTalk or e-mail).",
    ),
    "cli.help.alert": (
        "检查提醒规则(显著下降、低于目标、数据失败),每条提醒只发一次;在每次 wxdata sync "
        "之后运行。",
        "Check the alert rules (significant drop, below goal, data failing) and send each alert "
        "once; run after each wxdata sync.",
    ),
    "cli.help.digest_name": ("只处理这个名字的摘要。", "Only the digest of this name."),
    "cli.help.digest_lang": (
        "消息和输出的语言(zh 或 en;默认:每个摘要设置的 lang)。",
        "Language of the messages and the output (zh or en; default: each digest's lang).",
    ),
    "cli.help.dry_run": (
        "只打印消息并写出 PNG,不发送。", "Print the messages and write the PNGs; send nothing.",
    ),
    "cli.help.output_dir": (
        "--dry-run 写 PNG 的目录(默认当前目录)。",
        "Where --dry-run writes the PNGs (default: the current directory).",
    ),
    "cli.digest_sent": ("{digest}:已发送 {n} 条消息。", "{digest}: sent {n} messages."),
    "cli.digest_png": ("已写出 {path}", "Wrote {path}"),
    "cli.alert_done": (
        "{digest}:发送 {sent} 条提醒,{skipped} 条此前已发送。",
        "{digest}: sent {sent} alerts; {skipped} were sent before.",
    ),
    # -- the Data page's panel
    "page.data.digest.title": ("摘要与提醒", "Digests and alerts"),
    "page.data.digest.none": (
        "没有配置摘要:在 secrets.toml 中加入 [[digest]] 表(见 docs/digest.md)。",
        "No digest is configured: add a [[digest]] table to secrets.toml (see docs/digest.md).",
    ),
    "page.data.digest.choose": ("摘要", "Digest"),
    "page.data.digest.preview": ("预览摘要", "Preview digest"),
    "page.data.digest.test": ("发送测试消息", "Send a test message"),
    "page.data.digest.sent": ("测试消息已发送。", "The test message was sent."),
    "page.data.digest.channel": ("渠道:{channel};应用:{apps}", "Channel: {channel}; apps: {apps}"),
}
