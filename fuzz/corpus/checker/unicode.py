def f():
    return "€ 😀"

 
