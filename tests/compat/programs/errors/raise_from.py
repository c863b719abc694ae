class ConfigError(Exception):
    pass


def load(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError(f"invalid config value {text!r}") from e


try:
    load("abc")
except ConfigError as e:
    print(e)
    print(type(e.__cause__).__name__)
    print(e.__cause__ is not None)
