#### a base with an __init__ that is not called
class Base:
    def __init__(self):
        self.ready = True
class Child(Base):
    def __init__(self):  # expect: W0231
        self.extra = 1

#### super().__init__ anywhere in the body
class Base:
    def __init__(self):
        self.ready = True
class Child(Base):
    def __init__(self, flag):
        if flag:
            super().__init__()

#### calling the base by name
class Base:
    def __init__(self):
        self.ready = True
class Child(Base):
    def __init__(self):
        Base.__init__(self)

#### bases without __init__ need no call
class Base:
    x = 1
class Child(Base):
    def __init__(self):
        self.y = 2

#### a grandparent's __init__ counts
class Root:
    def __init__(self):
        pass
class Middle(Root):
    pass
class Child(Middle):
    def __init__(self):  # expect: W0231
        pass

#### unknown bases are trusted
class Error(Exception):
    def __init__(self, message):
        self.message = message

#### an unknown base whose __init__ the original called
import threading
class Worker(threading.Thread):
    def __init__(self):  # expect: W0231
        self.jobs = []
#### original
import threading
class Worker(threading.Thread):
    def __init__(self):
        super().__init__()
        self.jobs = []

#### one of several unknown bases no longer called by name
import socketserver
from xmlrpc.server import SimpleXMLRPCDispatcher
class Server(socketserver.TCPServer, SimpleXMLRPCDispatcher):
    def __init__(self, addr):  # expect: W0231
        SimpleXMLRPCDispatcher.__init__(self)
#### original
import socketserver
from xmlrpc.server import SimpleXMLRPCDispatcher
class Server(socketserver.TCPServer, SimpleXMLRPCDispatcher):
    def __init__(self, addr):
        socketserver.TCPServer.__init__(self, addr)
        SimpleXMLRPCDispatcher.__init__(self)

#### builtin bases need no call, even when the original made one
class ParseError(Exception):
    def __init__(self, msg):
        self.msg = msg
#### original
class ParseError(Exception):
    def __init__(self, msg):
        self.msg = msg
        Exception.__init__(self, msg)
