def classify(values, threshold=0):
    result = {"neg": [], "zero": [], "pos": []}
    for index, value in enumerate(values):
        if value < threshold:
            result["neg"].append(index)
        elif value == threshold:
            result["zero"].append(index)
        else:
            result["pos"].append(index)
    else:
        done = True
    while done:
        try:
            total = sum(values) / len(values)
        except ZeroDivisionError as error:
            total = 0
            print(error)
        finally:
            done = False
    with open(__file__) as handle, open(__file__) as other:
        first = handle.readline() + other.readline()
    match first.split():
        case [head, *rest] if head:
            first = rest
        case {"key": value}:
            first = value
        case _:
            pass
    return result, total, first
