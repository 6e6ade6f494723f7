"""Strings of ``wxdata.store`` (``cache.*``): every message names the file (``path``) and says
whether ``wxdata cache clear`` helps.
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
    "cache.bad_row": (
        "缓存文件 {path} 中 {app} 的 {week} 周数据无效({detail}),不会被使用。请运行 "
        "`wxdata cache clear` 清空缓存,然后重新加载。",
        "The cache file {path} holds an invalid entry for {app}, week {week} ({detail}); it is not "
        "used. Run `wxdata cache clear`, then load again.",
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
}
