"""Strings of ``wxdata.wechat``: WeChat's errcode answers and transport failures (``api.*``).

Parameters: errcode answers get ``errcode``, ``appid``, ``week``, ``errmsg`` (WeChat's own text,
redacted) and for 40164 ``ip``; transport failures get ``week`` and ``detail``. Credential and
quota messages name the app rather than the week: they stop the whole run.
"""

from __future__ import annotations

WECHAT_MESSAGES: dict[str, tuple[str, str]] = {
    # errcode answers (wxdata.wechat.http.ERRCODES)
    "api.busy": (
        "微信服务器繁忙(errcode {errcode}),{week} 的数据没有取到。请过几分钟再刷新;"
        "已取到的数据会保留。",
        "WeChat was busy (errcode {errcode}): nothing came back for {week}. Refresh again in a "
        "few minutes; what was already fetched is kept.",
    ),
    "api.token_invalid": (
        "{appid} 的 access_token 换新后仍被微信拒绝(errcode {errcode}),{week} 没有取到。"
        "通常是另一个工具在用 force_refresh 或旧版 /cgi-bin/token 接口刷新同一个小程序的 token:"
        "请让它改用稳定版 token(stable_token),然后重试。",
        "WeChat kept refusing the access token of {appid} even after a new one was fetched "
        "(errcode {errcode}): nothing came back for {week}. Usually another tool refreshes this "
        "mini program's token with force_refresh or the classic /cgi-bin/token API: ask its "
        "owner to switch to the stable token (stable_token), then try again.",
    ),
    "api.bad_appid": (
        "微信不认识 AppID {appid}(errcode 40013)。请检查配置(secrets.toml 或 WXDATA_APPID)"
        "中的 AppID,它在小程序管理后台 开发管理 → 开发设置 中可以找到。",
        "WeChat does not know the AppID {appid} (errcode 40013). Check the AppID in the "
        "configuration (secrets.toml or WXDATA_APPID); it is shown in the mini program admin "
        "console under 开发管理 → 开发设置 (Development settings).",
    ),
    "api.bad_secret": (
        "微信拒绝了为 {appid} 配置的 AppSecret(errcode 40125)。请检查 secrets.toml 或 "
        "WXDATA_SECRET 中的 AppSecret;如果它已被重置,请在小程序管理后台 开发管理 → 开发设置 中"
        "重新生成并更新配置。",
        "WeChat refused the AppSecret configured for {appid} (errcode 40125). Check the AppSecret "
        "in secrets.toml or WXDATA_SECRET; if it was reset, generate a new one in the mini "
        "program admin console (开发管理 → 开发设置) and update the configuration.",
    ),
    "api.ip_not_whitelisted": (
        "微信拒绝了来自 IP {ip} 的 {appid} 调用(errcode 40164):请在小程序管理后台 "
        "开发管理 → 开发设置 → IP白名单 中添加 {ip},几分钟后再试。",
        "WeChat refused the call for {appid} from IP {ip} (errcode 40164): add {ip} to the IP "
        "whitelist in the mini program admin console (开发管理 → 开发设置 → IP白名单), then try "
        "again in a few minutes.",
    ),
    "api.our_bug": (
        "微信认为 {week} 的请求格式有误(errcode {errcode}:{errmsg})。这是 wxretain 的缺陷,"
        "与您的配置无关:请把这条消息发给维护者。",
        "WeChat found the request for {week} malformed (errcode {errcode}: {errmsg}). This is a "
        "bug in wxretain, not in your settings: please report it with this message.",
    ),
    "api.daily_quota": (
        "{appid} 今天的微信数据接口调用次数已用完(errcode 45009)。已取到的数据会保留,"
        "其余的请明天再取。这个额度由使用同一 AppID 的所有工具共享。",
        "The daily quota of WeChat data calls for {appid} is used up (errcode 45009). What was "
        "already fetched is kept; fetch the rest tomorrow. Every tool that uses this AppID "
        "shares the quota.",
    ),
    "api.minute_quota": (
        "一分钟内调用微信接口太多次(errcode 45011),{week} 没有取到。请等一分钟再刷新;"
        "如果经常出现,请调低并发数(WXDATA_CONCURRENCY)。",
        "Too many WeChat calls within one minute (errcode 45011): nothing came back for {week}. "
        "Wait a minute and refresh; if it keeps happening, lower the concurrency "
        "(WXDATA_CONCURRENCY).",
    ),
    "api.unauthorized": (
        "小程序 {appid} 没有调用数据分析接口的权限(errcode 48001)。请小程序管理员在管理后台"
        "检查接口权限;wxretain 无法自行解决。",
        "The mini program {appid} is not allowed to use WeChat's data analysis API (errcode "
        "48001). Ask the mini program's admin to check its API permissions in the admin console; "
        "wxretain cannot fix this itself.",
    ),
    "api.week_refused": (
        "微信拒绝查询 {week}(errcode 61501):只能查询按北京时间已结束的自然日、自然周(周一到周日)"
        "或自然月。请选择更早的日期。",
        "WeChat refused the dates of {week} (errcode 61501): only a natural day, week (Monday to "
        "Sunday) or month that has already ended in China time can be asked for. Choose earlier "
        "dates.",
    ),
    "api.not_ready": (
        "微信还没有算好 {week} 的数据(errcode 61503)。数据通常在北京时间 10:00 之后就绪,"
        "有时要到 15:00,请稍后再试。",
        "WeChat has not finished computing {week} (errcode 61503). The data is usually ready "
        "after 10:00 China time, sometimes only after 15:00; try again later.",
    ),
    "api.unknown": (
        "微信对 {week} 返回了 wxretain 不认识的错误码 {errcode}:{errmsg}。请稍后再试;"
        "如果一直出现,请把这条消息发给维护者。",
        "WeChat answered {week} with errcode {errcode}, which wxretain does not know: {errmsg}. "
        "Try again later, and report this message if it keeps happening.",
    ),
    # transport failures (wxdata.wechat.http.transport_error) and answers without numbers
    "api.timeout": (
        "微信在规定时间内没有回应 {week}({detail})。请检查服务器到 api.weixin.qq.com 的网络后"
        "重试;网络较慢时可以调大超时时间(WXDATA_TIMEOUT)。",
        "WeChat did not answer in time for {week} ({detail}). Check the network between this "
        "server and api.weixin.qq.com and try again; on a slow network raise the timeout "
        "(WXDATA_TIMEOUT).",
    ),
    "api.connection": (
        "无法连接到微信来获取 {week}({detail})。请检查服务器的网络和代理设置,以及接口地址"
        "(WXDATA_API_BASE)是否正确,然后重试。",
        "Could not reach WeChat to fetch {week} ({detail}). Check the server's network and proxy "
        "settings and that the API address (WXDATA_API_BASE) is right, then try again.",
    ),
    "api.too_big": (
        "微信为 {week} 返回的内容大得不正常({detail}),已丢弃。"
        "这通常是网络中间设备的问题,请稍后再试。",
        "The answer for {week} was abnormally large ({detail}) and was discarded. This is "
        "usually a proxy on the way; try again later.",
    ),
    "api.http_status": (
        "微信服务器为 {week} 返回了错误页面({detail})。这通常是微信一侧的临时问题,"
        "请过几分钟再试。",
        "WeChat's server answered {week} with an error page ({detail}). This is usually "
        "temporary on WeChat's side; try again in a few minutes.",
    ),
    "api.bad_address": (
        "接口地址对 {week} 的请求返回了 {detail},这不是微信的应答。请检查接口地址"
        "(WXDATA_API_BASE,通常是 https://api.weixin.qq.com)后重试。",
        "The API address answered the request for {week} with {detail}, which is not a WeChat "
        "answer. Check the API address (WXDATA_API_BASE, normally https://api.weixin.qq.com), "
        "then try again.",
    ),
    "api.not_json": (
        "微信对 {week} 的回应不是 JSON({detail}),通常是网关或代理的错误页面。请过几分钟再试;"
        "如果一直出现,请确认接口地址(WXDATA_API_BASE)指向微信。",
        "WeChat's answer for {week} was not JSON ({detail}); usually a gateway or proxy error "
        "page. Try again in a few minutes; if it persists, check that the API address "
        "(WXDATA_API_BASE) points to WeChat.",
    ),
    "api.token_answer": (
        "微信返回的 access_token 应答无法使用({detail}),{week} 没有取到。请过几分钟再试。",
        "WeChat's access-token answer could not be used ({detail}): nothing came back for "
        "{week}. "
        "Try again in a few minutes.",
    ),
    "api.empty_week": (
        "微信还没有 {week} 的数字:它刚结束,通常在北京时间 10:00 之后算好,有时要到 15:00。"
        "没有写入缓存,请稍后再试。",
        "WeChat has no numbers for {week} yet: it has just ended and is usually computed "
        "after 10:00 China time, sometimes only after 15:00. Nothing was cached; try again "
        "later.",
    ),
    # wxdata fake-server (a developer tool; the fake secret is not a real credential)
    "api.fake_serving": (
        "模拟微信接口已在 {url} 运行(Ctrl+C 停止)。连接方式:WXDATA_API_BASE={url} "
        "WXDATA_APPID={appid} WXDATA_SECRET={secret} streamlit run app.py",
        "Fake WeChat API running at {url} (Ctrl+C to stop). Point wxretain at it: "
        "WXDATA_API_BASE={url} WXDATA_APPID={appid} WXDATA_SECRET={secret} streamlit run app.py",
    ),
}
