#### valid program
def f(x):
    return x + 1

#### empty function body followed by a dedented statement blames the header
def f():  # expect: E0001
x = 1

#### empty block at the end of the file blames the header
for item in items:  # expect: E0001

#### multi-line header blames its first line
def f(  # expect: E0001
    a,
    b,
):
x = 1

#### decorated function blames the def line
@decorator
def f():  # expect: E0001
y = 2

#### unexpected indent
x = 1
    y = 2  # expect: E0001

#### unindent that matches no outer level
def f():
    if x:
        y = 1
      z = 2  # expect: E0001

#### unclosed bracket blames its opening line
total = compute(  # expect: E0001
    1,
    2,

#### innermost unclosed bracket wins
a = [  # comment
    (1, 2),
    foo(  # expect: E0001
        3,

#### unmatched closing bracket
x = 1
)  # expect: E0001

#### mismatched bracket across lines blames the opener
values = (  # expect: E0001
    1,
    2]

#### unterminated string
name = 'abc  # expect: E0001

#### unterminated triple-quoted string blames its start
def f():
    return 1
doc = """never  # expect: E0001
closed

#### a tokenizer error later in the file wins over a parser error
x = = 1
y = "unterminated  # expect: E0001

#### an unexpected indent is not overridden
x = 1
    y = 2  # expect: E0001
z = 'unterminated

#### orphan else
x = 1
else:  # expect: E0001
    y = 2

#### except without try
except ValueError:  # expect: E0001
    pass

#### try without handlers blames the next statement
try:
    x = 1
y = 2  # expect: E0001

#### syntax newer than Python 3.11
type Alias = int  # expect: E0001

#### keyword argument before positional
f(a=1, 2)  # expect: E0001

#### an empty block before a dedent inside a function
def f():
    if x:  # expect: E0001
    return 1
