"""`career-nav user create|token|revoke|show|delete`: accounts from the command line.

Passwords are read from stdin when it is not a terminal (one line), else from a prompt; never from argv.
`user token` prints only the token on stdout, so `TOKEN=$(career-nav user token --email E)` works.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cli import render
from cli.app import CliError, emit_json, navigator, run, split_commas
from core.accounts import AccountService
from core.models import ExperienceLevel, User
from core.service import Navigator
from core.settings import Settings


def _accounts(nav: Navigator, settings: Settings) -> AccountService:
    return nav.accounts


def _level(text: str) -> ExperienceLevel:
    for level in ExperienceLevel:
        if level.value.lower() == text.strip().lower():
            return level
    raise argparse.ArgumentTypeError(f"choose one of {', '.join(level.value for level in ExperienceLevel)}")


def read_password() -> str:
    """One line from stdin when piped, else a prompt (asked twice)."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            message = "no password on stdin (pipe it in, or run in a terminal to be prompted)"
            raise CliError(message)
        return password
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != password:
        message = "the passwords do not match"
        raise CliError(message)
    return password


async def create(args: argparse.Namespace, settings: Settings) -> int:
    password = read_password()
    async with navigator(settings) as nav:
        user = await _accounts(nav, settings).create_with_password(
            args.email, password, full_name=args.name, skills=args.skills or (), target_roles=args.role or (), experience_level=args.level, location=args.location
        )
    print(f"Created account {user.email} (id {user.id}).")
    return 0


async def token(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        accounts = _accounts(nav, settings)
        issued = await accounts.issue_token((await accounts.find_by_email(args.email)).id, args.days)
    sys.stderr.write(f"Token {issued.jti} for {args.email.strip().lower()}, valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC.\n")
    print(issued.token)
    return 0


async def revoke(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        accounts = _accounts(nav, settings)
        user = await accounts.find_by_email(args.email)
        if args.all:
            count = await accounts.revoke_all_tokens(user.id)
            print(f"Revoked every token of {user.email} ({count} active in the ledger).")
        else:
            await accounts.revoke_token(user.id, args.jti)
            print(f"Revoked token {args.jti}.")
    return 0


async def show(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        accounts = _accounts(nav, settings)
        user = await accounts.find_by_email(args.email)
        tokens = await accounts.list_tokens(user.id)
    if args.json:
        emit_json({**user.model_dump(mode="json"), "tokens": [t.model_dump(mode="json") for t in tokens]})
    else:
        print(_profile_text(user))
        rows = [(t.jti, f"{t.created_at:%Y-%m-%d %H:%M}", f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never", f"{t.expires_at:%Y-%m-%d %H:%M}") for t in tokens]
        print("\nActive MCP tokens:\n" + render.table(["id", "created", "last used", "expires"], rows) if rows else "\nNo active MCP tokens.")
    return 0


def _profile_text(user: User) -> str:
    level = user.experience_level.value if user.experience_level else None
    fields = [
        ("email", user.email),
        ("id", user.id),
        ("name", user.full_name),
        ("skills", ", ".join(user.skills)),
        ("target roles", ", ".join(user.target_roles)),
        ("level", level),
        ("location", user.location),
        ("timezone", user.timezone),
        ("telegram", f"linked ({user.telegram_id})" if user.telegram_id else "not linked"),
        ("weekly digest", "on" if user.digest_opt_in else "off"),
    ]
    return "\n".join(f"{name + ':':15}{value or '-'}" for name, value in fields)


async def delete(args: argparse.Namespace, settings: Settings) -> int:
    if sys.stdin.isatty() and input(f"Delete {args.email} and all their data? Type the email to confirm: ").strip().lower() != args.email.strip().lower():
        message = "not confirmed; nothing deleted"
        raise CliError(message)
    async with navigator(settings) as nav:
        accounts = _accounts(nav, settings)
        report = await accounts.delete_user((await accounts.find_by_email(args.email)).id)
    removed = ", ".join(f"{name} {count}" for name, count in report.removed.items())
    print(f"Deleted {args.email.strip().lower()} and all their data ({removed}).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="accounts: create, MCP tokens, revoke, show, delete")
    commands = user.add_subparsers(dest="user_command", metavar="ACTION")
    commands.required = True

    p = commands.add_parser("create", help="create an email + password account (password from stdin or a prompt)")
    p.add_argument("--email", required=True)
    p.add_argument("--name", help="full name")
    p.add_argument("--skills", type=split_commas, help="comma list, e.g. Python,SQL")
    p.add_argument("--role", action="append", help="target role (repeatable)")
    p.add_argument("--level", type=_level, help="Junior, Mid, Senior or Lead")
    p.add_argument("--location")
    p.set_defaults(handler=lambda args: run(create, args))

    p = commands.add_parser("token", help="issue a personal MCP token; prints only the token")
    p.add_argument("--email", required=True)
    p.add_argument("--days", type=int, help="lifetime in days (1-365, default 30)")
    p.set_defaults(handler=lambda args: run(token, args))

    p = commands.add_parser("revoke", help="revoke one MCP token (--jti) or all of them (--all)")
    p.add_argument("--email", required=True)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every token of the account")
    which.add_argument("--jti", help="the token id shown by `user show`")
    p.set_defaults(handler=lambda args: run(revoke, args))

    p = commands.add_parser("show", help="the profile and active MCP tokens (never the tokens themselves)")
    p.add_argument("--email", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=lambda args: run(show, args))

    p = commands.add_parser("delete", help="delete the account and all its data")
    p.add_argument("--email", required=True)
    p.set_defaults(handler=lambda args: run(delete, args))
