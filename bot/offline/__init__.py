"""What lets the bot run with no Telegram: the Bot API stand-in, the test driver, the console
and the demo data. The application (bot/app.py) does not import anything from here."""
