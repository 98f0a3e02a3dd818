"""Chat exports: WhatsApp, Slack, Discord, Telegram, JSON lines and CSV, read into conversation windows."""

from lecto.ingest.chat import discord, slack, table, telegram, whatsapp  # noqa: F401  (registration happens on import)
