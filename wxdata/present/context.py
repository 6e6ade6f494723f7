"""Context in words: a lasting change of level, and mix or rate.

**Level shifts** (:mod:`wxdata.analytics.shifts`): "自 2026-W18 起新用户次周留存上了一个台阶:
27.4% → 33.6%(+6.2 个百分点,95% 区间 +5.9 ~ +6.6)。", one sentence per tracked offset that
shifted, apart from the one-cohort flags.

**Mix or rate**: one sentence saying how much of a pooled rate's change came from the
rates themselves and how much from the cohort sizes (:mod:`wxdata.analytics.mix`), e.g.
"新用户W1留存(2026-W32 … 2026-W35)为 25.0%,较之前同样长的一段(30.0%)-5.0 个百分点:留存本身
变化 -2.5 个百分点,人数分布变化 -2.5 个百分点。"

The split is descriptive, not a test: it does not say the change is real (the flags and the
level-shift sentences do), only where it comes from. A change that rounds to 0.0 pp gets no
sentence. When the mix is at least as large as the rates' part, one more clause says what it
means: more users in the cohorts (days: the weekdays) that retain worse, or better.
"""

from __future__ import annotations

from wxdata.analytics.goals import Verdict
from wxdata.analytics.mix import Decomposition
from wxdata.analytics.shifts import Shift
from wxdata.core.periods import PeriodKind
from wxdata.i18n import Lang, t
from wxdata.present.fmt import cohort_label, offset_label, pct, pp

#: Below half of 0.1 pp a change prints as +0.0 pp: nothing to split.
SMALLEST = 0.0005


def mix_sentence(split: Decomposition | None, *, metric: str, offset: int, kind: PeriodKind,
                 lang: Lang) -> str | None:
    """The sentence for ``split`` (from :func:`wxdata.analytics.mix.window_change`), or None
    when there is nothing to split."""
    if split is None or abs(split.change) < SMALLEST:
        return None
    why = ""
    if abs(split.mix) >= abs(split.rate) - 1e-12 and abs(split.mix) >= SMALLEST:  # a tie counts
        why = t(f"mix.why.{kind}.{'worse' if split.mix < 0 else 'better'}", lang)
    return t("mix.sentence", lang, who=t(f"metric.{metric}.short", lang),
             offset=offset_label(kind, offset, lang),
             first=cohort_label(split.first, kind, lang, short=kind != "month"),
             last=cohort_label(split.last, kind, lang, short=kind != "month"),
             after=pct(split.after), before=pct(split.before), change=pp(split.change, lang),
             rate=pp(split.rate, lang), mix=pp(split.mix, lang), why=why)


def shift_sentence(shift: Shift, *, metric: str, kind: PeriodKind, lang: Lang) -> str:
    """The sentence for one level shift: since when, which way, the levels and the interval."""
    way = "up" if shift.change > 0 else "down"
    return t(f"shift.{way}", lang, who=t(f"metric.{metric}.short", lang),
             offset=offset_label(kind, shift.offset, lang),
             since=cohort_label(shift.since, kind, lang).split(" · ")[0],
             before=pct(shift.before), after=pct(shift.after), change=pp(shift.change, lang),
             low=pp(shift.low, lang), high=pp(shift.high, lang),
             level=round(shift.confidence * 100), n=shift.cohorts_after)


def shift_sentences(shifts: list[Shift], *, metric: str, kind: PeriodKind,
                    lang: Lang) -> list[str]:
    """One sentence per event: offsets that shifted from the same cohort (a launch moves W1, W2
    and W4 together) are one sentence, on the first of them, naming the others."""
    events: dict[object, list[Shift]] = {}
    for shift in shifts:
        events.setdefault(shift.since, []).append(shift)
    out = []
    for same in events.values():
        sentence = shift_sentence(same[0], metric=metric, kind=kind, lang=lang)
        if len(same) > 1:
            others = ("、" if lang == "zh" else ", ").join(
                offset_label(kind, s.offset, lang) for s in same[1:])
            sentence += t("shift.also", lang, offsets=others)
        out.append(sentence)
    return out


def goal_sentence(verdict: Verdict, lang: Lang) -> str | None:
    """"W1 目标 30.0%:已达标(最新 33.0%,2026-W47),自 2026-W37 起连续 11 个批次。" (None before
    any cohort has the goal's offset)."""
    if verdict.met is None:
        return None
    goal, kind = verdict.goal, verdict.goal.kind
    since = cohort_label(verdict.since, kind, lang).split(" · ")[0]
    return t(f"goal.{'met' if verdict.met else 'missed'}", lang,
             who=t(f"metric.{goal.metric}.short", lang),
             offset=offset_label(kind, goal.offset, lang), goal=pct(goal.target),
             rate=pct(verdict.rate), cohort=cohort_label(verdict.cohort, kind, lang),
             since=since, n=verdict.run)


__all__ = ["SMALLEST", "goal_sentence", "mix_sentence", "shift_sentence", "shift_sentences"]
