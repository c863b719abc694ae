import re


def slugify(title: str) -> str:
    slug = title.lower().strip()
    slug = re.sub(r"[^a-z0-9\s-]", "", slug)
    slug = re.sub(r"[\s_-]+", "-", slug)
    return slug.strip("-")


for t in ["Hello World!", "  Python 3.12: What's New?  ", "a--b__c", "Ünïcode Títle"]:
    print(repr(slugify(t)))
