#### a function without return
def total(xs):
    s = sum(xs)
result = total([1, 2])  # expect: E1111

#### a function returning only None
def nothing():
    return
value = nothing()  # expect: E1128

#### functions with a value, generators and abstract ones
def one():
    return 1
def gen():
    yield 1
def todo():
    raise NotImplementedError
a = one()
b = gen()
c = todo()

#### methods through self
class A:
    def helper(self):
        print("x")
    def run(self):
        out = self.helper()  # expect: E1111
        return out
