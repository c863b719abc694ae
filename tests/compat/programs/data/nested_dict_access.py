config = {
    "database": {"primary": {"host": "db1", "port": 5432}, "replicas": [{"host": "db2"}, {"host": "db3"}]},
    "cache": {"ttl": 300},
}


def get_path(d, path, default=None):
    cur = d
    for key in path.split("."):
        if isinstance(cur, list):
            try:
                cur = cur[int(key)]
            except (ValueError, IndexError):
                return default
        elif isinstance(cur, dict) and key in cur:
            cur = cur[key]
        else:
            return default
    return cur


for p in ["database.primary.host", "database.replicas.1.host", "cache.ttl", "cache.size", "database.replicas.9"]:
    print(p, "=", get_path(config, p))
