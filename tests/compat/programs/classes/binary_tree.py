class BST:
    def __init__(self):
        self.root = None

    def insert(self, key):
        def _ins(node, key):
            if node is None:
                return [key, None, None]
            if key < node[0]:
                node[1] = _ins(node[1], key)
            elif key > node[0]:
                node[2] = _ins(node[2], key)
            return node
        self.root = _ins(self.root, key)

    def inorder(self):
        out = []

        def walk(node):
            if node:
                walk(node[1])
                out.append(node[0])
                walk(node[2])
        walk(self.root)
        return out

    def height(self, node="root"):
        node = self.root if node == "root" else node
        return 0 if node is None else 1 + max(self.height(node[1]), self.height(node[2]))


t = BST()
for k in [50, 30, 70, 20, 40, 60, 80, 35, 45, 65]:
    t.insert(k)
print(t.inorder(), t.height())
