def read_config(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError as e:
        print("FileNotFoundError", e.errno)
        return ""
    except OSError as e:
        print("OSError", e.errno)
        return ""


print(repr(read_config("/no/such/dir/config.ini")))
