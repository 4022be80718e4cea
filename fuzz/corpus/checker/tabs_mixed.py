def f(x):
	if x:
		return x
	else:
	    return -x

class K:
	def m(self):
		self.v = 1
		return self.w
