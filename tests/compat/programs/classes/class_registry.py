class Plugin:
    registry: dict[str, type] = {}

    def __init_subclass__(cls, name: str = "", **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.registry[name or cls.__name__.lower()] = cls

    def run(self) -> str:
        return f"running {type(self).__name__}"


class Exporter(Plugin, name="export"):
    pass


class Importer(Plugin):
    pass


print(sorted(Plugin.registry))
print(Plugin.registry["export"]().run())
