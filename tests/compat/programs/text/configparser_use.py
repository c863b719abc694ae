import configparser

parser = configparser.ConfigParser()
parser.read_string("""
[DEFAULT]
timeout = 10

[api]
url = https://api.example.com
retries = 3
""")
print(parser.sections())
print(parser["api"]["url"], parser.getint("api", "retries"), parser.getint("api", "timeout"))
