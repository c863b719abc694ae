class Config:
    def __init__(self, **values):
        self._values = values

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting {name!r}") from None


cfg = Config(debug=True, level=3)
print(cfg.debug, cfg.level)
print(getattr(cfg, "missing", "default"))
print(hasattr(cfg, "level"), hasattr(cfg, "nope"))
try:
    cfg.nope
except AttributeError as e:
    print(e)


class Obj:
    pass


o = Obj()
setattr(o, "color", "red")
print(o.color, vars(o), getattr(o, "color"))
delattr(o, "color")
print(hasattr(o, "color"))
