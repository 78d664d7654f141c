"""The random-input test's harness: one seeded bot, the inputs people type, the checks."""
