TEXT = """
; comment
[server]
host = example.com
port = 8080

[database]
user = admin
password = s3cr3t
timeout = 30
"""


def parse_ini(text: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and current is not None:
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


config = parse_ini(TEXT)
print(config)
print(int(config["server"]["port"]) + 1)
