"""Sending HTML safely: long texts are split under Telegram's limit and buttons go on the last part."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update

from bot import render as r


async def send(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Sends `text` to the update's chat as one or more messages; returns the last one."""
    return await send_to(update.effective_chat, text, markup)


async def send_to(chat: Chat | None, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    if chat is None:
        message = "This update has no chat to answer in."
        raise LookupError(message)
    parts = r.split_messages(text)
    for part in parts[:-1]:
        await chat.send_message(part)
    return await chat.send_message(parts[-1], reply_markup=markup)


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replaces the pressed message's text (pages are built to fit one message)."""
    await query.edit_message_text(r.split_messages(text)[0], reply_markup=markup)


async def photo(update: Update, png: bytes, caption: str) -> Message:
    chat = update.effective_chat
    if chat is None:
        message = "This update has no chat to answer in."
        raise LookupError(message)
    return await chat.send_photo(png, caption=r.split_messages(caption, r.MAX_CAPTION)[0])


async def confirmed(query: CallbackQuery, chat_data: dict, key: str, *, yes: str, expired: str, cancelled: str) -> object | None:
    """Handles a yes/no button for an action kept in `chat_data[key]`: the action on yes, else None once the
    message says it was cancelled (or that the confirmation expired: the bot restarted or it was already used)."""
    await query.answer()
    pending = chat_data.pop(key, None)
    if query.data != yes or pending is None:
        await edit(query, cancelled if pending else expired)
        return None
    return pending
