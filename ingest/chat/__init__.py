"""Chat exports (WhatsApp, Slack, Discord, Telegram, JSON lines, CSV; zipped or not) read into conversation windows."""

from lecto.ingest.chat import discord, slack, table, telegram, whatsapp, zipped  # noqa: F401  (registration happens on import)
