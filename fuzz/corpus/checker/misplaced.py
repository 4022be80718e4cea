return 1
yield 2
break
for i in range(3):
    continue
class A:
    def m():
        pass
    def n(x, x):
        nonlocal y
        await z
