"""renewal-cli: renewal deadlines for Guangxi's green food and organic certificates."""

__version__ = "0.1.0"
