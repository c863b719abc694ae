def paginate(items, per_page):
    pages = (len(items) + per_page - 1) // per_page
    for page in range(1, pages + 1):
        start = (page - 1) * per_page
        yield {"page": page, "of": pages, "items": items[start:start + per_page]}


for p in paginate([f"item{i}" for i in range(1, 8)], 3):
    print(p)
