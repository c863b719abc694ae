from pathlib import PurePosixPath

p = PurePosixPath("/srv/app/config/settings.yaml")
print(p.name, p.stem, p.suffix, p.parent, p.parts[:3])
print(p.with_suffix(".json"), p.parent / "other.ini")
print(PurePosixPath("a/b").joinpath("c"), p.match("*.yaml"))
