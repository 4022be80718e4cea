#### matching counts
a = b = 1
print("%s-%s" % (a, b), "{}-{}".format(a, b), "%d%%" % (a,), "{0}{0}".format(a))

#### a tuple that lost an element
year = 1
text = "%s-%s" % (  # expect: E1306
    year,
)

#### too many for format
print("{}".format(1, 2))  # expect: E1305

#### mappings and named fields are not counted
print("%(a)s" % {"a": 1}, "{name}".format(name=1))
