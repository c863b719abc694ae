settings = {"host": "localhost"}
print("host:", settings["host"])
print("port:", settings["port"])
