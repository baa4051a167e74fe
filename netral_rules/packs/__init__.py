"""The rule-pack format: read (yamlread), model (schema), load, lint, quote checks."""
