"""Inline keyboards and the callback-data scheme (every payload stays within Telegram's 64 bytes).

    set:role:<key>|-    set:level:<Level>|-    set:loc:<text>|-    set:digest:on|off
    skill:add:<name>    skills:done             edit:<field>       tz:<IANA name>
    rm:<role_key>:<page>    pj:<difficulty|*>:<page>    noop
    link:new|confirm|cancel    del:yes|no
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.models import Difficulty, ExperienceLevel, User
from core.skills.roles import Role

SKIP = "-"
MAX_DATA = 64


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= MAX_DATA


def roles(catalog: Iterable[Role], *, skip: bool = False) -> InlineKeyboardMarkup:
    rows = _rows([_button(role.name, f"set:role:{role.key}") for role in catalog], 2)
    if skip:
        rows.append([_button("Skip ⏭", f"set:role:{SKIP}")])
    return InlineKeyboardMarkup(rows)


def levels(*, skip: bool = False) -> InlineKeyboardMarkup:
    rows = [[_button(level.value, f"set:level:{level.value}") for level in ExperienceLevel]]
    if skip:
        rows.append([_button("Skip ⏭", f"set:level:{SKIP}")])
    return InlineKeyboardMarkup(rows)


def location(*, skip: bool = False) -> InlineKeyboardMarkup:
    rows = [[_button("🌍 Remote", "set:loc:Remote")]]
    if skip:
        rows[0].append(_button("Skip ⏭", f"set:loc:{SKIP}"))
    return InlineKeyboardMarkup(rows)


def skills_step(suggestions: Iterable[str] = (), *, skip: bool = True) -> InlineKeyboardMarkup:
    """"Did you mean" buttons for unrecognised skills, then Done (or Skip)."""
    adds = [_button(f"➕ {name}", f"skill:add:{name}") for name in dict.fromkeys(suggestions) if fits(f"skill:add:{name}")]
    rows = _rows(adds[:9], 3)
    rows.append([_button("Done ✅" if not skip else "Skip ⏭", "skills:done")])
    return InlineKeyboardMarkup(rows)


def suggestions(names: Iterable[str]) -> InlineKeyboardMarkup | None:
    adds = [_button(f"➕ {name}", f"skill:add:{name}") for name in dict.fromkeys(names) if fits(f"skill:add:{name}")]
    return InlineKeyboardMarkup(_rows(adds[:9], 3)) if adds else None


def timezones(names: Iterable[str]) -> InlineKeyboardMarkup | None:
    """One button per suggested zone; a tap sets it."""
    sets = [_button(f"🕘 {name}", f"tz:{name}") for name in dict.fromkeys(names) if fits(f"tz:{name}")]
    return InlineKeyboardMarkup(_rows(sets[:6], 2)) if sets else None


def digest(*, current: bool | None = None) -> InlineKeyboardMarkup:
    on = "Yes, weekly 📬" if current is None else "Turn on"
    off = "No thanks" if current is None else "Turn off"
    buttons = [_button(on, "set:digest:on"), _button(off, "set:digest:off")]
    if current is not None:
        buttons = [buttons[1]] if current else [buttons[0]]
    return InlineKeyboardMarkup([buttons])


def profile(user: User) -> InlineKeyboardMarkup:
    digest_label = "📬 Digest: on" if user.digest_opt_in else "📭 Digest: off"
    return InlineKeyboardMarkup(
        [
            [_button("🎯 Role", "edit:role"), _button("🧰 Skills", "edit:skills")],
            [_button("📈 Level", "edit:level"), _button("📍 Location", "edit:location")],
            [_button("🕘 Timezone", "edit:timezone"), _button(digest_label, f"set:digest:{'off' if user.digest_opt_in else 'on'}")],
        ]
    )


def pager(prefix: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ 2/5 ▶ paging buttons; None when everything fits on one page."""
    if pages <= 1:
        return None
    row = []
    if page > 0:
        row.append(_button("◀ Prev", f"{prefix}:{page - 1}"))
    row.append(_button(f"{page + 1}/{pages}", "noop"))
    if page < pages - 1:
        row.append(_button("Next ▶", f"{prefix}:{page + 1}"))
    return InlineKeyboardMarkup([row])


def roadmap_prefix(role_key: str) -> str:
    return f"rm:{role_key}"


def projects_prefix(difficulty: Difficulty | None) -> str:
    return f"pj:{difficulty.value if difficulty else '*'}"


def confirm(yes_label: str, yes_data: str, no_data: str, no_label: str = "Cancel") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(yes_label, yes_data), _button(no_label, no_data)]])


def single(label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(label, data)]])
