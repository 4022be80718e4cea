#### four-space program
def f(x):
    if x:
        return 1
    return 2

#### a line off the unit
def f(x):
    if x:
      return 1  # expect: W0311
    return 2

#### an over-indented block
def f(x):
    if x:
            return 1  # expect: W0311

#### two-space programs are consistent with themselves
def f(x):
  if x:
    return 1
  return 2

#### tab-indented programs too
def f(x):
	if x:
		return 1
	return 2

#### continuation lines, strings and comments are not checked
def f():
    x = [
  1,
         2]
    s = """
  a
b
"""
  # comment
    return x, s

#### the unit comes from the original program
def f(x):
    return x  # expect: W0311
#### original
def g():
  return 1
def f(x):
    return x
