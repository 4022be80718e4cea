def f(a, b=1, *, c):
    return a + b + c


f(1, 2, 3)
f(c=1)
f(1, c=2, d=3)
print("%s %s" % (1,))
print("{} {}".format(1, 2, 3))
x = None
x()
for ch in 5:
    pass
len(1)[0] = 2
del (1)[0]
raise 1
a, b = 1
