"""Strings of ``wxdata.store`` (``cache.*``): every message names the file (``path``) and says
whether ``wxdata cache clear`` helps. ``cache.postgresql.*`` say the same of the PostgreSQL store
(``path`` is its URL without the password).
"""

from __future__ import annotations

STORE_MESSAGES: dict[str, tuple[str, str]] = {
    "cache.corrupt": (
        "缓存文件 {path} 已损坏或不是 wxretain 的缓存({detail})。请运行 `wxdata cache clear` "
        "删除它,数据会在下次加载时重新从微信获取。",
        "The cache file {path} is damaged or is not a wxretain cache ({detail}). Run "
        "`wxdata cache clear` to delete it; the data is fetched from WeChat again on the next "
        "load.",
    ),
    "cache.schema": (
        "缓存文件 {path} 的格式版本是 {found},本版本的 wxretain 需要 {expected}。请运行 "
        "`wxdata cache clear` 重建缓存(数据会重新从微信获取),或换用匹配的 wxretain 版本。",
        "The cache file {path} has format version {found}; this wxretain needs {expected}. Run "
        "`wxdata cache clear` to rebuild it (the data is fetched from WeChat again), or use the "
        "matching wxretain version.",
    ),
    "cache.busy": (
        "缓存文件 {path} 被另一个进程长时间占用({detail})。请稍后重试;如果一直出现,"
        "请检查是否有卡住的 wxdata 或 streamlit 进程。",
        "The cache file {path} was held by another process for too long ({detail}). Try again in "
        "a moment; if it keeps happening, look for a stuck wxdata or streamlit process.",
    ),
    "cache.unwritable": (
        "无法写入缓存文件 {path}({detail})。请检查该目录的权限和磁盘空间,或用 "
        "WXDATA_CACHE_URL=sqlite:///其他路径 指定另一个位置。",
        "Cannot write the cache file {path} ({detail}). Check the folder's permissions and free "
        "disk space, or point WXDATA_CACHE_URL=sqlite:///another/path somewhere else.",
    ),
    "cache.not_ours": (
        "{path} 不是 wxretain 的缓存文件(可能是别的程序的文件,或已损坏到无法辨认),"
        "wxretain 不会使用它,`wxdata cache clear` 也不会删除它。请把 cache_url 指向另一个文件;"
        "如果确定它是损坏的 wxretain 缓存,请手动删除。",
        "{path} is not a wxretain cache (another program's file, or damaged beyond recognition): "
        "wxretain will not use it and `wxdata cache clear` will not delete it. Point cache_url "
        "at another file; if you are sure it is a damaged wxretain cache, delete it yourself.",
    ),
    "cache.postgresql.busy": (
        "PostgreSQL 缓存 {path} 忙({detail}):另一个进程长时间占用着同一批数据。请稍后重试;"
        "如果一直出现,请检查是否有卡住的 wxdata 或 streamlit 进程(pg_stat_activity)。",
        "The PostgreSQL cache {path} is busy ({detail}): another process held the same data for "
        "too long. Try again in a moment; if it keeps happening, look for a stuck wxdata or "
        "streamlit process (pg_stat_activity).",
    ),
    "cache.postgresql.unwritable": (
        "PostgreSQL 缓存 {path} 拒绝写入({detail})。请检查该用户对数据库(或 search_path 中的 "
        "schema)的 CREATE、SELECT、INSERT、UPDATE、DELETE 权限,以及服务器的磁盘空间。",
        "The PostgreSQL cache {path} refuses to be written ({detail}). Check that the user may "
        "CREATE, SELECT, INSERT, UPDATE and DELETE in the database (or the schema of its "
        "search_path), and the server's free disk space.",
    ),
    "cache.postgresql.unreachable": (
        "无法连接 PostgreSQL 缓存 {path}({detail})。请检查 WXDATA_CACHE_URL(主机、端口、数据库、"
        "用户和密码)以及服务器是否在运行、是否允许这台机器连接。",
        "Cannot reach the PostgreSQL cache {path} ({detail}). Check WXDATA_CACHE_URL (host, "
        "port, database, user and password), that the server is running, and that it accepts "
        "connections from this machine.",
    ),
    "cache.postgresql.corrupt": (
        "PostgreSQL 缓存 {path} 返回了错误({detail})。如果缓存表已损坏,请运行 "
        "`wxdata cache clear`,数据会在下次加载时重新从微信获取。",
        "The PostgreSQL cache {path} answered with an error ({detail}). If the cache tables are "
        "damaged, run `wxdata cache clear`; the data is fetched from WeChat again on the next "
        "load.",
    ),
    "cache.postgresql.schema": (
        "PostgreSQL 缓存 {path} 的格式版本是 {found},本版本的 wxretain 需要 {expected}。"
        "请把 wxretain 升级到其他副本所用的版本,或运行 `wxdata cache clear` 重建缓存表"
        "(数据会重新从微信获取)。",
        "The PostgreSQL cache {path} has format version {found}; this wxretain needs {expected}. "
        "Run the same wxretain version as the other replicas, or run `wxdata cache clear` to "
        "rebuild the cache tables (the data is fetched from WeChat again).",
    ),
    "cache.postgresql.not_ours": (
        "{path} 中的 weeks 表不是 wxretain 的缓存(属于别的程序),wxretain 不会使用它,"
        "`wxdata cache clear` 也不会删除它。请换一个数据库,或在 URL 中用 "
        "?options=-csearch_path%3Dwxretain 指定一个独立的 schema。",
        "The weeks table in {path} is not a wxretain cache (it belongs to another program): "
        "wxretain will not use it and `wxdata cache clear` will not drop it. Use another "
        "database, or a schema of its own with ?options=-csearch_path%3Dwxretain in the URL.",
    ),
}
