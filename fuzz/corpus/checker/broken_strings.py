s = "unterminated
t = '''triple
def g():
    return f"{s!r:{width}} {t"
