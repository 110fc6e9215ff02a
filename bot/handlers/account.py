"""/link, deep-link codes, /token and /delete."""

from __future__ import annotations

from telegram import Update

from bot import keyboards, parsing, views
from bot.context import NavContext, current_user
from bot.replies import edit, send

PENDING_LINK = "pending_link"


async def link_with_code(update: Update, context: NavContext, code: str) -> None:
    """Redeems a link code; asks first when this Telegram identity already has another account."""
    person = update.effective_user
    result = await context.navigator.accounts.redeem_link_code(code, person.id, person.full_name, username=person.username)
    if result.status == "needs_confirmation":
        context.user_data[PENDING_LINK] = code
        await send(update, views.link_confirm(result), keyboards.confirm("Yes, link", "link:confirm", "link:cancel"))
        return
    context.user_data.pop(PENDING_LINK, None)
    await send(update, views.link_result(result))


async def link(update: Update, context: NavContext) -> None:
    """Explains linking; `/link <code>` redeems a code, `/link new` creates one."""
    args = context.args or []
    if args and args[0].lower() not in {"new", "code", "create"}:
        await link_with_code(update, context, args[0])
    elif args:
        await new_link_code(update, context)
    else:
        await send(update, views.link_intro(), keyboards.single("Create a link code", "link:new"))


async def new_link_code(update: Update, context: NavContext) -> None:
    """Creates a one-time link code for this account and shows it as a deep link."""
    user = await current_user(update, context)
    code = await context.navigator.accounts.create_link_code(user.id)
    await send(update, views.link_code(code, context.bot.username))


async def link_button(update: Update, context: NavContext) -> None:
    """Handles "create a code" and the confirm/cancel buttons of a pending link."""
    query = update.callback_query
    await query.answer()
    if query.data == "link:new":
        await new_link_code(update, context)
        return
    code = context.user_data.pop(PENDING_LINK, None)
    if query.data == "link:cancel" or code is None:
        await edit(query, "OK, nothing changed." if code else "This confirmation has expired — open the link again.")
        return
    person = update.effective_user
    result = await context.navigator.accounts.redeem_link_code(code, person.id, person.full_name, username=person.username, confirm=True)
    await edit(query, views.link_result(result))


async def token(update: Update, context: NavContext) -> None:
    """Issues an MCP token (shown once), lists tokens, or revokes one or all."""
    args = parsing.token_args(context.args or [])
    user = await current_user(update, context)
    accounts = context.navigator.accounts
    if args.action == "list":
        text = views.token_list(await accounts.list_tokens(user.id))
    elif args.action == "revoke" and args.jti:
        await accounts.revoke_token(user.id, args.jti)
        text = views.tokens_revoked(None)
    elif args.action == "revoke":
        text = views.tokens_revoked(await accounts.revoke_all_tokens(user.id))
    else:
        issued = await accounts.issue_token(user.id, args.days)
        text = views.token_issued(issued, f"http://{context.settings.mcp_host}:{context.settings.mcp_port}/mcp")
    await send(update, text)


async def delete(update: Update, context: NavContext) -> None:
    """Asks for confirmation before deleting the account."""
    await send(update, views.delete_prompt(), keyboards.confirm("Yes, delete everything", "del:yes", "del:no"))


async def delete_button(update: Update, context: NavContext) -> None:
    """Deletes the account and all its data once confirmed."""
    query = update.callback_query
    await query.answer()
    if query.data != "del:yes":
        await edit(query, "OK, nothing was deleted.")
        return
    user = await current_user(update, context)
    report = await context.navigator.accounts.delete_user(user.id)
    context.user_data.clear()
    await edit(query, views.deleted(report))
