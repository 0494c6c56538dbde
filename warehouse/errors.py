"""The one error base every layer shares (this is the bottom layer, so everyone may import it)."""


class CloudSpendError(Exception):
    """Anything the CLI may show a user as ``Error: ...``."""


class WarehouseError(CloudSpendError):
    """The warehouse file is missing, locked, corrupt or of a newer schema."""


class InputError(CloudSpendError):
    """An input file cannot be loaded at all; the message names the file, row and column."""
