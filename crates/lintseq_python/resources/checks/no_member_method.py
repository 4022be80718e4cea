#### a setter whose property decorator was deleted
class Session:
    def permanent(self):
        return self._permanent
    @permanent.setter  # expect: E1101
    def permanent(self, value):
        self._permanent = value

#### with the property it is fine, and so are function attributes
class Session:
    @property
    def permanent(self):
        return self._permanent
    @permanent.setter
    def permanent(self, value):
        self._permanent = value
    def plain(self):
        return 1
    label = plain.__name__

#### functions outside class bodies may carry any attribute
def f():
    pass
f.cache = {}
print(f.anything)
