"""The FAQ (SPEC §4, QA文档): /faq lists and searches, managers write entries, /autofaq
answers questions in a group, /faq_gaps turns unanswered questions into entries.

Matching is bot.domain.faq's; the entries and the unanswered questions are storage.faq's.
A gap becomes an entry by a reply: [Add an answer] asks the manager to reply to the bot's
message, and that message carries the question's id in its [Cancel] button.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.domain.faq import FaqEntry, FaqError, Gap, group_gaps, parse_entry
from bot.domain.faq_text import looks_like_question
from bot.domain.limits import clip
from bot.i18n import N_
from bot.keyboards import keyboard
from handlers.common import BadUsage, Refuse, esc, fitted, reply
from handlers.lookups import button_number, switch_word
from handlers.registry import MANAGER_CHATS, button, command, require, require_chat
from storage.faq import Faq

PAGE = 10  # entries on one page of /faq
GAPS_SHOWN = 8
AUTOFAQ = "autofaq"  # the chat setting
GROUP = 5  # after group 0, so a question in a group reaches the commands' handlers too
SHOWN_QUESTION = 60  # characters of a question in a list
ERRORS = {
    "no_separator": N_("Put a | between the question and the answer."),
    "empty_question": N_("The question is empty."),
    "empty_answer": N_("The answer is empty."),
    "question_too_long": N_("The question is too long (at most {limit} characters)."),
    "answer_too_long": N_("The answer is too long (at most {limit} characters)."),
}


def _rest(update: Update) -> str:
    """Everything after the command, as typed: quotes, bars and line breaks kept."""
    text = update.effective_message.text or ""
    return text.partition(" ")[2].strip() if text.startswith("/") else text.strip()


def _entry_id(word: str) -> int:
    digits = word.removeprefix("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        raise BadUsage("{value} is not an entry number.", value=word)
    return int(digits)


def _parse(text: str) -> tuple[str, str]:
    try:
        return parse_entry(text)
    except FaqError as error:
        raise BadUsage(ERRORS[error.code], **error.params) from None


def _entry_text(entry: FaqEntry) -> str:
    return f"<b>#{entry.id} {esc(entry.question)}</b>\n{esc(entry.answer)}"


def _line(entry: FaqEntry) -> str:
    return f"#{entry.id} {esc(clip(entry.question, SHOWN_QUESTION))}"


async def _missing(ctx: BotContext, entry_id: int) -> FaqEntry:
    entry = await ctx.services.repo(Faq).get(entry_id)
    if entry is None:
        raise Refuse("There is no FAQ entry #{id}: /faq lists them.", id=entry_id)
    return entry


async def _page(ctx: BotContext, page: int) -> tuple[str, list[list[tuple[str, str]]]]:
    entries = await ctx.services.repo(Faq).entries()
    if not entries:
        return ctx.t("The FAQ is empty. Managers add entries with /faq_add question | answer."), []
    pages = (len(entries) + PAGE - 1) // PAGE
    page = min(max(page, 0), pages - 1)
    shown = entries[page * PAGE : (page + 1) * PAGE]
    head = ctx.t("FAQ, page {page} of {pages}: press a number for the answer.")
    lines = [head.format(page=page + 1, pages=pages), *(_line(e) for e in shown)]
    numbers = [(f"#{e.id}", f"faq:o:{e.id}") for e in shown]
    rows = [numbers[:5], numbers[5:]]
    nav = [("◀", f"faq:p:{page - 1}")] if page else []
    nav += [("▶", f"faq:p:{page + 1}")] if page + 1 < pages else []
    return "\n".join(lines), [r for r in (*rows, nav) if r]


async def faq(update: Update, ctx: BotContext) -> None:
    words = _rest(update)
    if not words:
        text, buttons = await _page(ctx, 0)
        await reply(update, ctx, text, buttons=buttons)
        return
    if words.removeprefix("#").isdigit():
        await reply(update, ctx, _entry_text(await _missing(ctx, _entry_id(words))))
        return
    repo = ctx.services.repo(Faq)
    found = (await repo.index()).search(words)
    if not found:
        chat, user = update.effective_chat.id, update.effective_user.id
        await repo.keep_unanswered(chat, user, words, now=ctx.services.clock.now())
        await reply(update, ctx, ctx.t("No entry answers that yet; the managers will see "
                                       "the question. /faq lists every entry."))  # fmt: skip
        return
    text = _entry_text(found[0].entry)
    if found[1:]:
        text += "\n\n" + ctx.t("See also:") + "\n" + "\n".join(_line(m.entry) for m in found[1:])
    buttons = [[(f"#{m.entry.id}", f"faq:o:{m.entry.id}") for m in found[1:]]]
    await reply(update, ctx, text, buttons=buttons if found[1:] else None)


async def faq_add(update: Update, ctx: BotContext) -> None:
    question, answer = _parse(_rest(update))
    repo = ctx.services.repo(Faq)
    if (same := await repo.find_question(question)) is not None:
        raise Refuse("Entry #{id} asks this already: change it with /faq_edit {id}.", id=same.id)
    entry = await repo.add(question, answer, actor_id=update.effective_user.id,
                           now=ctx.services.clock.now())  # fmt: skip
    await reply(update, ctx, ctx.t("Added FAQ entry: {entry}").format(entry=_line(entry)))


async def faq_edit(update: Update, ctx: BotContext) -> None:
    word, _, text = _rest(update).partition(" ")
    if not word:
        raise BadUsage("Give the entry number, then the question | answer.")
    entry = await _missing(ctx, _entry_id(word))
    question, answer = _parse(text)
    same = await ctx.services.repo(Faq).find_question(question)
    if same is not None and same.id != entry.id:
        raise Refuse("Entry #{id} asks this already: change it with /faq_edit {id}.", id=same.id)
    edited = await ctx.services.repo(Faq).edit(entry.id, question, answer,
        actor_id=update.effective_user.id, now=ctx.services.clock.now())  # fmt: skip
    if edited is None:  # deleted meanwhile
        edited = await _missing(ctx, entry.id)
    await reply(update, ctx, ctx.t("Changed FAQ entry: {entry}").format(entry=_line(edited)))


async def faq_del(update: Update, ctx: BotContext) -> None:
    word = _rest(update)
    if not word or " " in word:
        raise BadUsage("Give the number of the entry to delete.")
    entry_id = _entry_id(word)
    gone = await ctx.services.repo(Faq).delete(
        entry_id, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    if gone is None:
        await _missing(ctx, entry_id)
        return
    await reply(update, ctx, ctx.t("Deleted FAQ entry: {entry}").format(entry=_line(gone)))


async def autofaq(update: Update, ctx: BotContext) -> None:
    word = switch_word(_rest(update))
    chats = ctx.services.chats
    if word is None:
        state = await chats.setting(update.effective_chat.id, AUTOFAQ, "off")
        now = ctx.t("Automatic answers are on here.") if state == "on" else ctx.t(
            "Automatic answers are off here.")  # fmt: skip
        raise BadUsage(now)
    await chats.set_setting(
        update.effective_chat.id, AUTOFAQ, word, actor_id=update.effective_user.id,
        now=ctx.services.clock.now(),
    )  # fmt: skip
    text = (
        ctx.t("Automatic answers are on here: a question that an FAQ entry answers "
              "confidently gets the answer as a reply; the others are kept for /faq_gaps.")
        if word == "on" else ctx.t("Automatic answers are off here.")
    )  # fmt: skip
    await reply(update, ctx, text)


async def on_group_text(update: Update, ctx: BotContext) -> None:
    """In a chat with /autofaq on: answer a question confidently, or keep it as a gap."""
    message, chat = update.effective_message, update.effective_chat
    text = message.text or ""
    if not looks_like_question(text):
        return
    if await ctx.services.chats.setting(chat.id, AUTOFAQ, "off") != "on":
        return
    repo = ctx.services.repo(Faq)
    match = (await repo.index()).answer(text)
    if match is None:
        await repo.keep_unanswered(chat.id, update.effective_user.id, clip(text, 1000),
                                   now=ctx.services.clock.now())  # fmt: skip
        return
    await reply(update, ctx, _entry_text(match.entry))


async def _open_gaps(ctx: BotContext) -> list[Gap]:
    """Unanswered questions no entry answers confidently now, grouped."""
    repo = ctx.services.repo(Faq)
    index = await repo.index()
    asked = [(a.id, a.text) for a in await repo.unanswered() if index.answer(a.text) is None]
    return group_gaps(asked)


async def faq_gaps(update: Update, ctx: BotContext) -> None:
    gaps = (await _open_gaps(ctx))[:GAPS_SHOWN]
    if not gaps:
        await reply(update, ctx, ctx.t("No unanswered questions."))
        return
    lines = [ctx.t("Questions no entry answers, the most asked first:")]
    for n, gap in enumerate(gaps, start=1):
        times = ctx.t.n("asked once", "asked {n} times", gap.count).format(n=gap.count)
        line = ctx.t("{n}. {question} ({times})")
        lines.append(line.format(n=n, question=esc(clip(gap.question, 120)), times=times))
    label = ctx.t("Answer {n}")
    buttons = [(label.format(n=n), f"faq:g:{max(g.ids)}") for n, g in enumerate(gaps, start=1)]
    rows = [buttons[:4], buttons[4:]] if buttons[4:] else [buttons]
    await reply(update, ctx, "\n".join(lines), buttons=rows)


async def on_button(update: Update, ctx: BotContext) -> None:
    query = update.callback_query
    _, action, raw = [*query.data.split(":", 2), "", ""][:3]
    value = button_number(raw)
    if action == "p":
        text, buttons = await _page(ctx, value)
        await query.answer()
        await query.edit_message_text(fitted(ctx, text), parse_mode=ParseMode.HTML,
                                      reply_markup=keyboard(buttons))  # fmt: skip
        return
    if action == "o":
        entry = await _missing(ctx, value)
        await query.answer()
        await ctx.bot.send_message(query.message.chat.id, fitted(ctx, _entry_text(entry)),
                                   parse_mode=ParseMode.HTML)  # fmt: skip
        return
    require(ctx, "manager")
    await require_chat(update, ctx, MANAGER_CHATS)
    if action == "x":
        await query.answer()
        await query.edit_message_text(ctx.t("Cancelled: no entry made."))
        return
    asked = await ctx.services.repo(Faq).asked(value)
    if asked is None or asked.id not in {i for g in await _open_gaps(ctx) for i in g.ids}:
        raise Refuse("This question has an answer already.")
    await query.answer()
    text = ctx.t("Reply to this message with the answer to: {question}")
    await ctx.bot.send_message(query.message.chat.id, text.format(question=esc(asked.text)),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard([[(ctx.t("Cancel"), f"faq:x:{asked.id}")]]),
    )  # fmt: skip


def _draft_of(message: Message | None) -> int | None:
    """The unanswered question a bot message asks the answer to (its [Cancel] button's)."""
    markup = message.reply_markup if message is not None else None
    for row in markup.inline_keyboard if markup else ():
        for key in row:
            if (key.callback_data or "").startswith("faq:x:"):
                return int(str(key.callback_data)[6:])
    return None


class _AnswersDraft(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.is_bot
                    and _draft_of(replied) is not None)  # fmt: skip


async def on_draft_answer(update: Update, ctx: BotContext) -> None:
    """A manager's reply to [Answer n]'s prompt: the gap becomes an entry."""
    message = update.effective_message
    asked_id = _draft_of(message.reply_to_message)
    try:
        require(ctx, "manager")
        repo = ctx.services.repo(Faq)
        asked = await repo.asked(asked_id or 0)
        gap = next((g for g in await _open_gaps(ctx) if asked_id in g.ids), None)
        if asked is None or gap is None:
            raise Refuse("This question has an answer already.")
        question, answer = _parse(f"{asked.text} | {message.text or ''}")
        entry = await repo.add(question, answer, actor_id=update.effective_user.id,
                               now=ctx.services.clock.now(), resolves=gap.ids)  # fmt: skip
    except Refuse as refusal:
        await reply(update, ctx, refusal.render(ctx))
        return
    await message.reply_to_message.edit_reply_markup(None)
    await reply(update, ctx, ctx.t("Added FAQ entry: {entry}").format(entry=_line(entry)))


def register(app: Application) -> None:
    command(app, "faq", faq, description=N_("the FAQ: list, or find the answer to a question"),
            usage=N_("/faq [question or entry number]"))  # fmt: skip
    command(app, "faq_add", faq_add, description=N_("add an FAQ entry"),
            usage=N_("/faq_add <question> | <answer>"), roles={"manager"})  # fmt: skip
    command(app, "faq_edit", faq_edit, description=N_("change an FAQ entry"),
            usage=N_("/faq_edit <number> <question> | <answer>"), roles={"manager"})  # fmt: skip
    command(app, "faq_del", faq_del, description=N_("delete an FAQ entry"),
            usage="/faq_del <number>", roles={"manager"})  # fmt: skip
    command(app, "faq_gaps", faq_gaps, description=N_("questions the FAQ did not answer"),
            roles={"manager"}, chats=MANAGER_CHATS)  # fmt: skip
    command(app, "autofaq", autofaq, description=N_("answer questions here from the FAQ"),
            usage="/autofaq on|off", roles={"manager"}, where="group")  # fmt: skip
    button(app, "faq", on_button)
    text = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    drafts = _AnswersDraft()
    app.add_handler(MessageHandler(text & drafts, on_draft_answer))
    app.add_handler(MessageHandler(text & ~drafts & filters.ChatType.GROUPS, on_group_text),
                    group=GROUP)  # fmt: skip
