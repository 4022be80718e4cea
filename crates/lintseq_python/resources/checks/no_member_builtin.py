#### a list read as a string
def f():
    parts = []
    return parts.split()  # expect: E1101

#### the last binding decides
def f(items):
    words = []
    words = " ".join(items)
    return words.split()

#### a conditional rebinding that has the member keeps it quiet
def f(c):
    x = []
    if c:
        x = "a b"
    return x.split()

#### parameters and unknown values are not checked
def f(x, g):
    y = g()
    return x.anything, y.anything

#### module level
counts = {}
counts.append(1)  # expect: E1101
total = 0
print(total.real)

#### constructor calls
def f(rows):
    seen = set(rows)
    seen.append(1)  # expect: E1101
    text = "".join(rows)
    return text.decode()  # expect: E1101
